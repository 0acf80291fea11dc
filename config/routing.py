"""Websocket routes of every app, gathered in one place."""

from activity.routing import websocket_urlpatterns as activity_routes

websocket_urlpatterns = [*activity_routes]
