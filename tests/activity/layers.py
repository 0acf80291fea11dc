"""A real in-memory channel layer that also remembers every group_send.

Used through ``CHANNEL_LAYERS`` so the code under test runs unchanged; the
record lets a test say exactly which groups an event went to.
"""

from channels.layers import InMemoryChannelLayer


class RecordingChannelLayer(InMemoryChannelLayer):
    sent: list[tuple[str, dict]]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append((group, message))
        await super().group_send(group, message)

    def groups_of(self, activity_id: int) -> list[str]:
        return [g for g, m in self.sent if m["payload"]["id"] == activity_id]

    def payloads(self) -> list[dict]:
        return [m["payload"] for _, m in self.sent]
