"""Wagtail page types of the public site, and what hangs off them."""

from .events import EventPage, EventShift, EventSignup, SignupStatus
from .home import HomePage
from .neighborhoods import NeighborhoodIndexPage, NeighborhoodPage
from .planning import PlanningStatus, PlanningTopicPage
from .updates import UpdateIndexPage, UpdatePage

__all__ = [
    "EventPage",
    "EventShift",
    "EventSignup",
    "HomePage",
    "NeighborhoodIndexPage",
    "NeighborhoodPage",
    "PlanningStatus",
    "PlanningTopicPage",
    "SignupStatus",
    "UpdateIndexPage",
    "UpdatePage",
]
