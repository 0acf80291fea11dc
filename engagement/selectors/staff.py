"""Reads for city staff: who may work which request, and the department queues.

Permissions follow from ``StaffMembership`` rows only, never from a
department id a form sends, so a forged id cannot widen what someone sees.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import EmailUpdates, User

from ..models import (
    Department,
    DetailedStatus,
    FixAnswer,
    FixConfirmation,
    RequestStatus,
    RequestUpdate,
    ResponseTemplate,
    Service,
    ServiceRequest,
    StaffMembership,
    StaffRole,
    Support,
)

QUEUE_SORTS = {
    # key: (label, ordering)
    "age": ("Oldest first", [F("requested_datetime").asc(), "pk"]),
    "overdue": (
        "Most overdue first",
        [F("expected_datetime").asc(nulls_last=True), "requested_datetime", "pk"],
    ),
    "support": ("Most support first", ["-support_count", "requested_datetime", "pk"]),
    "priority": ("Highest priority first", ["-priority", "requested_datetime", "pk"]),
}
DEFAULT_QUEUE_SORT = "age"


def is_staff_member(*, user: User) -> bool:
    """Whether ``user`` works in any department's queue."""
    return bool(
        user.is_authenticated
        and StaffMembership.objects.filter(user_id=user.pk).exists()
    )


def staff_departments(*, user: User) -> QuerySet[Department]:
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(memberships__user_id=user.pk).distinct()


def staff_role(*, user: User, request: ServiceRequest) -> str | None:
    """``user``'s role in the department that handles ``request``, or None."""
    department_id = request.service.department_id
    if not user.is_authenticated or department_id is None:
        return None
    return (
        StaffMembership.objects.filter(user_id=user.pk, department_id=department_id)
        .values_list("role", flat=True)
        .first()
    )


def can_work_on(*, user: User, request: ServiceRequest) -> bool:
    """Staff of the request's department may change its status and claim it."""
    return staff_role(user=user, request=request) is not None


def can_assign_others(*, user: User, request: ServiceRequest) -> bool:
    """Only the department's lead hands work to other people."""
    return staff_role(user=user, request=request) == StaffRole.LEAD


def department_workers(*, department_id: int | None) -> QuerySet[User]:
    """Everyone who may be assigned a request of this department."""
    if department_id is None:
        return User.objects.none()
    return User.objects.filter(
        memberships__department_id=department_id, is_active=True
    ).order_by("display_name", "pk")


def department_leads(*, department_id: int | None) -> list[User]:
    if department_id is None:
        return []
    return list(
        User.objects.filter(
            memberships__department_id=department_id,
            memberships__role=StaffRole.LEAD,
            is_active=True,
        )
    )


@dataclass(frozen=True)
class QueueFilters:
    service: str = ""
    neighborhood: str = ""
    status: str = ""
    overdue: bool = False
    reopened: bool = False
    sort: str = DEFAULT_QUEUE_SORT


def staff_queue(
    *, user: User, filters: QueueFilters, now: datetime | None = None
) -> QuerySet[ServiceRequest]:
    """Open requests of the departments ``user`` works in, filtered and sorted.

    Filters narrow within the person's departments only; an unknown sort
    falls back to the oldest first.
    """
    now = now or timezone.now()
    queryset = ServiceRequest.objects.filter(
        status=RequestStatus.OPEN,
        service__department__memberships__user_id=user.pk,
    ).select_related("service", "neighborhood", "assigned_to")
    if filters.service:
        queryset = queryset.filter(service__service_code=filters.service)
    if filters.neighborhood:
        queryset = queryset.filter(neighborhood__slug=filters.neighborhood)
    if filters.status in DetailedStatus.values:
        queryset = queryset.filter(detailed_status=filters.status)
    if filters.overdue:
        queryset = queryset.filter(expected_datetime__lt=now)
    if filters.reopened:
        queryset = queryset.filter(reopened=True)
    _, ordering = QUEUE_SORTS.get(filters.sort, QUEUE_SORTS[DEFAULT_QUEUE_SORT])
    return queryset.distinct().order_by(*ordering)


