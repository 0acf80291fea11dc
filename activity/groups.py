"""Channel-layer group names of the feed, in one place for senders and consumers."""

CITY_GROUP = "activity.all"


def neighborhood_group(slug: str) -> str:
    return f"activity.{slug}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"
