"""Demo pages: Boston's neighborhood pages, a few planning topics with polls,
and city updates. Idempotent: pages are found by slug, never created twice."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from engagement.models import Department, Poll
from neighborhoods.models import Neighborhood

from .models import (
    NeighborhoodPage,
    PlanningStatus,
    PlanningTopicPage,
    UpdateIndexPage,
    UpdatePage,
)
from .services import ensure_site_structure


@dataclass(frozen=True)
class DemoTopic:
    neighborhood: str
    slug: str
    title: str
    summary: str
    status: str
    paragraphs: tuple[str, ...]
    milestones: tuple[tuple[int, str, bool], ...]  # (days from today, title, done)
    decision: str = ""
    poll: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class DemoUpdate:
    slug: str
    title: str
    summary: str
    days_ago: int
    paragraphs: tuple[str, ...]
    neighborhoods: tuple[str, ...] = ()
    departments: tuple[str, ...] = field(default=())


TOPICS = (
    DemoTopic(
        neighborhood="roxbury",
        slug="dudley-square-safer-crossings",
        title="Safer crossings around Nubian Square (Dudley)",
        summary="Raised crosswalks and longer walk signals at three crossings "
        "around Nubian Square, the old Dudley Square.",
        status=PlanningStatus.UNDER_DISCUSSION,
        paragraphs=(
            "Residents reported near misses at Washington and Dudley Streets "
            "again and again. Transportation proposes raised crosswalks and "
            "longer walk signals at three crossings.",
            "Tell us which crossing matters most to you, and what would make "
            "it feel safe.",
        ),
        milestones=(
            (-40, "Walk audit with residents", True),
            (-10, "Draft design shared", True),
            (20, "Community meeting at the Dudley Branch Library", False),
            (90, "Construction starts", False),
        ),
        poll=(
            "Which crossing should be fixed first?",
            ("Washington St at Dudley St", "Warren St at Dudley St", "Malcolm X Blvd"),
        ),
    ),
    DemoTopic(
        neighborhood="roxbury",
        slug="dudley-town-common-refresh",
        title="Refreshing Dudley Town Common",
        summary="New benches, shade trees and a water fountain for the Common.",
        status=PlanningStatus.DECIDED,
        paragraphs=(
            "After two meetings and a survey, the group settled on benches, "
            "eight shade trees and a water fountain near the gazebo.",
        ),
        milestones=(
            (-120, "Survey of park users", True),
            (-60, "Design vote", True),
            (45, "Planting day with volunteers", False),
        ),
        decision="Benches, eight shade trees and a fountain; the lawn stays open "
        "for events.",
    ),
    DemoTopic(
        neighborhood="dorchester",
        slug="fields-corner-bike-lanes",
        title="Protected bike lanes through Fields Corner",
        summary="A protected bike lane on Dorchester Avenue between Fields "
        "Corner and Ashmont.",
        status=PlanningStatus.PROPOSED,
        paragraphs=(
            "The proposal keeps parking on one side and adds a lane protected "
            "by posts and planters on the other.",
        ),
        milestones=(
            (-5, "Proposal published", True),
            (30, "Open house at the Fields Corner branch library", False),
        ),
        poll=(
            "Would you use a protected bike lane on Dorchester Avenue?",
            ("Yes, every week", "Sometimes", "No"),
        ),
    ),
    DemoTopic(
        neighborhood="jamaica-plain",
        slug="centre-street-trees",
        title="More street trees on Centre Street",
        summary="Twenty new street trees between Hyde Square and the Monument.",
        status=PlanningStatus.IN_PROGRESS,
        paragraphs=(
            "The Tree Division marked twenty pits; the neighborhood group "
            "recruits watering volunteers for the first two summers.",
        ),
        milestones=(
            (-30, "Tree pits marked", True),
            (14, "Autumn planting", False),
        ),
    ),
)

UPDATES = (
    DemoUpdate(
        slug="street-sweeping-season-starts",
        title="Street sweeping season starts",
        summary="Sweepers return to every neighborhood; check the posted signs "
        "before you park.",
        days_ago=2,
        paragraphs=(
            "Street sweeping runs from April through November. Cars left on a "
            "posted street during sweeping hours may be ticketed and towed.",
        ),
        departments=("COB_PWD_SANI",),
    ),
    DemoUpdate(
        slug="washington-street-paving-roxbury",
        title="Washington Street repaving in Roxbury",
        summary="Night paving on Washington Street between Melnea Cass "
        "Boulevard and Nubian Square for two weeks.",
        days_ago=5,
        paragraphs=(
            "Crews work from 8 pm to 5 am. Buses keep their stops; parking is "
            "restricted on the side being paved.",
        ),
        neighborhoods=("roxbury",),
        departments=("COB_PWD_HWY",),
    ),
    DemoUpdate(
        slug="new-streetlights-dorchester",
        title="Brighter LED streetlights in Dorchester",
        summary="Four hundred streetlights switch to LED, starting in Fields Corner.",
        days_ago=9,
        paragraphs=(
            "The new lights use half the energy and light the sidewalk, not "
            "bedroom windows. Report a light that stays dark on the map.",
        ),
        neighborhoods=("dorchester",),
        departments=("COB_PWD_STRL",),
    ),
    DemoUpdate(
        slug="tree-planting-jamaica-plain-mission-hill",
        title="Autumn tree planting in Jamaica Plain and Mission Hill",
        summary="Residents can ask for a free street tree in front of their home.",
        days_ago=14,
        paragraphs=(
            "Ask for a tree through 311 before October 15. The Tree Division "
            "checks the sidewalk and plants it this autumn.",
        ),
        neighborhoods=("jamaica-plain", "mission-hill"),
        departments=("COB_PARKS_TREE",),
    ),
)


def _paragraphs(texts: tuple[str, ...]) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def _topic_body(topic: DemoTopic, today: date) -> str:
    timeline = {
        "type": "timeline",
        "value": {
            "heading": "Timeline",
            "milestones": [
                {
                    "date": (today + timedelta(days=days)).isoformat(),
                    "title": title,
                    "description": "",
                    "done": done,
                }
                for days, title, done in topic.milestones
            ],
        },
    }
    return json.dumps([*_paragraphs(topic.paragraphs), timeline])


@transaction.atomic
def create_demo_pages() -> int:
    """The site structure, then the demo topics and updates; returns how many
    pages were created (0 on a second run)."""
    ensure_site_structure()
    created = 0
    today = timezone.localdate()
    pages = {
        p.neighborhood.slug: p
        for p in NeighborhoodPage.objects.select_related("neighborhood").filter(
            neighborhood__slug__in={t.neighborhood for t in TOPICS}
        )
    }
    for topic in TOPICS:
        parent = pages.get(topic.neighborhood)
        if parent is None or parent.get_children().filter(slug=topic.slug).exists():
            continue
        page = PlanningTopicPage(
            title=topic.title,
            slug=topic.slug,
            summary=topic.summary,
            status=topic.status,
            body=_topic_body(topic, today),
            decision_summary=f"<p>{topic.decision}</p>" if topic.decision else "",
            live=False,
        )
        if topic.poll:
            question, choices = topic.poll
            page.polls.add(Poll(question=question, choices_text="\n".join(choices)))
        parent.add_child(instance=page)
        # Published as an editor would, so the topic reaches the live feed.
        page.save_revision(log_action=False).publish(log_action=False)
        created += 1

    index = UpdateIndexPage.objects.get()
    hoods = {n.slug: n for n in Neighborhood.objects.defer("boundary")}
    departments = {d.code: d for d in Department.objects.all()}
    for update in UPDATES:
        if index.get_children().filter(slug=update.slug).exists():
            continue
        page = UpdatePage(
            title=update.title,
            slug=update.slug,
            summary=update.summary,
            date=today - timedelta(days=update.days_ago),
            body=json.dumps(_paragraphs(update.paragraphs)),
            live=False,
        )
        page.neighborhoods = [hoods[s] for s in update.neighborhoods if s in hoods]
        page.departments = [
            departments[c] for c in update.departments if c in departments
        ]
        index.add_child(instance=page)
        # The demo publishes directly, as a moderator approving would.
        page.save_revision(log_action=False).publish(log_action=False)
        created += 1
    return created
