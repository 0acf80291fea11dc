"""Websocket consumers of the live feed.

Consumers only join groups and forward what is sent to them; they never
touch the database, so a burst of events costs no queries per client.
"""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .groups import CITY_GROUP, neighborhood_group


class ActivityFeedConsumer(AsyncJsonWebsocketConsumer):
    """The public feed: city-wide, or one neighborhood's when a slug is given."""

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"].get("neighborhood")
        self.group = neighborhood_group(slug) if slug else CITY_GROUP
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """Clients only listen; anything they send is ignored."""

    async def activity_event(self, event: dict) -> None:
        await self.send_json(event["payload"])
