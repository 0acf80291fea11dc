"""Wagtail permissions that follow neighborhood groups.

Each neighborhood group has one Django auth group, "Organizers: <name>",
whose members are exactly the group's organizers. It may enter the admin,
add, edit and publish pages under that neighborhood's page (planning topics
and events are its children), and add and use images and documents in a
collection of the neighborhood's own, and nothing else: an organizer opening
another neighborhood's page in the editor is refused by Wagtail itself.

``sync_group_permissions`` is the one place that writes any of this. It is
idempotent, and receivers call it whenever something it depends on changes:
a group is created, a membership is saved or deleted, a neighborhood is
renamed, the neighborhood's page appears.
"""

import operator
from functools import reduce

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from accounts import personal_data
from neighborhoods.groups import ensure_group, erase_memberships, export_memberships
from neighborhoods.models import (
    GroupMembership,
    GroupRole,
    Neighborhood,
    NeighborhoodGroup,
)

from .models import NeighborhoodPage

# Wagtail 8 keeps page permissions as Django permissions on wagtailcore.Page.
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def auth_group_name(*, neighborhood: Neighborhood) -> str:
    return f"Organizers: {neighborhood.name}"[
        : Group._meta.get_field("name").max_length
    ]


@transaction.atomic
def sync_group_permissions(*, group: NeighborhoodGroup) -> Group:
    """Make the organizers' auth group of ``group`` what it should be.

    Creates it (and the neighborhood's collection) when missing, renames
    both after the neighborhood, sets its members to the group's current
    organizers (closed accounts and demoted or departed organizers drop
    out) and its page permissions to the neighborhood's page only.
    """
    neighborhood = group.neighborhood
    auth_group = _auth_group(group=group, neighborhood=neighborhood)
    auth_group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    organizer_ids = GroupMembership.objects.filter(
        group=group,
        role=GroupRole.ORGANIZER,
        user__is_active=True,
        user__deleted_at__isnull=True,
    ).values_list("user_id", flat=True)
    auth_group.user_set.set(list(organizer_ids))

    page = NeighborhoodPage.objects.filter(neighborhood=neighborhood).first()
    wanted = set()
    if page is not None:
        page_perms = Permission.objects.filter(
            content_type__app_label="wagtailcore",
            content_type__model="page",
            codename__in=PAGE_PERMISSIONS,
        )
        wanted = {(page.pk, p.pk) for p in page_perms}
    existing = {
        (gp.page_id, gp.permission_id): gp.pk
        for gp in GroupPagePermission.objects.filter(group=auth_group)
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        GroupPagePermission.objects.filter(pk__in=stale).delete()
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=auth_group, page_id=page_id, permission_id=perm_id)
        for page_id, perm_id in wanted - set(existing)
    )

    collection = _collection(auth_group=auth_group, neighborhood=neighborhood)
    media_perms = Permission.objects.filter(
        reduce(
            operator.or_,
            (
                Q(content_type__app_label=app_label, codename=codename)
                for app_label, codename in COLLECTION_PERMISSIONS
            ),
        )
    ).values_list("pk", flat=True)
    granted = set(
        GroupCollectionPermission.objects.filter(
            group=auth_group, collection=collection
        ).values_list("permission_id", flat=True)
    )
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(
            group=auth_group, collection=collection, permission_id=perm_id
        )
        for perm_id in set(media_perms) - granted
    )
    return auth_group


def _auth_group(*, group: NeighborhoodGroup, neighborhood: Neighborhood) -> Group:
    name = auth_group_name(neighborhood=neighborhood)
    auth_group = group.organizers_auth_group
    if auth_group is None:
        auth_group, _ = Group.objects.get_or_create(name=name)
        NeighborhoodGroup.objects.filter(pk=group.pk).update(
            organizers_auth_group=auth_group
        )
        group.organizers_auth_group = auth_group
    elif auth_group.name != name and not Group.objects.filter(name=name).exists():
        auth_group.name = name
        auth_group.save(update_fields=["name"])
    return auth_group


def _collection(*, auth_group: Group, neighborhood: Neighborhood) -> Collection:
    # The collection is found through the permissions granted on it, so a
    # renamed neighborhood keeps its images.
    granted = (
        GroupCollectionPermission.objects.filter(group=auth_group)
        .select_related("collection")
        .first()
    )
    if granted is not None:
        collection = granted.collection
        if collection.name != neighborhood.name:
            collection.name = neighborhood.name
            collection.save(update_fields=["name"])
        return collection
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=neighborhood.name)


def _sync_if_needed(group: NeighborhoodGroup, *, page: Page | None = None) -> None:
    auth_group = group.organizers_auth_group
    if (
        auth_group is None
        or auth_group.name != auth_group_name(neighborhood=group.neighborhood)
        or (
            page is not None
            and not GroupPagePermission.objects.filter(
                group=auth_group, page=page
            ).exists()
        )
    ):
        sync_group_permissions(group=group)


@receiver(post_save, sender=Neighborhood, dispatch_uid="cms_neighborhood_group")
def neighborhood_saved(sender, instance: Neighborhood, raw=False, **kwargs) -> None:
    """Every neighborhood has a group; a renamed one renames its auth group."""
    if raw:
        return
    group = ensure_group(neighborhood=instance)
    group.neighborhood = instance
    _sync_if_needed(group)


@receiver(post_save, sender=NeighborhoodGroup, dispatch_uid="cms_group_created")
def group_saved(sender, instance: NeighborhoodGroup, created=False, raw=False, **kw):
    if created and not raw:
        sync_group_permissions(group=instance)


@receiver(post_delete, sender=NeighborhoodGroup, dispatch_uid="cms_group_deleted")
def group_deleted(sender, instance: NeighborhoodGroup, **kwargs) -> None:
    # Its page permissions go with it; the collection and its images stay.
    if instance.organizers_auth_group_id:
        Group.objects.filter(pk=instance.organizers_auth_group_id).delete()


@receiver(post_save, sender=GroupMembership, dispatch_uid="cms_membership_saved")
@receiver(post_delete, sender=GroupMembership, dispatch_uid="cms_membership_gone")
def membership_changed(sender, instance: GroupMembership, raw=False, **kwargs):
    if raw:
        return
    # Deleting a whole group deletes its memberships first: nothing to sync.
    group = NeighborhoodGroup.objects.filter(pk=instance.group_id).first()
    if group is not None:
        sync_group_permissions(group=group)


@receiver(post_save, sender=NeighborhoodPage, dispatch_uid="cms_page_group_perms")
def neighborhood_page_saved(sender, instance: NeighborhoodPage, raw=False, **kw):
    """A neighborhood's page created (or re-linked) after its group."""
    if raw or instance.neighborhood_id is None:
        return
    group = ensure_group(neighborhood=instance.neighborhood)
    _sync_if_needed(group, page=instance)


personal_data.register_exporter("neighborhood_groups", export_memberships)
personal_data.register_eraser("neighborhood_groups", erase_memberships)
