"""Demo neighborhood groups: one for every neighborhood, with Roxbury's organized.

Called from ``cms/demo.py`` after the pages exist, so the organizer's
Wagtail permissions land on Roxbury's page straight away. Idempotent.
"""

from django.db import transaction

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import User

from .groups import ensure_group, set_role
from .models import GroupMembership, GroupRole, Neighborhood, NeighborhoodGroup

ORGANIZED_NEIGHBORHOOD_SLUG = "roxbury"

_DESCRIPTION = (
    "Residents of {name} who follow the neighborhood's plans, talk them through "
    "and turn up for its volunteer days. Everyone living or working here is "
    "welcome."
)


def _demo_user(role: str) -> User | None:
    email = next(a.email for a in DEMO_ACCOUNTS if a.role == role)
    return User.objects.filter(email=email).first()


@transaction.atomic
def create_demo_groups() -> list[NeighborhoodGroup]:
    """A group for every neighborhood (with a description where it has none),
    the demo organizer organizing Roxbury's, the demo resident a member.

    Needs the demo accounts (``accounts.demo.create_demo_accounts``); without
    them the groups are still made and nobody is appointed.
    """
    groups = []
    for neighborhood in Neighborhood.objects.defer("boundary"):
        group = ensure_group(neighborhood=neighborhood)
        if not group.description:
            group.description = _DESCRIPTION.format(name=neighborhood.name)
            group.save(update_fields=["description"])
        groups.append(group)
    roxbury = next(
        (g for g in groups if g.neighborhood.slug == ORGANIZED_NEIGHBORHOOD_SLUG),
        None,
    )
    if roxbury is None:
        return groups
    organizer = _demo_user("organizer")
    if organizer is not None:
        set_role(group=roxbury, user=organizer, role=GroupRole.ORGANIZER)
    resident = _demo_user("resident")
    if resident is not None:
        # get_or_create, not set_role: a demo resident promoted by hand stays so.
        GroupMembership.objects.get_or_create(
            group=roxbury, user=resident, defaults={"role": GroupRole.MEMBER}
        )
    return groups
