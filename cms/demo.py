"""Everything a local CivicPulse shows out of the box, loaded in dependency order."""

from accounts.demo import create_demo_accounts
from engagement.demo_catalogue import load_demo_catalogue
from engagement.demo_discussions import create_demo_discussion
from engagement.demo_reports import file_demo_reports
from engagement.demo_requests import import_demo_requests
from engagement.demo_staff import acknowledge_demo_report, create_demo_staff_membership
from neighborhoods.demo import load_demo_neighborhoods
from neighborhoods.demo_groups import create_demo_groups
from points.demo import create_demo_campaign

from .demo_pages import create_demo_pages
from .events.demo import create_demo_events


def load_demo_data(*, stdout=None) -> None:
    """Idempotent: a second run creates nothing and changes nothing."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line)

    result = load_demo_neighborhoods()
    say(
        f"Neighborhoods: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged."
    )
    catalogue = load_demo_catalogue()
    say(f"Services: {catalogue.summary()}.")
    for imported in import_demo_requests():
        say(f"311 requests: {imported.summary()}")
    accounts = create_demo_accounts()
    created = sum(1 for _, was_created in accounts if was_created)
    say(f"Demo accounts: {created} created, {len(accounts) - created} already there.")
    create_demo_staff_membership()
    say(f"Demo reports by the demo resident: {file_demo_reports()} filed.")
    if acknowledge_demo_report():
        say("The demo staff lead acknowledged the demo resident's pothole report.")
    say(f"Campaign: {create_demo_campaign().get_absolute_url()}")
    say(f"Pages: {create_demo_pages()} planning topics and city updates created.")
    groups = create_demo_groups()
    say(
        f"Neighborhood groups: {len(groups)}; the demo organizer runs Roxbury's, "
        "and the demo resident is a member."
    )
    say(f"Demo discussion: {create_demo_discussion()} comments posted.")
    say(f"Volunteer events: {create_demo_events()} created.")
