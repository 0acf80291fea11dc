"""Per-account limits on writes, kept in the shared cache (Redis at scale)."""

import time

from django.core.cache import cache


class RateLimited(Exception):
    """Too many of one action in the window; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def consume(*, action: str, key: str, limit: int, period_seconds: int) -> None:
    """Count one ``action`` by ``key``; raise ``RateLimited`` past ``limit``.

    A fixed window: cheap (one ``add`` and one ``incr``), and the cache expires
    old windows by itself.
    """
    window = int(time.time() // period_seconds)
    cache_key = f"ratelimit:{action}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=period_seconds + 5)
        count = 1
    if count > limit:
        retry_after = period_seconds - int(time.time() % period_seconds)
        raise RateLimited(
            f"You have reached the limit of {limit} per "
            f"{_period_name(period_seconds)}. Please try again in "
            f"{max(1, retry_after // 60)} minutes.",
            retry_after=retry_after,
        )


def _period_name(seconds: int) -> str:
    return {60: "minute", 3600: "hour", 86400: "day"}.get(seconds, f"{seconds} s")
