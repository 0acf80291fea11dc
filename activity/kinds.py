"""What can happen on CivicPulse, as stable string constants with a label each.

Kinds are plain strings (not model choices) so that adding one never needs a
migration; ``publish_on_commit`` refuses any string not listed here, so a
typo fails loudly in the caller's tests instead of showing up in the feed.
"""

# Service requests (public).
REQUEST_FILED = "request.filed"
REQUEST_ACKNOWLEDGED = "request.acknowledged"
REQUEST_CLOSED = "request.closed"
FIX_VERIFIED = "request.fix_verified"
FIX_DISPUTED = "request.fix_disputed"
SUPPORT_MILESTONE = "request.support_milestone"
# Planning and discussion (public).
TOPIC_PUBLISHED = "topic.published"
COMMENT_POSTED = "comment.posted"
# City staff (public).
UPDATE_PUBLISHED = "update.published"
# Volunteering (public).
EVENT_ANNOUNCED = "event.announced"
EVENT_FILLING = "event.filling"
# Points (public only with the person's consent, see CONSENT_KINDS).
BADGE_EARNED = "badge.earned"
CAMPAIGN_COMPLETED = "campaign.completed"

# Personal: only ever sent to the people concerned, never to the public feed.
REQUEST_CHANGED = "request.changed"
COMMENT_REPLY = "comment.reply"
POINTS_AWARDED = "points.awarded"

LABELS: dict[str, str] = {
    REQUEST_FILED: "Request filed",
    REQUEST_ACKNOWLEDGED: "Request acknowledged",
    REQUEST_CLOSED: "Request closed",
    FIX_VERIFIED: "Fix verified",
    FIX_DISPUTED: "Fix disputed",
    SUPPORT_MILESTONE: "Support milestone",
    TOPIC_PUBLISHED: "Planning topic published",
    COMMENT_POSTED: "Comment posted",
    UPDATE_PUBLISHED: "City update",
    EVENT_ANNOUNCED: "Volunteer event announced",
    EVENT_FILLING: "Volunteer event filling up",
    BADGE_EARNED: "Badge earned",
    CAMPAIGN_COMPLETED: "Campaign completed",
    REQUEST_CHANGED: "Your request was updated",
    COMMENT_REPLY: "Reply to your comment",
    POINTS_AWARDED: "Points earned",
}

ALL: frozenset[str] = frozenset(LABELS)
PERSONAL_ONLY: frozenset[str] = frozenset(
    {REQUEST_CHANGED, COMMENT_REPLY, POINTS_AWARDED}
)
PUBLIC: frozenset[str] = ALL - PERSONAL_ONLY
# Kinds that name a person as their subject: they reach the public feed only
# when that person chose a public profile; otherwise only the person sees them.
CONSENT_KINDS: frozenset[str] = frozenset({BADGE_EARNED})


def label_for(kind: str) -> str:
    """The human label of ``kind``; an unknown kind (from an old row) reads plainly."""
    return LABELS.get(kind, kind.replace(".", " ").replace("_", " ").capitalize())
