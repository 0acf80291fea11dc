"""Writes on neighborhood groups: creating them, joining, leaving, roles.

Every neighborhood has exactly one group (``ensure_group``). Residents join
and leave it themselves; city staff appoint organizers (``set_role``). What an
organizer may do in the Wagtail admin follows from their role: ``cms``
receives the saves and deletes of memberships and keeps the permissions in
step, so nothing here needs to know about pages.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.ratelimits import consume
from accounts.selectors import has_verified_email

from .models import GroupMembership, GroupRole, Neighborhood, NeighborhoodGroup

# Joins and leaves per person and hour: enough to change one's mind a few
# times, and a stop to a script flipping memberships.
MEMBERSHIP_CHANGES_PER_HOUR = 20


def group_name_for(*, neighborhood: Neighborhood) -> str:
    return f"{neighborhood.name} neighborhood group"


def ensure_group(*, neighborhood: Neighborhood) -> NeighborhoodGroup:
    """The group of ``neighborhood``, created the first time it is asked for.

    Safe to call any number of times and from two requests at once: the
    one-to-one column makes a second group impossible, and the loser of a
    race gets the winner's row.
    """
    group = NeighborhoodGroup.objects.filter(neighborhood=neighborhood).first()
    if group is not None:
        return group
    try:
        with transaction.atomic():
            return NeighborhoodGroup.objects.create(
                neighborhood=neighborhood,
                name=group_name_for(neighborhood=neighborhood),
            )
    except IntegrityError:
        return NeighborhoodGroup.objects.get(neighborhood=neighborhood)


def join_group(*, group: NeighborhoodGroup, user: User) -> tuple[GroupMembership, bool]:
    """Make ``user`` a member of ``group``; returns (membership, created).

    Joining again changes nothing and returns the existing membership with
    ``created`` False, so a double click is not an error. Raises
    ``PermissionDenied`` for an unconfirmed email address and ``RateLimited``
    past the hourly limit.
    """
    if not has_verified_email(user=user):
        raise PermissionDenied(
            "Please confirm your email address before you join a neighborhood group."
        )
    existing = GroupMembership.objects.filter(group=group, user=user).first()
    if existing is not None:
        return existing, False
    consume(
        action="group_membership",
        key=str(user.pk),
        limit=MEMBERSHIP_CHANGES_PER_HOUR,
        period_seconds=3600,
    )
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(
                group=group, user=user, role=GroupRole.MEMBER
            )
    except IntegrityError:
        # Two clicks raced; the unique constraint let only one through.
        return GroupMembership.objects.get(group=group, user=user), False
    return membership, True


def leave_group(*, group: NeighborhoodGroup, user: User) -> bool:
    """Take ``user`` out of ``group``; False if they were not in it.

    The last organizer may not leave: the group would have nobody to run its
    pages and discussions. ``ValidationError`` says what to do instead.
    Raises ``RateLimited`` past the hourly limit.
    """
    consume(
        action="group_membership",
        key=str(user.pk),
        limit=MEMBERSHIP_CHANGES_PER_HOUR,
        period_seconds=3600,
    )
    with transaction.atomic():
        # Locks the group so two organizers leaving at once cannot both pass
        # the "someone else organizes" check (SQLite serialises writes anyway).
        NeighborhoodGroup.objects.select_for_update().filter(pk=group.pk).first()
        membership = GroupMembership.objects.filter(group=group, user=user).first()
        if membership is None:
            return False
        if membership.role == GroupRole.ORGANIZER and not _other_organizers(
            group=group, user=user
        ):
            raise ValidationError(
                f"You are the only organizer of {group.name}, so you cannot leave "
                "yet. Ask city staff to appoint another organizer first, then "
                "leave."
            )
        membership.delete()
    return True


def set_role(*, group: NeighborhoodGroup, user: User, role: str) -> GroupMembership:
    """Give ``user`` the ``role`` in ``group``, adding them if they are not in it.

    For city staff in the admin: appointing an organizer is how a neighborhood
    gets someone to run its pages. Staff may also step the last organizer
    down (a group can have none, as every new group does).
    """
    if role not in GroupRole.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if user.is_deleted or not user.is_active:
        raise ValidationError(
            "This account is closed and cannot be given a role in a group."
        )
    with transaction.atomic():
        membership, created = GroupMembership.objects.get_or_create(
            group=group, user=user, defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    return membership


def remove_member(*, group: NeighborhoodGroup, user: User) -> bool:
    """Staff take someone out of a group, organizer or not; False if absent."""
    membership = GroupMembership.objects.filter(group=group, user=user).first()
    if membership is None:
        return False
    membership.delete()
    return True


def erase_memberships(user: User) -> None:
    """An account being deleted leaves every group (``accounts.personal_data``
    eraser): a closed account neither organizes nor counts as a member."""
    for membership in GroupMembership.objects.filter(user=user):
        membership.delete()


def export_memberships(user: User) -> list[dict]:
    """The groups a person belongs to, for their personal-data export."""
    return [
        {
            "group": m.group.name,
            "neighborhood": m.group.neighborhood.name,
            "role": m.role,
            "joined": m.joined.isoformat(),
        }
        for m in GroupMembership.objects.filter(user=user).select_related(
            "group__neighborhood"
        )
    ]


def _other_organizers(*, group: NeighborhoodGroup, user: User) -> bool:
    return (
        GroupMembership.objects.filter(group=group, role=GroupRole.ORGANIZER)
        .exclude(user=user)
        .filter(user__is_active=True, user__deleted_at__isnull=True)
        .exists()
    )
