"""Response templates: the canned public notes leads keep for their services."""

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User

from ...models import (
    DetailedStatus,
    ResponseTemplate,
    Service,
    StaffMembership,
    StaffRole,
)

MAX_TEMPLATE = 2000


def save_response_template(
    *, actor: User, service: Service, detailed_status: str, text: str
) -> ResponseTemplate:
    """Create or replace the note offered for ``service`` at ``detailed_status``.

    Only a lead of the service's department may, since the note speaks for
    that department in public; an empty text removes the template.
    """
    if not StaffMembership.objects.filter(
        user_id=actor.pk, department_id=service.department_id, role=StaffRole.LEAD
    ).exists():
        raise PermissionDenied("Only the department lead can edit its templates.")
    if detailed_status not in (
        DetailedStatus.ACKNOWLEDGED,
        DetailedStatus.IN_PROGRESS,
        DetailedStatus.CLOSED,
    ):
        raise ValidationError({"detailed_status": "Please choose a status."})
    text = (text or "").strip()
    if len(text) > MAX_TEMPLATE:
        raise ValidationError(
            {"text": f"Please keep it under {MAX_TEMPLATE} characters."}
        )
    if not text:
        ResponseTemplate.objects.filter(
            service=service, detailed_status=detailed_status
        ).delete()
        return ResponseTemplate(
            service=service, detailed_status=detailed_status, text=""
        )
    template, _ = ResponseTemplate.objects.update_or_create(
        service=service, detailed_status=detailed_status, defaults={"text": text}
    )
    return template
