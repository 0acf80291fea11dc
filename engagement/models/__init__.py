"""Service requests and their catalogue, shaped after Open311 GeoReport v2."""

from .catalogue import AttributeDatatype, Department, Service, ServiceAttribute
from .requests import (
    ClosureReason,
    DetailedStatus,
    FixStatus,
    Follow,
    Priority,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    Source,
    Support,
)
from .staff import StaffMembership, StaffRole

__all__ = [
    "AttributeDatatype",
    "ClosureReason",
    "Department",
    "DetailedStatus",
    "FixStatus",
    "Follow",
    "Priority",
    "RequestPhoto",
    "RequestStatus",
    "RequestUpdate",
    "Service",
    "ServiceAttribute",
    "ServiceRequest",
    "Source",
    "StaffMembership",
    "StaffRole",
    "Support",
]

from .api import ApiKey, CatalogueChangeset, RequestContact, RequestToken

__all__ += ["ApiKey", "CatalogueChangeset", "RequestContact", "RequestToken"]

from .workflow import (  # noqa: E402
    FixAnswer,
    FixConfirmation,
    ResponseTemplate,
    SentEmail,
)

__all__ += ["FixAnswer", "FixConfirmation", "ResponseTemplate", "SentEmail"]

from .discussions import (  # noqa: E402
    Comment,
    CommentFlag,
    CommentModeration,
    CommentStatus,
    ModerationAction,
)
from .polls import Poll, PollChoice, PollVote  # noqa: E402

__all__ += [
    "Comment",
    "CommentFlag",
    "CommentModeration",
    "CommentStatus",
    "ModerationAction",
    "Poll",
    "PollChoice",
    "PollVote",
]

from .map_cells import MapCell  # noqa: E402

__all__ += ["MapCell"]
