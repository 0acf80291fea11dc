"""The default rules: seeded by a data migration, and restored if a table was
flushed (transactional tests), so an award never fails for a missing row."""

REPORT_ACCEPTED = "report_accepted"
FIX_CONFIRMED = "fix_confirmed"
SUPPORT_GIVEN = "support_given"
COMMENT_POSTED = "comment_posted"
VOLUNTEER_HOUR = "volunteer_hour"
CAMPAIGN_COMPLETED = "campaign_completed"

DEFAULT_RULES: dict[str, dict] = {
    REPORT_ACCEPTED: {
        "label": "A report the city accepted",
        "description": "You reported a problem and the city took it on.",
        "points": 10,
        "daily_cap": 10,
    },
    FIX_CONFIRMED: {
        "label": "A fix you confirmed",
        "description": "You told the city that a fix on your report worked.",
        "points": 5,
        "daily_cap": 10,
    },
    SUPPORT_GIVEN: {
        "label": "Support for a neighbor's report",
        "description": "You said “me too” on someone else's open report.",
        "points": 1,
        "daily_cap": 10,
    },
    COMMENT_POSTED: {
        "label": "A comment in a planning discussion",
        "description": "You took part in a neighborhood planning discussion.",
        "points": 2,
        "daily_cap": 5,
    },
    VOLUNTEER_HOUR: {
        "label": "An hour of volunteering",
        "description": "An organizer confirmed an hour you volunteered.",
        "points": 15,
        "daily_cap": 8,
    },
    CAMPAIGN_COMPLETED: {
        "label": "A completed campaign",
        "description": "You finished every step of a civic campaign.",
        "points": 25,
        "daily_cap": None,
    },
}
