"""The staff workflow: the one function that changes a request's status,
assignment, verified closure and service levels.

Re-exported here so callers import ``engagement.services.workflow``.
"""

from .assignment import assign_request, bulk_acknowledge, bulk_assign
from .service_levels import expire_unconfirmed_fixes, flag_overdue_requests
from .status import change_request_status
from .templates import save_response_template
from .unsubscribe import unsubscribe_by_token, unsubscribe_token
from .verification import confirm_fix, dispute_fix

__all__ = [
    "assign_request",
    "bulk_acknowledge",
    "bulk_assign",
    "change_request_status",
    "confirm_fix",
    "dispute_fix",
    "expire_unconfirmed_fixes",
    "flag_overdue_requests",
    "save_response_template",
    "unsubscribe_by_token",
    "unsubscribe_token",
]
