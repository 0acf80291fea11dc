"""Volunteer events: signing up for shifts, checking volunteers in, calendars.

The page type lives in ``cms.models.events``; this package holds what people
do with it. Its feed receivers (``receivers.py``) are connected from
``CmsConfig.ready``.
"""
