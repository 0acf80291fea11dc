"""The demo staff account's place in the Public Works queue.

Here rather than in ``accounts.demo``: accounts sits below engagement and
must not know departments exist.
"""

from django.db import transaction

from accounts.models import User

from .models import Department, Service, StaffMembership, StaffRole

DEMO_STAFF_EMAIL = "staff@civicpulse.local"
# The department Boston routes potholes to, so the demo queue is not empty.
DEMO_SERVICE_CODE = "REQPOTHL"


@transaction.atomic
def create_demo_staff_membership() -> StaffMembership | None:
    """Make the demo staff account lead of Public Works; idempotent.

    Returns None when the account does not exist (demo accounts not loaded).
    """
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is None:
        return None
    service = (
        Service.objects.select_related("department")
        .filter(service_code=DEMO_SERVICE_CODE, department__isnull=False)
        .first()
    )
    department = (
        service.department
        if service
        else Department.objects.get_or_create(
            code="PWD", defaults={"name": "Public Works"}
        )[0]
    )
    membership, _ = StaffMembership.objects.update_or_create(
        user=user, department=department, defaults={"role": StaffRole.LEAD}
    )
    return membership


def acknowledge_demo_report() -> bool:
    """The demo staff lead takes on the demo resident's pothole report, as a
    crew would: the resident's points, badge and notification then show on a
    fresh site. Idempotent: only a report still new is acknowledged."""
    from .models import DetailedStatus, ServiceRequest
    from .services.workflow import change_request_status

    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    report = ServiceRequest.objects.filter(
        reporter__email="resident@civicpulse.local",
        service__service_code=DEMO_SERVICE_CODE,
        detailed_status=DetailedStatus.NEW,
    ).first()
    if staff is None or report is None:
        return False
    change_request_status(
        actor=staff,
        request=report,
        to_status=DetailedStatus.ACKNOWLEDGED,
        note="Thanks, a crew is scheduled for this week.",
    )
    return True
