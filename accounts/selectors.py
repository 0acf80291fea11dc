"""Reads about accounts."""

from allauth.account.models import EmailAddress

from .models import User


def has_verified_email(*, user: User) -> bool:
    """Whether ``user`` may file reports and post: browsing needs no account."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()
