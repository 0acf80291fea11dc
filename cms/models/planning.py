from django.db import models
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyBlock


class PlanningStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    UNDER_DISCUSSION = "under_discussion", "Under discussion"
    DECIDED = "decided", "Decided"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class PlanningTopicPage(Page):
    """A plan or proposal a neighborhood is discussing."""

    summary = models.CharField(
        max_length=300, help_text="One or two sentences: what is proposed, and where."
    )
    status = models.CharField(
        max_length=20,
        choices=PlanningStatus.choices,
        default=PlanningStatus.UNDER_DISCUSSION,
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)
    decision_summary = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="What was decided and why, once it has been.",
    )
    discussion_open = models.BooleanField(
        default=True, help_text="Untick to close the discussion to new comments."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("status"),
        FieldPanel("body"),
        FieldPanel("decision_summary"),
        FieldPanel("discussion_open"),
        InlinePanel("polls", label="Quick polls", max_num=3),
    ]
    parent_page_types = ["cms.NeighborhoodPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("decision_summary"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = "planning topic"

    @property
    def neighborhood_page(self):
        """The neighborhood page above this topic (None if it was moved away)."""
        from .neighborhoods import NeighborhoodPage

        return NeighborhoodPage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from engagement.selectors.discussions import discussion_for_page
        from engagement.selectors.polls import polls_for_page

        context = super().get_context(request, *args, **kwargs)
        context["neighborhood_page"] = self.neighborhood_page
        context["discussion"] = discussion_for_page(page=self, user=request.user)
        context["polls"] = polls_for_page(page=self, user=request.user)
        return context
