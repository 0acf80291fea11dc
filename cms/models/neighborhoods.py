from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock


class NeighborhoodIndexPage(Page):
    """``/neighborhoods/``: every neighborhood on one map."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NeighborhoodPage"]
    max_count = 1
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = "neighborhood index page"


class NeighborhoodPage(Page):
    """One neighborhood's home: its figures, map, feed, group, topics, events."""

    neighborhood = models.OneToOneField(
        "neighborhoods.Neighborhood", on_delete=models.PROTECT, related_name="page"
    )
    intro = models.TextField(
        blank=True, help_text="A few sentences that welcome a resident."
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("neighborhood")]
    parent_page_types = ["cms.NeighborhoodIndexPage"]
    subpage_types = ["cms.PlanningTopicPage", "cms.EventPage"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "neighborhood page"
