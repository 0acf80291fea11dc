"""One-click "stop emails about this request" links in status emails."""

from django.core import signing

from ...models import Follow, ServiceRequest

SALT = "engagement.unsubscribe"
MAX_AGE = 60 * 60 * 24 * 365  # a year: old emails keep working for a while


def unsubscribe_token(*, user_id: int, request_id: int) -> str:
    """A signed token naming one person and one request; it cannot be forged
    to unfollow someone else, and needs no sign-in from a phone's mail app."""
    return signing.dumps({"u": user_id, "r": request_id}, salt=SALT, compress=True)


def unsubscribe_by_token(*, token: str) -> ServiceRequest | None:
    """Unfollow the request the token names; None for a bad or expired token.

    Unfollowing is the whole of it: the person stops hearing of changes
    (email and notifications) and may follow again from the page.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        user_id, request_id = int(data["u"]), int(data["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    request = ServiceRequest.objects.filter(pk=request_id).first()
    if request is not None:
        Follow.objects.filter(user_id=user_id, request=request).delete()
    return request
