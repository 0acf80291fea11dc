"""Who works a request: claiming, assigning, and acknowledging in bulk."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ...models import DetailedStatus, ServiceRequest
from ...selectors.staff import can_assign_others, can_work_on, department_workers
from .status import change_request_status


def assign_request(
    *, actor: User, request: ServiceRequest, assignee: User | None
) -> ServiceRequest:
    """Give ``request`` to ``assignee`` (``None`` leaves it unassigned).

    Any staff of the department may claim a request for themselves or let go
    of their own claim; only the lead hands it to someone else or takes it
    away from them. The assignee
    must work in the request's department (``ValidationError`` otherwise).
    """
    if not can_work_on(user=actor, request=request):
        raise PermissionDenied(
            "Only staff of the department that handles this request can assign it."
        )
    # Claiming a request, or letting go of one's own claim, needs no lead.
    own_business = (assignee is None or assignee.pk == actor.pk) and (
        request.assigned_to_id in (None, actor.pk)
    )
    if not own_business and not can_assign_others(user=actor, request=request):
        raise PermissionDenied(
            "Only the department lead can assign requests to other people."
        )
    if not request.is_open:
        raise ValidationError({"assignee": "A closed request cannot be assigned."})
    if (
        assignee is not None
        and not department_workers(department_id=request.service.department_id)
        .filter(pk=assignee.pk)
        .exists()
    ):
        raise ValidationError(
            {"assignee": "That person does not work in this request's department."}
        )
    request.assigned_to = assignee
    request.updated_datetime = timezone.now()
    request.save(update_fields=["assigned_to", "updated_datetime"])
    return request


def bulk_acknowledge(*, actor: User, requests: Iterable[ServiceRequest]) -> int:
    """Acknowledge the new ones among ``requests``; returns how many.

    All or nothing: one request the actor may not touch (a forged id from
    another department) raises ``PermissionDenied`` and changes none of them.
    Requests already past new are left as they are.
    """
    given = list(requests)
    for request in given:
        if not can_work_on(user=actor, request=request):
            raise PermissionDenied(
                f"{request.public_id} belongs to a department you do not work in."
            )
    chosen = [r for r in given if r.detailed_status == DetailedStatus.NEW]
    with transaction.atomic():
        for request in chosen:
            change_request_status(
                actor=actor, request=request, to_status=DetailedStatus.ACKNOWLEDGED
            )
    return len(chosen)


def bulk_assign(
    *, actor: User, requests: Iterable[ServiceRequest], assignee: User | None
) -> int:
    """Assign several requests at once, all or nothing."""
    chosen = list(requests)
    with transaction.atomic():
        for request in chosen:
            assign_request(actor=actor, request=request, assignee=assignee)
    return len(chosen)
