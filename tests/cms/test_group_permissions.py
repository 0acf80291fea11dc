"""Organizers edit their own neighborhood's pages in Wagtail, and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)
from wagtail.test.utils.form_data import querydict_from_html

from accounts.services import delete_account
from cms.group_permissions import sync_group_permissions
from cms.models import NeighborhoodPage, PlanningTopicPage
from cms.services import ensure_neighborhood_page
from neighborhoods import groups
from neighborhoods.models import GroupRole, NeighborhoodGroup
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roxbury():
    return NeighborhoodFactory(name="Roxbury", west=-71.10)


@pytest.fixture
def dorchester():
    return NeighborhoodFactory(name="Dorchester", west=-71.05)


def _group(neighborhood) -> NeighborhoodGroup:
    return groups.ensure_group(neighborhood=neighborhood)


def _auth_group(neighborhood) -> Group:
    return NeighborhoodGroup.objects.get(
        neighborhood=neighborhood
    ).organizers_auth_group


def _page(neighborhood) -> NeighborhoodPage:
    return ensure_neighborhood_page(neighborhood=neighborhood)


@pytest.fixture
def organizer(roxbury):
    person = UserFactory(display_name="Olu O.")
    groups.set_role(group=_group(roxbury), user=person, role=GroupRole.ORGANIZER)
    return person


def test_each_group_has_its_organizers_auth_group(roxbury, dorchester):
    assert _auth_group(roxbury).name == "Organizers: Roxbury"
    assert _auth_group(dorchester).name == "Organizers: Dorchester"
    assert _auth_group(roxbury).permissions.filter(codename="access_admin").exists()


def test_auth_group_membership_follows_the_role(roxbury):
    group, person = _group(roxbury), UserFactory()
    groups.join_group(group=group, user=person)
    assert not person.groups.filter(pk=_auth_group(roxbury).pk).exists()

    groups.set_role(group=group, user=person, role=GroupRole.ORGANIZER)
    assert person.groups.filter(pk=_auth_group(roxbury).pk).exists()

    groups.set_role(group=group, user=person, role=GroupRole.MEMBER)
    assert not person.groups.filter(pk=_auth_group(roxbury).pk).exists()


def test_organizers_who_leave_or_close_their_account_drop_out(roxbury):
    group, olu, ada = _group(roxbury), UserFactory(), UserFactory()
    groups.set_role(group=group, user=olu, role=GroupRole.ORGANIZER)
    groups.set_role(group=group, user=ada, role=GroupRole.ORGANIZER)
    auth_group = _auth_group(roxbury)
    assert set(auth_group.user_set.all()) == {olu, ada}

    groups.leave_group(group=group, user=olu)
    assert set(auth_group.user_set.all()) == {ada}
    delete_account(user=ada)
    assert not auth_group.user_set.exists()


def test_page_permissions_are_on_the_own_neighborhood_page_only(roxbury, dorchester):
    granted = GroupPagePermission.objects.filter(group=_auth_group(roxbury))
    assert {g.page_id for g in granted} == {_page(roxbury).pk}
    assert {g.permission.codename for g in granted} == {
        "add_page",
        "change_page",
        "publish_page",
    }


def test_a_page_created_after_the_group_gets_the_permissions(roxbury):
    page = _page(roxbury)
    auth_group = _auth_group(roxbury)
    GroupPagePermission.objects.filter(group=auth_group).delete()
    page.save()  # what a re-link or a late ensure_site_structure does
    assert GroupPagePermission.objects.filter(group=auth_group, page=page).exists()


def test_sync_is_idempotent_and_follows_a_rename(roxbury):
    group = _group(roxbury)
    before = GroupPagePermission.objects.filter(group=_auth_group(roxbury)).count()
    sync_group_permissions(group=group)
    sync_group_permissions(group=group)
    assert (
        GroupPagePermission.objects.filter(group=_auth_group(roxbury)).count() == before
    )

    roxbury.name = "Roxbury Crossing"
    roxbury.save()
    auth_group = _auth_group(roxbury)
    assert auth_group.name == "Organizers: Roxbury Crossing"
    collection = GroupCollectionPermission.objects.filter(group=auth_group).first()
    assert collection.collection.name == "Roxbury Crossing"
    assert Group.objects.filter(name__startswith="Organizers: Roxbury").count() == 1


def test_organizers_may_add_images_in_their_own_collection_only(roxbury, dorchester):
    own = GroupCollectionPermission.objects.filter(group=_auth_group(roxbury))
    codenames = {p.permission.codename for p in own}
    assert {"add_image", "choose_image", "add_document"} <= codenames
    (collection,) = {p.collection for p in own}
    assert collection.name == "Roxbury"
    assert collection != Collection.get_first_root_node()


def test_deleting_a_neighborhood_removes_its_auth_group(roxbury):
    auth_group_pk = _auth_group(roxbury).pk
    roxbury.delete()
    assert not Group.objects.filter(pk=auth_group_pk).exists()


# --- through the Wagtail admin -------------------------------------------------


def test_an_organizer_edits_their_page_and_adds_a_planning_topic(
    roxbury, organizer, client
):
    page = _page(roxbury)
    client.force_login(organizer)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200

    add_url = reverse(
        "wagtailadmin_pages:add", args=["cms", "planningtopicpage", page.pk]
    )
    form = client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    data["title"] = "A crossing on Warren Street"
    data["slug"] = "warren-street-crossing"
    data["summary"] = "A raised crossing by the library."
    data["action-publish"] = "action-publish"
    data["body-count"] = "0"  # the StreamField widget is drawn by JavaScript
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    topic = PlanningTopicPage.objects.get(slug="warren-street-crossing")
    assert topic.get_parent().pk == page.pk
    assert topic.live


def test_an_organizer_is_refused_another_neighborhoods_page(
    roxbury, dorchester, organizer, client
):
    other = _page(dorchester)
    client.force_login(organizer)
    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[other.pk]), follow=True
    )
    assert response.redirect_chain or response.status_code == 403
    html = response.content.decode()
    assert "do not have permission" in html
    add_url = reverse(
        "wagtailadmin_pages:add", args=["cms", "planningtopicpage", other.pk]
    )
    client.post(add_url, {"title": "Sneaky", "slug": "sneaky", "summary": "x"})
    assert not Page.objects.filter(slug="sneaky").exists()


def test_a_plain_member_cannot_reach_the_admin(roxbury, client):
    member = UserFactory()
    groups.join_group(group=_group(roxbury), user=member)
    client.force_login(member)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    response = client.get(reverse("wagtailadmin_pages:edit", args=[_page(roxbury).pk]))
    assert response.status_code == 302


def test_a_stepped_down_organizer_loses_the_editor(roxbury, organizer, client):
    page = _page(roxbury)
    groups.set_role(group=_group(roxbury), user=organizer, role=GroupRole.MEMBER)
    client.force_login(organizer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 302


def test_an_organizer_may_create_events_for_their_neighborhood(
    roxbury, dorchester, organizer, client
):
    client.force_login(organizer)
    own = reverse(
        "wagtailadmin_pages:add", args=["cms", "eventpage", _page(roxbury).pk]
    )
    assert client.get(own).status_code == 200
    other = reverse(
        "wagtailadmin_pages:add", args=["cms", "eventpage", _page(dorchester).pk]
    )
    assert client.get(other).status_code != 200


def test_organizers_moderate_only_their_own_neighborhood(
    roxbury, dorchester, organizer
):
    from neighborhoods.selectors import can_moderate_neighborhood

    assert can_moderate_neighborhood(user=organizer, neighborhood=roxbury)
    assert not can_moderate_neighborhood(user=organizer, neighborhood=dorchester)


def test_an_organizer_sees_the_admin_without_the_city_menus(roxbury, organizer, client):
    client.force_login(organizer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "API keys" not in html and "Points rules" not in html
    explorer = client.get(reverse("wagtailadmin_explore", args=[_page(roxbury).pk]))
    assert explorer.status_code == 200
