"""Writes on the page tree."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.demo import CITY_STAFF_GROUP
from neighborhoods.models import Neighborhood

from .models import HomePage, NeighborhoodIndexPage, NeighborhoodPage, UpdateIndexPage

# The group Wagtail's own migrations create for reviewers.
MODERATORS_GROUP = "Moderators"
UPDATE_WORKFLOW_NAME = "City update review"
UPDATE_TASK_NAME = "Moderator approval of city updates"
NEIGHBORHOOD_INDEX_SLUG = "neighborhoods"
UPDATE_INDEX_SLUG = "updates"
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


@transaction.atomic
def ensure_home_page() -> HomePage:
    """The site's root HomePage and default Site, created if they are missing.

    A fresh database gets them from migrations; this repairs one whose rows
    were flushed (as transactional tests do) or deleted by hand, including
    Wagtail's own default locale and root collection.
    """
    from django.conf import settings

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title="CivicPulse", slug="home"))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name="CivicPulse",
        )
    return home


@transaction.atomic
def ensure_site_structure() -> HomePage:
    """The page tree the site's URLs rely on, created where missing.

    ``/neighborhoods/`` with one page per neighborhood, ``/updates/`` with the
    moderation workflow city staff publish through. Idempotent: a second call
    creates nothing, so demo data, deploys and tests may all call it.
    """
    home = ensure_home_page()
    ensure_neighborhood_index(home=home)
    for neighborhood in Neighborhood.objects.defer("boundary"):
        ensure_neighborhood_page(neighborhood=neighborhood)
    update_index = _ensure_update_index(home=home)
    _ensure_update_workflow(update_index=update_index)
    return home


def ensure_neighborhood_index(*, home: HomePage | None = None) -> NeighborhoodIndexPage:
    index = NeighborhoodIndexPage.objects.first()
    if index is not None:
        return index
    home = home or ensure_home_page()
    return home.add_child(
        instance=NeighborhoodIndexPage(
            title="Neighborhoods",
            slug=NEIGHBORHOOD_INDEX_SLUG,
            intro="Every neighborhood of the city: what residents report, how "
            "fast it gets fixed, and what the neighborhood is planning.",
        )
    )


@transaction.atomic
def ensure_neighborhood_page(*, neighborhood: Neighborhood) -> NeighborhoodPage:
    """The neighborhood's page, created, re-linked or renamed to match it.

    A page left behind by a deleted neighborhood (its link emptied) is
    re-linked when a neighborhood with its slug comes back, so a re-import
    keeps the planning topics and events beneath it.
    """
    page = NeighborhoodPage.objects.filter(neighborhood=neighborhood).first()
    index = ensure_neighborhood_index()
    if page is None:
        page = (
            NeighborhoodPage.objects.child_of(index)
            .filter(slug=neighborhood.slug)
            .first()
        )
        if page is not None:
            page.neighborhood = neighborhood
            if not page.live:
                page.live = True
            page.save(update_fields=["neighborhood", "live"])
    if page is None:
        return index.add_child(
            instance=NeighborhoodPage(
                title=neighborhood.name,
                slug=neighborhood.slug or slugify(neighborhood.name),
                neighborhood=neighborhood,
            )
        )
    if page.title != neighborhood.name or page.slug != neighborhood.slug:
        page.title = neighborhood.name
        page.slug = neighborhood.slug
        # Through a revision, so the editor does not later show (and
        # republish) the old name.
        page.save_revision(log_action=False).publish(log_action=False)
    return page


def retire_neighborhood_page(*, neighborhood: Neighborhood) -> None:
    """Unpublish the page of a neighborhood being deleted: its figures and map
    are gone, and a page of nothing would mislead. The page and what hangs off
    it stay, for an editor to move or for a re-import to re-link."""
    for page in NeighborhoodPage.objects.filter(neighborhood=neighborhood).live():
        page.unpublish(log_action=False)


def _ensure_update_index(*, home: HomePage) -> UpdateIndexPage:
    index = UpdateIndexPage.objects.first()
    if index is not None:
        return index
    return home.add_child(
        instance=UpdateIndexPage(
            title="City updates",
            slug=UPDATE_INDEX_SLUG,
            intro="News from city departments: works, closures, decisions.",
        )
    )


def _ensure_update_workflow(*, update_index: UpdateIndexPage) -> Workflow:
    """Staff write and submit updates; only moderators publish them.

    City staff get add and change (never publish) on the update index, so
    their only way to the public is Wagtail's moderation workflow.
    """
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    staff, _ = Group.objects.get_or_create(name=CITY_STAFF_GROUP)
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    staff.permissions.add(admin_access)
    moderators.permissions.add(admin_access)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=staff,
            page=update_index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=moderators,
            page=update_index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    # Updates carry photos and documents: both groups may upload and choose
    # them in the root collection.
    root = Collection.get_first_root_node()
    for group in (staff, moderators):
        for app_label, codename in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    workflow, _ = Workflow.objects.get_or_create(name=UPDATE_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=UPDATE_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=UPDATE_TASK_NAME)
        task.groups.set([moderators])
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(
        page=update_index, defaults={"workflow": workflow}
    )
    return workflow


def announce_first_publish(*, page: Page, user=None) -> None:
    """Put a planning topic or city update on the live feed, once.

    Only the first publish is news: fixing a typo later must not announce the
    page again, nor must unpublishing and publishing it back.
    """
    from activity import kinds
    from activity.models import Activity
    from activity.services import publish_on_commit

    from .models import PlanningTopicPage, UpdatePage

    page = page.specific
    if isinstance(page, UpdatePage):
        kind = kinds.UPDATE_PUBLISHED
        neighborhoods = list(page.neighborhoods.all())
        neighborhood = neighborhoods[0] if len(neighborhoods) == 1 else None
        summary = f"City update: {page.title}"
    elif isinstance(page, PlanningTopicPage):
        kind = kinds.TOPIC_PUBLISHED
        parent = page.get_parent().specific
        neighborhood = getattr(parent, "neighborhood", None)
        where = f" in {neighborhood.name}" if neighborhood else ""
        summary = f"New planning topic{where}: {page.title}"
    else:
        return
    if Activity.objects.filter(
        kind=kind, target_type=page._meta.label_lower, target_id=str(page.pk)
    ).exists():
        return
    publish_on_commit(
        kind=kind,
        # The city speaks for an update; a topic is the neighborhood's, not
        # the person who pressed publish.
        actor=None,
        target=page,
        neighborhood=neighborhood,
        summary=summary,
    )
