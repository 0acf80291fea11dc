"""Service requests and their catalogue, shaped after Open311 GeoReport v2."""

from .catalogue import AttributeDatatype, Department, Service, ServiceAttribute
from .requests import (
    DetailedStatus,
    Follow,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    Source,
    Support,
)

__all__ = [
    "AttributeDatatype",
    "Department",
    "DetailedStatus",
    "Follow",
    "RequestPhoto",
    "RequestStatus",
    "RequestUpdate",
    "Service",
    "ServiceAttribute",
    "ServiceRequest",
    "Source",
    "Support",
]
