"""Receivers that keep the page tree in step with the data beneath it."""
