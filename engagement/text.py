"""Cleaning text that residents and API clients send."""

# C0 control characters other than tab and newlines: invisible, they break
# XML output, and PostgreSQL refuses NUL outright.
_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean_text(value: str) -> str:
    """Text as typed, less invisible control characters, trimmed."""
    return (value or "").translate(_CONTROL_CHARACTERS).strip()
