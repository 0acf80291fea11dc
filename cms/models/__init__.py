"""Wagtail page types of the public site, and what hangs off them."""

from .events import (
    EventCheckIn,
    EventPage,
    EventShift,
    EventSignup,
    SignupStatus,
    VolunteerHour,
)
from .home import HomePage
from .neighborhoods import NeighborhoodIndexPage, NeighborhoodPage
from .planning import PlanningStatus, PlanningTopicPage
from .updates import UpdateIndexPage, UpdatePage

__all__ = [
    "EventCheckIn",
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
    "VolunteerHour",
]
