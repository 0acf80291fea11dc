"""Dataset sizes, without Django: the command line reads them before setup."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind; ``for_requests`` keeps issue 8's ratios
    (1M requests : 100,000 users : 5,000,000 points entries)."""

    requests: int
    users: int
    points: int

    @classmethod
    def for_requests(cls, requests: int) -> "Sizes":
        return cls(
            requests=requests,
            users=max(50, requests // 10),
            points=requests * 5,
        )


def log_scale_label(n: int) -> str:
    """100000 -> "100k", 1000000 -> "1M"."""
    if n >= 10**6 and n % 10**6 == 0:
        return f"{n // 10**6}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def parse_size(text: str) -> int:
    """ "100k" -> 100000, "1M" -> 1000000, "2500" -> 2500."""
    text = text.strip().lower()
    factor = 1
    if text.endswith("k"):
        factor, text = 1000, text[:-1]
    elif text.endswith("m"):
        factor, text = 10**6, text[:-1]
    value = float(text) * factor
    if value < 1 or not math.isfinite(value):
        raise ValueError(f"size must be positive, not {text!r}")
    return int(value)
