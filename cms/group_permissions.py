"""Wagtail permissions that follow neighborhood groups. (Filled by the groups work.)"""
