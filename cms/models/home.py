"""Wagtail page types of the public site."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from activity.selectors import public_feed_page

HOME_LIST_SIZE = 3
HOME_LEADERBOARD_SIZE = 5


class HomePage(Page):
    """The city's front page: the call to report, and what is happening."""

    intro = models.CharField(
        max_length=250,
        default="See a problem on your street? Report it, follow it to the fix, "
        "and help plan your neighborhood.",
        help_text="One sentence under the site name.",
    )
    body = RichTextField(
        blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from points.selectors import city_leaderboard

        from .updates import UpdateIndexPage

        context = super().get_context(request, *args, **kwargs)
        context["activity_page"] = public_feed_page()
        context["latest_updates"] = selectors.latest_updates(limit=HOME_LIST_SIZE)
        context["update_index"] = UpdateIndexPage.objects.live().first()
        context["upcoming_events"] = selectors.upcoming_events(limit=HOME_LIST_SIZE)
        context["leaderboard"] = city_leaderboard(
            period="month", limit=HOME_LEADERBOARD_SIZE
        )
        context["open_request_count"] = selectors.open_request_count()
        return context
