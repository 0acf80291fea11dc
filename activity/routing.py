"""Websocket routes of the live activity feed and personal notifications."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/activity/", consumers.ActivityFeedConsumer.as_asgi()),
    path("ws/activity/<slug:neighborhood>/", consumers.ActivityFeedConsumer.as_asgi()),
    path("ws/me/", consumers.PersonalConsumer.as_asgi()),
]
