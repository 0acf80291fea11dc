"""City staff manage the catalogue, API keys, points and groups in Wagtail."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from engagement.models import ApiKey
from engagement.models.api import hash_api_key
from neighborhoods.groups import ensure_group
from neighborhoods.models import GroupMembership, GroupRole
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db

INDEX_URLS = [
    "service:index",
    "department:index",
    "apikey:index",
    "neighborhoodgroup:index",
    "groupmembership:index",
    "pointsrule:index",
    "campaign:index",
    "badgeaward:index",
]


@pytest.fixture
def admin_client(client):
    client.force_login(
        UserFactory(is_staff=True, is_superuser=True, display_name="City admin")
    )
    return client


@pytest.mark.parametrize("url_name", INDEX_URLS)
def test_a_superuser_lists_each_admin_model(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", INDEX_URLS)
def test_a_resident_cannot_open_them(client, url_name):
    client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_staff_see_only_what_their_permissions_allow(client):
    staff = UserFactory(is_staff=True)
    role = Group.objects.create(name="Catalogue editors")
    role.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_service"),
    )
    staff.groups.add(role)
    client.force_login(staff)
    assert client.get(reverse("service:index")).status_code == 200
    denied = client.get(reverse("apikey:index"), follow=True)
    assert "do not have permission" in denied.content.decode()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Services" in menu and "API keys" not in menu


def test_an_issued_api_key_is_shown_once_and_only_its_hash_kept(admin_client):
    response = admin_client.post(
        reverse("apikey:add"), {"name": "BOS:311 app", "trusted": ""}
    )
    assert response.status_code == 302
    (warning,) = [
        str(m) for m in get_messages(response.wsgi_request) if "copy it now" in str(m)
    ]
    raw = warning.split(" is ")[1].split(" ")[0]
    key = ApiKey.objects.get(name="BOS:311 app")
    assert key.key_hash == hash_api_key(raw) and raw not in key.key_hash
    assert key.is_active


def test_revoking_an_api_key_from_its_edit_form(admin_client):
    from engagement.open311.services import issue_api_key

    key, _raw = issue_api_key(name="Old app")
    response = admin_client.post(
        reverse("apikey:edit", args=[key.pk]),
        {"name": "Old app", "trusted": "", "revoke": "on"},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert not key.is_active


def test_staff_appoint_an_organizer_by_email(admin_client):
    group = ensure_group(neighborhood=NeighborhoodFactory(name="Roxbury"))
    olu = UserFactory(email="olu@example.org")
    response = admin_client.post(
        reverse("groupmembership:add"),
        {"group": group.pk, "role": GroupRole.ORGANIZER, "email": "OLU@example.org"},
    )
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=group, user=olu)
    assert membership.role == GroupRole.ORGANIZER
    group.refresh_from_db()
    assert olu.groups.filter(pk=group.organizers_auth_group_id).exists()

    response = admin_client.post(
        reverse("groupmembership:edit", args=[membership.pk]),
        {"role": GroupRole.MEMBER},
    )
    assert response.status_code == 302
    assert not olu.groups.filter(pk=group.organizers_auth_group_id).exists()


def test_appointing_an_unknown_email_re_renders_with_a_message(admin_client):
    group = ensure_group(neighborhood=NeighborhoodFactory(name="Roxbury"))
    response = admin_client.post(
        reverse("groupmembership:add"),
        {"group": group.pk, "role": GroupRole.ORGANIZER, "email": "nobody@x.org"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No account has this email address" in html
    assert "nobody@x.org" in html
    assert not GroupMembership.objects.exists()


def test_badges_are_listed_but_cannot_be_typed_in(admin_client):
    assert admin_client.get(reverse("badgeaward:add")).status_code in (302, 403)


def test_groups_are_edited_but_never_added_or_deleted(admin_client):
    group = ensure_group(neighborhood=NeighborhoodFactory(name="Roxbury"))
    assert admin_client.get(reverse("neighborhoodgroup:add")).status_code in (302, 403)
    delete_url = reverse("neighborhoodgroup:delete", args=[group.pk])
    admin_client.post(delete_url)
    group.refresh_from_db()
    response = admin_client.post(
        reverse("neighborhoodgroup:edit", args=[group.pk]),
        {"name": "Roxbury Neighbors", "description": "We meet on Tuesdays."},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Roxbury Neighbors"


def test_staff_remove_someone_from_a_group(admin_client):
    from neighborhoods.groups import set_role

    group = ensure_group(neighborhood=NeighborhoodFactory(name="Roxbury"))
    olu = UserFactory()
    membership = set_role(group=group, user=olu, role=GroupRole.ORGANIZER)
    group.refresh_from_db()
    assert olu.groups.filter(pk=group.organizers_auth_group_id).exists()
    response = admin_client.post(
        reverse("groupmembership:delete", args=[membership.pk])
    )
    assert response.status_code == 302
    assert not GroupMembership.objects.filter(pk=membership.pk).exists()
    assert not olu.groups.filter(pk=group.organizers_auth_group_id).exists()


def test_the_membership_list_tells_staff_who_is_who(admin_client):
    from neighborhoods.groups import set_role

    group = ensure_group(neighborhood=NeighborhoodFactory(name="Roxbury"))
    set_role(
        group=group,
        user=UserFactory(display_name="Olu O.", email="olu@example.org"),
        role=GroupRole.ORGANIZER,
    )
    html = admin_client.get(reverse("groupmembership:index")).content.decode()
    assert "Olu O." in html and "olu@example.org" in html and "Organizer" in html
    html = admin_client.get(reverse("neighborhoodgroup:index")).content.decode()
    assert "Roxbury neighborhood group" in html
