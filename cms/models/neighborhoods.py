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

    def get_context(self, request, *args, **kwargs):
        from neighborhoods.selectors import list_neighborhoods, neighborhoods_map_data

        context = super().get_context(request, *args, **kwargs)
        neighborhoods = list_neighborhoods()
        context["neighborhoods"] = neighborhoods
        context["map_data"] = neighborhoods_map_data(neighborhoods=neighborhoods)
        context["show_load_hint"] = request.user.is_staff
        return context


class NeighborhoodPage(Page):
    """One neighborhood's home: its figures, map, feed, group, topics, events."""

    # SET_NULL, not PROTECT: deleting (or re-importing) a neighborhood must
    # not be blocked by its page; the page is unpublished instead (see
    # cms.signals) and re-linked if the neighborhood comes back.
    neighborhood = models.OneToOneField(
        "neighborhoods.Neighborhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="page",
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

    def get_context(self, request, *args, **kwargs):
        from activity.selectors import public_feed_page
        from cms import selectors
        from engagement.selectors.neighborhood_figures import neighborhood_figures
        from neighborhoods.selectors import group_panel, neighborhood_map_data

        context = super().get_context(request, *args, **kwargs)
        neighborhood = self.neighborhood
        context["neighborhood"] = neighborhood
        context["planning_topics"] = selectors.planning_topics(neighborhood_page=self)
        context["upcoming_events"] = selectors.upcoming_events(under=self)
        if neighborhood is not None:
            context["figures"] = neighborhood_figures(neighborhood=neighborhood)
            context["map_data"] = neighborhood_map_data(neighborhood=neighborhood)
            context["request_points"] = selectors.neighborhood_request_points(
                neighborhood=neighborhood
            )
            context["activity_page"] = public_feed_page(
                neighborhood_slug=neighborhood.slug
            )
            context["group_panel"] = group_panel(
                neighborhood=neighborhood, user=request.user
            )
        return context
