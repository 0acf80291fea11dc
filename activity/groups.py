"""Channel-layer group names of the feed, in one place for senders and consumers."""

import hashlib

CITY_GROUP = "activity.all"
# Channels refuses group names of 100 characters or more; slugs may be 200.
_MAX_GROUP_NAME = 99


def neighborhood_group(slug: str) -> str:
    name = f"activity.{slug}"
    if len(name) <= _MAX_GROUP_NAME:
        return name
    digest = hashlib.sha256(slug.encode()).hexdigest()[:16]
    return f"{name[: _MAX_GROUP_NAME - 17]}.{digest}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"
