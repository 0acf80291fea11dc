"""Django admin registrations of the engagement app."""

from . import admin_api  # noqa: F401
