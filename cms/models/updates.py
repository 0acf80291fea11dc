from django.db import models
from django.utils import timezone
from django.utils.http import urlencode
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock


class UpdateIndexPage(Page):
    """``/updates/``: the city's news, newest first, filterable."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.UpdatePage"]
    max_count = 1

    class Meta:
        verbose_name = "update index page"

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        filters = selectors.update_filter_from(
            neighborhood_slug=request.GET.get("neighborhood", "")[:200],
            department_id=request.GET.get("department", "")[:20],
        )
        context["filters"] = filters
        context["filter_query"] = urlencode(
            {
                key: value
                for key, value in (
                    ("neighborhood", getattr(filters.neighborhood, "slug", "")),
                    ("department", getattr(filters.department, "pk", "")),
                )
                if value
            }
        )
        context["updates"] = selectors.update_list_page(
            index=self, filters=filters, page_number=request.GET.get("page")
        )
        context["filter_choices"] = selectors.update_filter_choices()
        return context


class UpdatePage(Page):
    """News from city staff; published through the moderation workflow."""

    date = models.DateField("published on", default=timezone.localdate)
    summary = models.CharField(max_length=300)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)
    neighborhoods = ParentalManyToManyField(
        "neighborhoods.Neighborhood",
        blank=True,
        related_name="updates",
        help_text="Leave empty for news that concerns the whole city.",
    )
    departments = ParentalManyToManyField(
        "engagement.Department", blank=True, related_name="updates"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("neighborhoods"),
        FieldPanel("departments"),
    ]
    parent_page_types = ["cms.UpdateIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = "city update"
        ordering = ["-date"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["update_neighborhoods"] = list(self.neighborhoods.all())
        context["update_departments"] = list(self.departments.all())
        return context
