"""Neighborhood groups: one per neighborhood, joining, leaving, roles, the panel."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from accounts.ratelimits import RateLimited
from accounts.services import delete_account
from neighborhoods import groups
from neighborhoods.models import GroupMembership, GroupRole, NeighborhoodGroup
from neighborhoods.selectors import active_organizers, group_panel, is_organizer
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roxbury():
    return NeighborhoodFactory(name="Roxbury")


@pytest.fixture
def group(roxbury):
    return groups.ensure_group(neighborhood=roxbury)


def test_every_new_neighborhood_gets_its_group(roxbury):
    group = NeighborhoodGroup.objects.get(neighborhood=roxbury)
    assert group.name == "Roxbury neighborhood group"


def test_ensure_group_is_idempotent(roxbury):
    first = groups.ensure_group(neighborhood=roxbury)
    second = groups.ensure_group(neighborhood=roxbury)
    assert first.pk == second.pk
    assert NeighborhoodGroup.objects.filter(neighborhood=roxbury).count() == 1


def test_ensure_group_recreates_a_deleted_group(roxbury):
    NeighborhoodGroup.objects.filter(neighborhood=roxbury).delete()
    assert groups.ensure_group(neighborhood=roxbury).neighborhood == roxbury


def test_joining_makes_a_member_and_joining_twice_changes_nothing(group):
    person = UserFactory()
    membership, created = groups.join_group(group=group, user=person)
    assert created and membership.role == GroupRole.MEMBER
    again, created_again = groups.join_group(group=group, user=person)
    assert not created_again and again.pk == membership.pk
    assert GroupMembership.objects.filter(group=group, user=person).count() == 1


def test_the_database_refuses_a_second_membership(group):
    from django.db import IntegrityError, transaction

    person = UserFactory()
    groups.join_group(group=group, user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=group, user=person)


def test_an_unconfirmed_email_cannot_join(group):
    person = UserFactory(verified=False)
    with pytest.raises(PermissionDenied, match="confirm your email"):
        groups.join_group(group=group, user=person)
    assert not GroupMembership.objects.filter(user=person).exists()


def test_joining_and_leaving_is_rate_limited(group, monkeypatch):
    monkeypatch.setattr(groups, "MEMBERSHIP_CHANGES_PER_HOUR", 2)
    person = UserFactory()
    groups.join_group(group=group, user=person)
    groups.leave_group(group=group, user=person)
    with pytest.raises(RateLimited):
        groups.join_group(group=group, user=person)


def test_leaving_removes_the_membership(group):
    person = UserFactory()
    groups.join_group(group=group, user=person)
    assert groups.leave_group(group=group, user=person) is True
    assert not GroupMembership.objects.filter(group=group, user=person).exists()
    assert groups.leave_group(group=group, user=person) is False


def test_the_last_organizer_cannot_leave_until_another_is_appointed(group):
    olu, ada = UserFactory(), UserFactory()
    groups.set_role(group=group, user=olu, role=GroupRole.ORGANIZER)
    with pytest.raises(ValidationError, match="only organizer"):
        groups.leave_group(group=group, user=olu)
    assert is_organizer(user=olu, neighborhood=group.neighborhood)

    groups.set_role(group=group, user=ada, role=GroupRole.ORGANIZER)
    assert groups.leave_group(group=group, user=olu) is True
    assert not is_organizer(user=olu, neighborhood=group.neighborhood)


def test_a_closed_account_does_not_count_as_the_other_organizer(group):
    olu, gone = UserFactory(), UserFactory()
    groups.set_role(group=group, user=olu, role=GroupRole.ORGANIZER)
    groups.set_role(group=group, user=gone, role=GroupRole.ORGANIZER)
    delete_account(user=gone)
    with pytest.raises(ValidationError):
        groups.leave_group(group=group, user=olu)


def test_set_role_appoints_promotes_and_steps_down(group):
    person = UserFactory()
    membership = groups.set_role(group=group, user=person, role=GroupRole.ORGANIZER)
    assert membership.role == GroupRole.ORGANIZER
    assert is_organizer(user=person, neighborhood=group.neighborhood)
    groups.set_role(group=group, user=person, role=GroupRole.MEMBER)
    assert GroupMembership.objects.get(group=group, user=person).role == "member"
    assert not is_organizer(user=person, neighborhood=group.neighborhood)


def test_set_role_refuses_unknown_roles_and_closed_accounts(group):
    person = UserFactory()
    with pytest.raises(ValidationError):
        groups.set_role(group=group, user=person, role="king")
    delete_account(user=person)
    with pytest.raises(ValidationError, match="closed"):
        groups.set_role(group=group, user=person, role=GroupRole.ORGANIZER)


def test_deleting_an_account_leaves_every_group(group):
    person = UserFactory()
    groups.set_role(group=group, user=person, role=GroupRole.ORGANIZER)
    delete_account(user=person)
    assert not GroupMembership.objects.filter(user=person).exists()
    assert active_organizers(group=group) == []


def test_the_personal_data_export_lists_groups(group):
    from accounts.services import export_personal_data

    person = UserFactory()
    groups.join_group(group=group, user=person)
    exported = export_personal_data(user=person)
    assert exported["neighborhood_groups"][0]["group"] == group.name


# --- the panel on the neighborhood page ---------------------------------------


def _render(panel) -> str:
    request = RequestFactory().get("/")
    return render_to_string(
        "neighborhoods/includes/group_panel.html",
        {"group_panel": panel},
        request=request,
    )


def test_panel_names_organizers_by_display_name_never_email(group):
    olu = UserFactory(display_name="Olu O.", email="olu.private@example.org")
    groups.set_role(group=group, user=olu, role=GroupRole.ORGANIZER)
    nameless = UserFactory(display_name="", email="nameless@example.org")
    groups.set_role(group=group, user=nameless, role=GroupRole.ORGANIZER)
    groups.join_group(group=group, user=UserFactory(email="member@example.org"))

    panel = group_panel(neighborhood=group.neighborhood, user=UserFactory())
    assert panel["organizer_names"] == ["Olu O.", "a resident"]
    assert panel["member_count"] == 3
    html = _render(panel)
    assert "Olu O." in html and "3 members" in html
    assert "@example.org" not in html
    assert f'action="{panel["join_url"]}"' in html
    assert "csrfmiddlewaretoken" in html


def test_panel_for_a_member_and_for_the_only_organizer(group):
    member, organizer = UserFactory(), UserFactory()
    groups.join_group(group=group, user=member)
    groups.set_role(group=group, user=organizer, role=GroupRole.ORGANIZER)

    as_member = group_panel(neighborhood=group.neighborhood, user=member)
    assert as_member["is_member"] and not as_member["is_organizer"]
    assert f'action="{as_member["leave_url"]}"' in _render(as_member)

    as_organizer = group_panel(neighborhood=group.neighborhood, user=organizer)
    assert as_organizer["is_organizer"] and as_organizer["is_last_organizer"]
    html = _render(as_organizer)
    assert "only organizer" in html and as_organizer["leave_url"] not in html
    assert 'href="/admin/"' in html


def test_panel_for_a_visitor_offers_sign_in(group):
    from django.contrib.auth.models import AnonymousUser

    panel = group_panel(neighborhood=group.neighborhood, user=AnonymousUser())
    assert not panel["signed_in"] and not panel["is_member"]
    html = _render(panel)
    assert "Sign in to join" in html and "next=" in panel["login_url"]


def test_panel_empty_state_without_a_group(roxbury):
    NeighborhoodGroup.objects.filter(neighborhood=roxbury).delete()
    panel = group_panel(neighborhood=roxbury, user=UserFactory())
    assert panel["group"] is None
    html = _render(panel)
    assert "Roxbury has no residents" in html and "<form" not in html


# --- demo data ------------------------------------------------------------------


def test_demo_groups_give_roxbury_its_organizer_and_are_idempotent(boston):
    from accounts.demo import create_demo_accounts
    from neighborhoods.demo_groups import create_demo_groups

    create_demo_accounts()
    made = create_demo_groups()
    assert len(made) == NeighborhoodGroup.objects.count() == boston.loaded
    assert all(g.description for g in made)
    roxbury = NeighborhoodGroup.objects.get(neighborhood__slug="roxbury")
    organizer = GroupMembership.objects.get(
        group=roxbury, user__email="organizer@civicpulse.local"
    )
    assert organizer.role == GroupRole.ORGANIZER
    assert GroupMembership.objects.filter(
        group=roxbury, user__email="resident@civicpulse.local", role="member"
    ).exists()
    assert organizer.user.groups.filter(name="Organizers: Roxbury").exists()

    count = GroupMembership.objects.count()
    create_demo_groups()
    assert GroupMembership.objects.count() == count
    assert NeighborhoodGroup.objects.count() == len(made)
