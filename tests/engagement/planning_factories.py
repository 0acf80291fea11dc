"""Planning pages for discussion and poll tests, built as an editor would."""

from django.utils.text import slugify

from cms.models import PlanningTopicPage
from cms.services import ensure_neighborhood_page, ensure_site_structure
from engagement.models import Poll
from neighborhoods.groups import ensure_group
from neighborhoods.models import GroupMembership, GroupRole
from tests.neighborhoods.factories import NeighborhoodFactory


def planning_topic(
    *,
    neighborhood=None,
    title: str = "Redesigning Centre Street",
    discussion_open: bool = True,
    polls=(),
) -> PlanningTopicPage:
    """A published planning topic under its neighborhood's page.

    ``polls`` is a sequence of (question, [choices]) added inline, as the
    page editor does."""
    ensure_site_structure()
    neighborhood = neighborhood or NeighborhoodFactory()
    parent = ensure_neighborhood_page(neighborhood=neighborhood)
    page = PlanningTopicPage(
        title=title,
        slug=slugify(title),
        summary="Wider sidewalks and a protected bike lane.",
        discussion_open=discussion_open,
        live=False,
    )
    for question, choices in polls:
        page.polls.add(Poll(question=question, choices_text="\n".join(choices)))
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_organizer(*, user, neighborhood) -> GroupMembership:
    group = ensure_group(neighborhood=neighborhood)
    membership, _ = GroupMembership.objects.update_or_create(
        group=group, user=user, defaults={"role": GroupRole.ORGANIZER}
    )
    return membership