def queue_services(*, user: User) -> QuerySet[Service]:
    return Service.objects.filter(department__memberships__user_id=user.pk).distinct()


def staff_request(*, public_id: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.select_related(
            "service", "service__department", "neighborhood", "assigned_to", "reporter"
        )
        .prefetch_related("photos", "updates", "updates__author")
        .filter(public_id=public_id)
        .first()
    )


def response_template_text(*, service_id: int | None, detailed_status: str) -> str:
    """The service's own template for a status, else the city-wide one, else ''."""
    rows = {
        row.service_id: row.text
        for row in ResponseTemplate.objects.filter(
            Q(service_id=service_id) | Q(service__isnull=True),
            detailed_status=detailed_status,
        )
    }
    return rows.get(service_id) or rows.get(None) or ""


def latest_closure(*, request: ServiceRequest) -> RequestUpdate | None:
    return (
        RequestUpdate.objects.filter(
            request=request, detailed_status=DetailedStatus.CLOSED
        )
        .order_by("-created", "-pk")
        .first()
    )


def may_answer_fix(*, user: User, request: ServiceRequest) -> bool:
    """The reporter and supporters are asked "Is it fixed?"."""
    if not user.is_authenticated:
        return False
    return request.reporter_id == user.pk or (
        Support.objects.filter(user_id=user.pk, request=request).exists()
    )


def fix_panel(*, user: User, request: ServiceRequest) -> dict:
    """What the public page shows about a fix: disputes, and whether ``user``
    is still to answer "Is it fixed?"."""
    disputes = list(
        FixConfirmation.objects.filter(
            request=request, answer=FixAnswer.DISPUTED
        ).select_related("user", "photo")
    )
    closure = latest_closure(request=request)
    can_answer = bool(
        request.fix_status == "pending"
        and closure is not None
        and may_answer_fix(user=user, request=request)
        and not FixConfirmation.objects.filter(
            closure=closure, user_id=user.pk
        ).exists()
    )
    return {
        "fix_disputes": disputes,
        "can_answer_fix": can_answer,
        "is_request_staff": can_work_on(user=user, request=request),
    }


def fix_recipients(*, request: ServiceRequest) -> list[User]:
    """The reporter and supporters, asked whether a fix worked."""
    people = list(
        User.objects.filter(supports__request=request, is_active=True).distinct()
    )
    if request.reporter_id and request.reporter and request.reporter.is_active:
        people.append(request.reporter)
    return people


def followers(*, request: ServiceRequest) -> list[User]:
    return list(
        User.objects.filter(follows__request=request, is_active=True).distinct()
    )


def assignable_by(*, user: User) -> list[User]:
    """People a lead may hand work to: members of the departments they lead."""
    led = StaffMembership.objects.filter(user_id=user.pk, role=StaffRole.LEAD)
    return list(
        User.objects.filter(
            memberships__department_id__in=led.values("department_id"),
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "pk")
    )


def services_led_by(*, user: User) -> QuerySet[Service]:
    """Services of the departments ``user`` leads: whose templates they edit."""
    return Service.objects.filter(
        department__memberships__user_id=user.pk,
        department__memberships__role=StaffRole.LEAD,
    ).distinct()


def response_templates_for(*, user: User) -> QuerySet[ResponseTemplate]:
    return ResponseTemplate.objects.filter(
        service__in=services_led_by(user=user)
    ).select_related("service")


def digest_subscribers() -> list[User]:
    """People who asked for one daily email instead of one per change."""
    return list(
        User.objects.filter(
            email_updates=EmailUpdates.DAILY, is_active=True, deleted_at__isnull=True
        ).order_by("pk")
    )


def updates_for_digest(*, user: User, since, until) -> list[RequestUpdate]:
    """Changes in (since, until] to requests ``user`` follows, made by others,
    oldest first: what one day's digest lists."""
    return list(
        RequestUpdate.objects.filter(
            request__follows__user=user, created__gt=since, created__lte=until
        )
        .exclude(author_id=user.pk)
        .select_related("request", "request__service")
        .order_by("created", "pk")
        .distinct()
    )
