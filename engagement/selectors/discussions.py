"""Reads for planning discussions (placeholder until the discussions work)."""


def discussion_for_page(*, page, user) -> dict:
    return {"page": page, "comments": [], "can_post": False}
