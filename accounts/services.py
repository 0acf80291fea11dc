"""Writes on accounts: profile changes, personal-data export and deletion."""

import logging
import uuid
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from . import personal_data
from .models import User

logger = logging.getLogger(__name__)


def update_profile(
    *,
    user: User,
    display_name: str,
    show_on_leaderboards: bool,
    public_profile: bool,
    email_updates: str | None = None,
) -> User:
    """Change only the fields a person may edit about themselves.

    ``email_updates`` left as None keeps the current choice.
    """
    user.display_name = display_name.strip()
    user.show_on_leaderboards = show_on_leaderboards
    user.public_profile = public_profile
    if email_updates is not None:
        user.email_updates = email_updates
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=[
            "display_name",
            "show_on_leaderboards",
            "public_profile",
            "email_updates",
        ]
    )
    return user


def _account_section(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "show_on_leaderboards": user.show_on_leaderboards,
        "public_profile": user.public_profile,
        "email_updates": user.email_updates,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything CivicPulse holds about and from ``user``, as plain JSON data."""
    data: dict[str, Any] = {
        "format": "civicpulse-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": _account_section(user),
    }
    for section, exporter in sorted(personal_data.exporters().items()):
        data[section] = exporter(user)
    return data


def _end_sessions(user: User) -> int:
    """Delete every stored session of ``user``.

    Sessions are signed blobs without a user column, so this decodes the
    live ones. Changing the password hash below also invalidates any session
    kept elsewhere (a cache backend) on its next request.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def delete_account(*, user: User) -> User:
    """Remove a person's personal data but keep their public contributions.

    The row stays so reports and comments keep an author, shown as
    “a former resident”; email, name, addresses and password are gone, the
    account can never sign in again and all its sessions end.
    """
    for name, eraser in personal_data.erasers().items():
        logger.debug("erasing %s for user %s", name, user.pk)
        eraser(user)
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
    user.display_name = ""
    user.show_on_leaderboards = False
    user.public_profile = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _end_sessions(user)
    return user
