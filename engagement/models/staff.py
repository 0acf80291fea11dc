"""Who works which department's queue."""

from django.conf import settings
from django.db import models

from .catalogue import Department


class StaffRole(models.TextChoices):
    WORKER = "worker", "Worker"
    LEAD = "lead", "Department lead"


class StaffMembership(models.Model):
    """A staff account's place in a department: a crew worker or its lead.

    Permissions to change requests follow from these rows, never from a
    department id sent by a form.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10, choices=StaffRole.choices, default=StaffRole.WORKER
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"], name="one_membership_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} in {self.department_id}"
