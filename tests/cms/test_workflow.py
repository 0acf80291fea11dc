"""City staff write updates; only moderators publish them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from activity.models import Activity
from cms.models import UpdateIndexPage, UpdatePage
from cms.services import ensure_site_structure
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def update_index():
    ensure_site_structure()
    return UpdateIndexPage.objects.get()


def member_of(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def update_form(*, action: str, neighborhood) -> dict:
    return {
        **nested_form_data(
            {
                "title": "Night paving on Washington Street",
                "slug": "night-paving-washington-street",
                "date": "2026-11-20",
                "summary": "Crews pave at night for two weeks.",
                "body": streamfield([("paragraph", rich_text("<p>8 pm to 5 am.</p>"))]),
                "comments": inline_formset([]),
            }
        ),
        "neighborhoods": [str(neighborhood.pk)],
        action: "on",
    }


def add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=("cms", "updatepage", index.pk))


def test_staff_submit_an_update_for_moderation_and_a_moderator_publishes_it(
    client, update_index
):
    hood = NeighborhoodFactory(name="Roxbury", slug="roxbury")
    client.force_login(member_of("City staff"))

    response = client.post(
        add_url(update_index), update_form(action="action-submit", neighborhood=hood)
    )

    assert response.status_code == 302
    update = UpdatePage.objects.get(slug="night-paving-washington-street")
    assert not update.live
    assert update.current_workflow_state.status == "in_progress"
    assert client.get("/updates/night-paving-washington-street/").status_code == 404
    assert not Activity.objects.filter(kind="update.published").exists()

    client.force_login(member_of("Moderators"))
    task_state = update.current_workflow_task_state
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(update.pk, "approve", task_state.pk),
        ),
        {"comment": ""},
    )

    assert response.status_code in (200, 302)
    update.refresh_from_db()
    assert update.live
    page = client.get("/updates/night-paving-washington-street/")
    assert page.status_code == 200
    assert "Night paving on Washington Street" in page.content.decode()
    activity = Activity.objects.get(kind="update.published")
    assert activity.neighborhood_slug == "roxbury"
    assert activity.target_url == "/updates/night-paving-washington-street/"


def test_staff_cannot_publish_an_update_themselves(client, update_index):
    hood = NeighborhoodFactory()
    staff = member_of("City staff")
    client.force_login(staff)

    client.post(
        add_url(update_index), update_form(action="action-publish", neighborhood=hood)
    )

    update = UpdatePage.objects.filter(slug="night-paving-washington-street").first()
    assert update is None or not update.live
    assert not update_index.permissions_for_user(staff).can_publish_subpage()
    assert not Activity.objects.filter(kind="update.published").exists()


def test_republishing_an_update_does_not_announce_it_again(update_index):
    update = update_index.add_child(
        instance=UpdatePage(
            title="Leaf collection",
            slug="leaf-collection",
            summary="Bags out.",
            live=False,
        )
    )
    update.save_revision().publish()
    update.title = "Leaf collection, second week"
    update.save_revision().publish()

    assert Activity.objects.filter(kind="update.published").count() == 1
