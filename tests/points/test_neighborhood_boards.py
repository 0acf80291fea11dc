"""Neighborhood leaderboards and the neighborhoods' team board."""

import pytest

from points import services
from points.models import PointsEntry
from points.selectors import (
    leaderboard_for_neighborhood,
    ledger_neighborhoods,
    neighborhood_team_board,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROX = {"neighborhood_slug": "roxbury", "neighborhood_name": "Roxbury"}
DOR = {"neighborhood_slug": "dorchester", "neighborhood_name": "Dorchester"}


def give(user, place, count=1, reason="report_accepted"):
    for source in UserFactory.create_batch(count):
        services.award_points(user=user, reason=reason, source=source, **place)


def test_awards_and_reversals_remember_the_neighborhood(resident, source):
    services.award_points(user=resident, reason="report_accepted", source=source, **ROX)
    correction = services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="duplicate"
    )
    assert correction.neighborhood_slug == "roxbury"
    assert set(
        PointsEntry.objects.values_list("neighborhood_slug", "neighborhood_name")
    ) == {("roxbury", "Roxbury")}


def test_a_neighborhood_board_counts_only_work_there():
    ana = UserFactory(display_name="Ana", show_on_leaderboards=True)
    ben = UserFactory(display_name="Ben", show_on_leaderboards=True)
    give(ana, ROX, 1)
    give(ana, DOR, 5)
    give(ben, ROX, 2)
    rows = leaderboard_for_neighborhood(slug="roxbury", period="all")
    assert [(r.name, r.points) for r in rows] == [("Ben", 20), ("Ana", 10)]
    assert [n.slug for n in ledger_neighborhoods()] == ["dorchester", "roxbury"]


def test_the_team_board_ranks_by_points_per_active_resident():
    # Roxbury: 3 residents, 60 points = 20 each; Dorchester: 1 resident, 30.
    for user in UserFactory.create_batch(3):
        give(user, ROX, 2)
    give(UserFactory(), DOR, 3)
    rows = neighborhood_team_board(period="week")
    assert [(r.name, r.points_per_resident, r.active_residents) for r in rows] == [
        ("Dorchester", 30.0, 1),
        ("Roxbury", 20.0, 3),
    ]


def test_the_page_filters_by_neighborhood_and_keeps_people_private(client):
    shown = UserFactory(display_name="Opted Olga", show_on_leaderboards=True)
    hidden = UserFactory(
        display_name="Private Pat", email="pat@example.org", show_on_leaderboards=False
    )
    give(shown, ROX, 1)
    give(hidden, ROX, 4)
    give(hidden, DOR, 1)
    for url in ("/leaderboards", "/leaderboards?neighborhood=roxbury"):
        html = client.get(url).content.decode()
        assert "Opted Olga" in html
        assert "Private Pat" not in html and "pat@example.org" not in html
        assert 'value="roxbury"' in html and "Dorchester" in html
    html = client.get("/leaderboards?neighborhood=dorchester").content.decode()
    assert "Opted Olga" not in html.split('id="team-boards"')[0]
    assert "Top residents in Dorchester" in html


def test_an_unknown_neighborhood_falls_back_to_the_city(client):
    give(UserFactory(display_name="Cara", show_on_leaderboards=True), ROX)
    html = client.get("/leaderboards?neighborhood=atlantis").content.decode()
    assert "Top residents city-wide" in html and "Cara" in html
