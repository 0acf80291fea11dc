"""Websocket consumers of the live feed.

Consumers only join groups and forward what is sent to them; they never
touch the database, so a burst of events costs no queries per client. What
a client may receive is decided when the event is published (which groups
it goes to), not here.
"""

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .groups import CITY_GROUP, neighborhood_group, user_group

# Sent to a client that opens /ws/me/ without being signed in; a 4xxx code
# (unlike a dropped connection) tells the client not to retry.
CLOSE_NOT_SIGNED_IN = 4401


class ForwardingConsumer(AsyncJsonWebsocketConsumer):
    """Joins ``self.groups_to_join`` and forwards every activity event."""

    groups_to_join: list[str]

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without its ``close_old_connections`` first.

        Channels closes stale database connections before every handler, in
        its one thread for synchronous code. These consumers never use the
        database, so that hop is pure cost, and it is paid per message per
        client: when one event reaches a thousand clients of a process, the
        thousand hops queue behind each other in that single thread.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_to_join", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def join(self, groups: list[str]) -> None:
        self.groups_to_join = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def receive_json(self, content, **kwargs) -> None:
        """Clients only listen; anything they send is ignored."""

    async def activity_event(self, event: dict) -> None:
        await self.send_json(event["payload"])


class ActivityFeedConsumer(ForwardingConsumer):
    """The public feed: city-wide, or one neighborhood's when a slug is given."""

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"].get("neighborhood")
        await self.join([neighborhood_group(slug) if slug else CITY_GROUP])


class PersonalConsumer(ForwardingConsumer):
    """The signed-in person's own notifications, on ``user.<id>`` only."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept, then close: a refused handshake reaches the browser as a
            # bare 1006, indistinguishable from a network failure.
            self.groups_to_join = []
            await self.accept()
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        await self.join([user_group(user.pk)])
