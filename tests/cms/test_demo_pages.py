import time

import pytest

from activity.models import Activity
from cms.demo_pages import create_demo_pages
from cms.models import NeighborhoodPage, PlanningTopicPage, UpdatePage
from neighborhoods.demo import load_demo_neighborhoods

pytestmark = pytest.mark.django_db


def test_demo_pages_cover_every_neighborhood_topics_with_polls_and_updates(client):
    load_demo_neighborhoods()

    started = time.monotonic()
    created = create_demo_pages()
    elapsed = time.monotonic() - started

    assert elapsed < 3
    assert NeighborhoodPage.objects.live().count() == 26
    topics = PlanningTopicPage.objects.live()
    assert created == topics.count() + UpdatePage.objects.live().count()
    assert topics.count() >= 4
    parents = {t.get_parent().slug for t in topics}
    assert len(parents) >= 3 and "roxbury" in parents
    assert sum(1 for t in topics if t.polls.exists()) >= 2
    assert all("timeline" in [b.block_type for b in t.body] for t in topics)
    assert UpdatePage.objects.live().count() >= 4
    assert UpdatePage.objects.filter(neighborhoods__slug="roxbury").exists()
    assert Activity.objects.filter(kind="topic.published").count() == topics.count()
    html = client.get("/neighborhoods/roxbury/").content.decode()
    assert "Safer crossings around Nubian Square (Dudley)" in html


def test_demo_pages_a_second_time_create_nothing():
    load_demo_neighborhoods()
    create_demo_pages()
    pages = PlanningTopicPage.objects.count() + UpdatePage.objects.count()

    assert create_demo_pages() == 0
    assert PlanningTopicPage.objects.count() + UpdatePage.objects.count() == pages
