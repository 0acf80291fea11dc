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
