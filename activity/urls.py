from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "activity"

urlpatterns = [
    path("activity", views.feed, name="feed"),
    # People type the trailing slash; the feed lives without one.
    path(
        "activity/",
        RedirectView.as_view(pattern_name="activity:feed", query_string=True),
    ),
    path("api/activity", views.activity_after, name="api"),
    path("notifications", views.notifications, name="notifications"),
    path("notifications/read", views.mark_read, name="mark_read"),
    path("api/notifications/unread", views.unread_count, name="unread_count"),
]
