"""Planning discussions: posting, replies, editing, flags, moderation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.ratelimits import RateLimited
from accounts.services import delete_account, export_personal_data
from activity.models import Activity, Notification
from engagement.models import (
    Comment,
    CommentFlag,
    CommentModeration,
    CommentStatus,
    ModerationAction,
)
from engagement.selectors.discussions import comment_html, discussion_for_page
from engagement.services import discussions as services
from points.models import PointsEntry
from points.services import ensure_default_rules
from tests.factories import UserFactory
from tests.neighborhoods.factories import NeighborhoodFactory

from .planning_factories import make_organizer, planning_topic


@pytest.fixture
def topic(db):
    ensure_default_rules()
    return planning_topic()


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Ana")


def _post(user, page, body="I like the plan.", parent=None):
    return services.post_comment(user=user, page=page, body=body, parent=parent)


def _flag(comment, times):
    for _ in range(times):
        services.flag_comment(user=UserFactory(), comment=comment)


# Posting ---------------------------------------------------------------------


def test_a_verified_resident_posts_and_the_neighborhood_feed_hears(topic, resident):
    comment = _post(resident, topic)
    assert comment.neighborhood is not None
    assert comment.neighborhood.page.pk == topic.get_parent().pk
    entry = Activity.objects.get(kind="comment.posted")
    assert entry.public and entry.neighborhood_slug == comment.neighborhood.slug
    assert entry.target_url == topic.get_url()
    # A private profile: the feed does not name the author.
    assert entry.actor is None and "Ana" not in entry.summary


def test_a_public_profile_is_named_in_the_feed(topic):
    author = UserFactory(public_profile=True)
    _post(author, topic)
    assert Activity.objects.get(kind="comment.posted").actor == author


def test_posting_awards_points_once(topic, resident):
    comment = _post(resident, topic)
    entries = PointsEntry.objects.filter(user=resident, reason="comment_posted")
    assert entries.count() == 1
    assert entries.get().source_id == str(comment.pk)


def test_unverified_and_anonymous_people_cannot_post(topic):
    with pytest.raises(PermissionDenied, match="confirm your email"):
        _post(UserFactory(verified=False), topic)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _post(AnonymousUser(), topic)
    assert not Comment.objects.exists()


def test_a_closed_discussion_takes_no_comments(db, resident):
    page = planning_topic(discussion_open=False)
    with pytest.raises(ValidationError, match="closed"):
        _post(resident, page)
    page.unpublish()
    assert not services.discussion_is_open(page=page)


def test_empty_and_overlong_comments_are_refused(topic, resident):
    with pytest.raises(ValidationError, match="write something"):
        _post(resident, topic, body="  \x00 ")
    with pytest.raises(ValidationError, match="under 4000"):
        _post(resident, topic, body="a" * 4001)


def test_a_reply_to_a_reply_joins_the_top_level_thread(topic, resident):
    top = _post(resident, topic)
    neighbor = UserFactory()
    reply = _post(neighbor, topic, "Agreed.", parent=top)
    second = _post(UserFactory(), topic, "Me too.", parent=reply)
    assert reply.parent == top and second.parent == top
    # The first author hears of the replies, privately.
    notes = Notification.objects.filter(user=resident, activity__kind="comment.reply")
    assert notes.count() == 2
    assert all(not n.activity.public for n in notes)


def test_replying_to_your_own_comment_notifies_nobody(topic, resident):
    top = _post(resident, topic)
    _post(resident, topic, "Adding a thought.", parent=top)
    assert not Notification.objects.filter(
        user=resident, activity__kind="comment.reply"
    ).exists()


def test_comment_floods_are_stopped_and_nothing_is_doubled(topic, resident):
    for i in range(services.COMMENTS_PER_MINUTE):
        _post(resident, topic, f"Point {i}")
    with pytest.raises(RateLimited):
        _post(resident, topic, "One too many")
    assert Comment.objects.filter(author=resident).count() == 5


def test_the_same_words_posted_twice_make_one_comment(topic, resident):
    first = _post(resident, topic, "Double click")
    again = _post(resident, topic, "Double click")
    assert again == first
    assert Comment.objects.count() == 1
    assert Activity.objects.filter(kind="comment.posted").count() == 1


# Editing ---------------------------------------------------------------------


def test_authors_edit_within_fifteen_minutes(topic, resident):
    comment = _post(resident, topic)
    services.edit_comment(user=resident, comment=comment, body="Changed my mind.")
    comment.refresh_from_db()
    assert comment.body == "Changed my mind." and comment.edited is not None
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - timedelta(minutes=16)
    )
    comment.refresh_from_db()
    with pytest.raises(ValidationError, match="15 minutes"):
        services.edit_comment(user=resident, comment=comment, body="Too late")
    with pytest.raises(PermissionDenied):
        services.edit_comment(user=UserFactory(), comment=comment, body="Not mine")


# Rendering -------------------------------------------------------------------


def test_markup_shows_as_text_and_only_web_links_become_links():
    html = comment_html(
        '<script>alert("x")</script> see https://example.org/plan?a=1&b=2. '
        "and javascript:alert(1)\nnext line"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert (
        '<a href="https://example.org/plan?a=1&amp;b=2" rel="nofollow ugc noopener">'
        in html
    )
    assert 'href="javascript' not in html
    assert "<br>" in html


# Flags and moderation --------------------------------------------------------


def test_three_flags_hide_a_comment_pending_review(topic, resident):
    comment = _post(resident, topic)
    _flag(comment, 2)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    _flag(comment, 1)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING_REVIEW
    log = CommentModeration.objects.get(comment=comment)
    assert log.action == ModerationAction.AUTO_HIDDEN and log.actor is None


def test_one_flag_per_person_and_none_on_your_own(topic, resident):
    comment = _post(resident, topic)
    flagger = UserFactory()
    services.flag_comment(user=flagger, comment=comment)
    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_comment(user=flagger, comment=comment)
    with pytest.raises(ValidationError, match="your own"):
        services.flag_comment(user=resident, comment=comment)
    assert CommentFlag.objects.count() == 1


def test_a_moderator_hides_and_restores_with_a_logged_reason(topic, resident):
    comment = _post(resident, topic)
    organizer = UserFactory()
    make_organizer(user=organizer, neighborhood=comment.neighborhood)
    with pytest.raises(ValidationError):
        services.hide_comment(actor=organizer, comment=comment, reason="  ")
    services.hide_comment(actor=organizer, comment=comment, reason="Personal attack")
    assert comment.status == CommentStatus.HIDDEN
    # The points it earned are taken back.
    assert (
        sum(PointsEntry.objects.filter(user=resident).values_list("amount", flat=True))
        == 0
    )
    services.restore_comment(actor=organizer, comment=comment, reason="On appeal")
    assert list(
        CommentModeration.objects.filter(comment=comment).values_list(
            "action", "actor", "reason"
        )
    ) == [
        ("hidden", organizer.pk, "Personal attack"),
        ("restored", organizer.pk, "On appeal"),
    ]


def test_an_organizer_of_another_neighborhood_cannot_moderate(topic, resident):
    comment = _post(resident, topic)
    outsider = UserFactory()
    make_organizer(user=outsider, neighborhood=NeighborhoodFactory())
    with pytest.raises(PermissionDenied):
        services.hide_comment(actor=outsider, comment=comment, reason="No")
    with pytest.raises(PermissionDenied):
        services.set_official_response(actor=outsider, comment=comment, official=True)
    assert not CommentModeration.objects.exists()


def test_staff_mark_an_official_response(topic):
    staff = UserFactory(is_staff=True)
    comment = _post(staff, topic, "The city will hold a public meeting in May.")
    services.set_official_response(actor=staff, comment=comment, official=True)
    assert comment.is_official_response and comment.official_marked_by == staff
    shown = discussion_for_page(page=topic, user=UserFactory())
    assert shown["threads"][0]["comment"]["is_official"]
    services.set_official_response(actor=staff, comment=comment, official=False)
    assert list(CommentModeration.objects.values_list("action", flat=True)) == [
        "marked_official",
        "unmarked_official",
    ]


# What people see -------------------------------------------------------------


def test_hidden_comments_leave_a_placeholder_only_where_replies_hang(topic, resident):
    staff = UserFactory(is_staff=True)
    lonely = _post(resident, topic, "Lonely")
    answered = _post(resident, topic, "Answered")
    _post(UserFactory(), topic, "A reply", parent=answered)
    services.hide_comment(actor=staff, comment=lonely, reason="Off topic")
    services.hide_comment(actor=staff, comment=answered, reason="Insults")
    visitor = discussion_for_page(page=topic, user=UserFactory())
    threads = visitor["threads"]
    assert len(threads) == 1
    assert threads[0]["comment"]["placeholder"] == (
        "This comment was hidden by a moderator: Insults"
    )
    assert "body_html" not in threads[0]["comment"]
    # The author still sees their own comments, with the note.
    own = discussion_for_page(page=topic, user=resident)["threads"]
    assert [t["comment"]["note"] for t in own] == [
        "This comment was hidden by a moderator: Insults",
        "This comment was hidden by a moderator: Off topic",
    ]


def test_official_responses_first_then_newest_threads_page_by_page(
    client, topic, resident
):
    from engagement.selectors.discussions import THREADS_PER_PAGE

    staff = UserFactory(is_staff=True)
    oldest = _post(staff, topic, "The city's answer")
    services.set_official_response(actor=staff, comment=oldest, official=True)
    first_resident = _post(UserFactory(), topic, "Thread 0")
    for i in range(1, THREADS_PER_PAGE + 1):
        _post(UserFactory(), topic, f"Thread {i}")
    shown = discussion_for_page(page=topic, user=resident)
    assert [t["comment"]["id"] for t in shown["threads"][:2]] == [
        oldest.pk,
        Comment.objects.latest("pk").pk,
    ]
    assert shown["pagination"]["num_pages"] == 2
    # A reply in a thread on the second page leads there.
    client.force_login(resident)
    url = reverse("engagement:comment_post", kwargs={"page_id": topic.pk})
    response = client.post(url, {"body": "Late reply", "reply_to": first_resident.pk})
    reply = Comment.objects.get(body="Late reply")
    assert response["Location"].endswith(f"?page=2#comment-{reply.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Late reply" in html and "Thread 0" in html


# Views -----------------------------------------------------------------------


def test_the_page_shows_comments_escaped_and_a_sign_in_link(client, topic, resident):
    _post(resident, topic, "<b>bold</b> <script>x()</script>")
    response = client.get(topic.get_url())
    html = response.content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>x()" not in html
    assert "Sign in to join the discussion" in html


def test_posting_through_the_page_redirects_to_the_comment(client, topic, resident):
    client.force_login(resident)
    url = reverse("engagement:comment_post", kwargs={"page_id": topic.pk})
    response = client.post(url, {"body": "Great idea."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "Great idea." in page and "Your comment is posted." in page


def test_a_refused_comment_keeps_what_was_typed(client, topic, resident):
    client.force_login(resident)
    url = reverse("engagement:comment_post", kwargs={"page_id": topic.pk})
    for i in range(services.COMMENTS_PER_MINUTE):
        client.post(url, {"body": f"Comment {i}"})
    response = client.post(url, {"body": "My carefully written sixth thought"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "My carefully written sixth thought" in html
    assert "limit of 5 per minute" in html
    assert Comment.objects.count() == 5


def test_an_unverified_resident_is_told_to_confirm(client, topic):
    client.force_login(UserFactory(verified=False))
    url = reverse("engagement:comment_post", kwargs={"page_id": topic.pk})
    response = client.post(url, {"body": "Hello"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "confirm your email" in html and "Hello" in html
    assert not Comment.objects.exists()


def test_editing_after_the_window_says_so(client, topic, resident):
    comment = _post(resident, topic)
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - timedelta(minutes=20)
    )
    client.force_login(resident)
    url = reverse("engagement:comment_edit", kwargs={"comment_id": comment.pk})
    response = client.post(url, {"body": "New words"}, follow=False)
    assert response.status_code == 400
    html = response.content.decode()
    assert "15 minutes" in html and "New words" in html


def test_flagging_twice_through_the_page_gives_a_friendly_message(
    client, topic, resident
):
    comment = _post(resident, topic)
    client.force_login(UserFactory())
    url = reverse("engagement:comment_flag", kwargs={"comment_id": comment.pk})
    client.post(url)
    response = client.post(url, follow=True)
    assert "already flagged" in response.content.decode()
    assert CommentFlag.objects.count() == 1


def test_moderators_hide_through_a_reason_form(client, topic, resident):
    comment = _post(resident, topic)
    organizer = UserFactory()
    make_organizer(user=organizer, neighborhood=comment.neighborhood)
    client.force_login(organizer)
    url = reverse("engagement:comment_hide", kwargs={"comment_id": comment.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Spam"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN


def test_other_neighborhoods_organizers_are_refused(client, topic, resident):
    comment = _post(resident, topic)
    outsider = UserFactory()
    make_organizer(user=outsider, neighborhood=NeighborhoodFactory())
    client.force_login(outsider)
    url = reverse("engagement:comment_hide", kwargs={"comment_id": comment.pk})
    response = client.post(url, {"reason": "Spam"})
    assert response.status_code == 403
    assert "organizers of this neighborhood" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_the_moderation_queue_lists_flagged_comments(client, topic, resident):
    comment = _post(resident, topic, "Flag me")
    _flag(comment, 3)
    organizer = UserFactory()
    make_organizer(user=organizer, neighborhood=comment.neighborhood)
    client.force_login(organizer)
    html = client.get(reverse("engagement:moderation_queue")).content.decode()
    assert "Flag me" in html and "3 flags" in html
    outsider = UserFactory()
    make_organizer(user=outsider, neighborhood=NeighborhoodFactory())
    client.force_login(outsider)
    html = client.get(reverse("engagement:moderation_queue")).content.decode()
    assert "Flag me" not in html and "Nothing waiting" in html
    client.force_login(UserFactory())
    assert client.get(reverse("engagement:moderation_queue")).status_code == 403


def test_moderators_mark_official_and_restore_through_the_page(client, topic, resident):
    comment = _post(resident, topic)
    _flag(comment, 3)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    html = client.get(topic.get_url()).content.decode()
    assert "Hidden pending review" in html and "Restore" in html
    restore = reverse("engagement:comment_restore", kwargs={"comment_id": comment.pk})
    client.post(restore, {"reason": "Fair criticism, not abuse"})
    official = reverse("engagement:comment_official", kwargs={"comment_id": comment.pk})
    response = client.post(official, {"official": "1"}, follow=True)
    html = response.content.decode()
    assert "Official response" in html and "Hidden pending review" not in html
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE and comment.is_official_response


def test_residents_cannot_mark_official_responses(client, topic, resident):
    comment = _post(resident, topic)
    client.force_login(resident)
    official = reverse("engagement:comment_official", kwargs={"comment_id": comment.pk})
    response = client.post(official, {"official": "1"}, follow=True)
    assert "Only city staff and the organizers" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_official_response


# Personal data ---------------------------------------------------------------


def test_export_and_erasure_of_comments_and_flags(topic, resident):
    comment = _post(resident, topic, "Keep this")
    other = _post(UserFactory(), topic, "Theirs")
    services.flag_comment(user=resident, comment=other)
    data = export_personal_data(user=resident)
    assert [c["body"] for c in data["discussions"]["comments"]] == ["Keep this"]
    assert data["discussions"]["flags"][0]["comment_id"] == other.pk
    delete_account(user=resident)
    assert not CommentFlag.objects.filter(user=resident).exists()
    shown = discussion_for_page(page=topic, user=UserFactory())
    names = {t["comment"]["id"]: t["comment"]["author_name"] for t in shown["threads"]}
    assert names[comment.pk] == "a former resident"
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_demo_discussion_is_posted_once(db):
    from engagement.demo_discussions import create_demo_discussion

    ensure_default_rules()
    page = planning_topic(
        title="Dudley Square safer crossings", polls=[("First?", ["A", "B"])]
    )
    resident = UserFactory(email="resident@civicpulse.local")
    organizer = UserFactory(email="organizer@civicpulse.local")
    make_organizer(user=organizer, neighborhood=page.get_parent().specific.neighborhood)
    assert create_demo_discussion() == 2
    assert create_demo_discussion() == 0
    reply = Comment.objects.get(author=organizer)
    assert reply.is_official_response and reply.parent.author == resident
    assert resident.poll_votes.count() == 1
