"""Demo accounts for a local CivicPulse: one of each role, with known passwords."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User

CITY_STAFF_GROUP = "City staff"
ORGANIZERS_GROUP = "Neighborhood organizers"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    display_name: str
    groups: tuple[str, ...] = ()
    superuser: bool = False
    # The demo resident opts in, so leaderboards and the feed show someone.
    public: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "resident",
        "resident@civicpulse.local",
        "resident-demo-pass",
        "Rosa R.",
        public=True,
    ),
    DemoAccount(
        "staff",
        "staff@civicpulse.local",
        "staff-demo-pass",
        "Sam (Public Works)",
        groups=(CITY_STAFF_GROUP,),
    ),
    DemoAccount(
        "organizer",
        "organizer@civicpulse.local",
        "organizer-demo-pass",
        "Olu O.",
        groups=(ORGANIZERS_GROUP,),
    ),
    DemoAccount(
        "admin",
        "admin@civicpulse.local",
        "admin-demo-pass",
        "City admin",
        superuser=True,
    ),
)


def ensure_role_groups() -> dict[str, Group]:
    """The groups whose members may enter the Wagtail admin."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name in (CITY_STAFF_GROUP, ORGANIZERS_GROUP):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    return groups


@transaction.atomic
def create_demo_accounts() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts once, verified; returns (account, created) pairs.

    An existing account keeps its password, so re-running changes nothing.
    """
    groups = ensure_role_groups()
    results = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "display_name": account.display_name,
                "is_staff": account.superuser,
                "is_superuser": account.superuser,
                "show_on_leaderboards": account.public,
                "public_profile": account.public,
            },
        )
        if created:
            user.set_password(account.password)
            user.save(update_fields=["password"])
        for name in account.groups:
            user.groups.add(groups[name])
        EmailAddress.objects.update_or_create(
            user=user,
            email=account.email,
            defaults={"verified": True, "primary": True},
        )
        results.append((account, created))
    return results
