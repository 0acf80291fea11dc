"""Awarding points: once per source, within the rules, and never for gaming."""

from datetime import timedelta

import pytest
from django.utils import timezone

from points import services
from points.models import AppendOnlyError, PointsEntry, PointsHold, PointsRule
from points.selectors import total_points
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_award_uses_the_rule_and_names_its_source(resident, source):
    award = services.award_points(
        user=resident, reason="report_accepted", source=source
    )
    assert award.created
    entry = award.entry
    assert entry.amount == PointsRule.objects.get(reason="report_accepted").points
    assert (entry.source_type, entry.source_id) == ("accounts.user", str(source.pk))
    assert total_points(user=resident) == entry.amount


def test_awarding_twice_returns_the_same_entry(resident, source):
    first = services.award_points(user=resident, reason="fix_confirmed", source=source)
    second = services.award_points(user=resident, reason="fix_confirmed", source=source)
    assert not second.created
    assert second.entry.pk == first.entry.pk
    assert PointsEntry.objects.filter(user=resident).count() == 1


def test_an_explicit_amount_overrides_the_rule(resident, source):
    award = services.award_points(
        user=resident, reason="volunteer_hour", source=source, amount=45
    )
    assert award.entry.amount == 45


def test_the_daily_cap_stops_awards_until_tomorrow(resident):
    PointsRule.objects.filter(reason="support_given").update(daily_cap=2)
    sources = UserFactory.create_batch(3)
    awards = [
        services.award_points(user=resident, reason="support_given", source=s)
        for s in sources
    ]
    assert [a.created for a in awards] == [True, True, False]
    assert awards[2].skipped == "the daily cap is reached"
    assert PointsEntry.objects.filter(user=resident).count() == 2


def test_yesterdays_awards_do_not_count_against_the_cap(resident, source):
    PointsRule.objects.filter(reason="support_given").update(daily_cap=1)
    PointsEntry.objects.create(
        user=resident,
        amount=1,
        reason="support_given",
        source_type="x.y",
        source_id="1",
        created=timezone.now() - timedelta(days=2),
    )
    award = services.award_points(user=resident, reason="support_given", source=source)
    assert award.created


def test_an_unverified_account_earns_nothing(source):
    person = UserFactory(verified=False)
    award = services.award_points(user=person, reason="report_accepted", source=source)
    assert award.entry is None and not award.created
    assert award.skipped == "the email address is not verified"
    assert not PointsEntry.objects.filter(user=person).exists()


def test_a_hold_pauses_awards(resident, source):
    PointsHold.objects.create(user=resident, reason="Many supports from one IP")
    award = services.award_points(
        user=resident, reason="report_accepted", source=source
    )
    assert award.skipped == "awards are on hold"
    assert total_points(user=resident) == 0


def test_a_disabled_rule_awards_nothing(resident, source):
    PointsRule.objects.filter(reason="comment_posted").update(active=False)
    award = services.award_points(user=resident, reason="comment_posted", source=source)
    assert award.skipped == "the rule is disabled"
    assert not PointsEntry.objects.exists()


def test_a_negative_award_is_refused(resident, source):
    with pytest.raises(ValueError, match="reverse_points"):
        services.award_points(
            user=resident, reason="report_accepted", source=source, amount=-5
        )


def test_an_unknown_reason_is_refused(resident, source):
    with pytest.raises(ValueError, match="unknown"):
        services.award_points(user=resident, reason="typo", source=source)


def test_a_flushed_rule_table_is_restored_on_award(resident, source):
    PointsRule.objects.all().delete()
    award = services.award_points(
        user=resident, reason="report_accepted", source=source
    )
    assert award.created
    assert PointsRule.objects.filter(reason="report_accepted").exists()


def test_a_reversal_is_written_once_and_cancels_the_award(resident, source):
    services.award_points(user=resident, reason="report_accepted", source=source)
    first = services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="Duplicate"
    )
    second = services.reverse_points(
        user=resident, reason="report_accepted", source=source, why="Duplicate"
    )
    assert first.pk == second.pk
    assert first.amount < 0 and first.note == "Duplicate"
    assert total_points(user=resident) == 0
    assert PointsEntry.objects.filter(user=resident).count() == 2


def test_reversing_what_was_never_awarded_does_nothing(resident, source):
    assert (
        services.reverse_points(
            user=resident, reason="report_accepted", source=source, why="x"
        )
        is None
    )
    assert not PointsEntry.objects.exists()


def test_the_ledger_is_append_only(resident, source):
    entry = services.award_points(
        user=resident, reason="report_accepted", source=source
    ).entry
    entry.amount = 1000
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.filter(pk=entry.pk).update(amount=1000)
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.amount == 10
