"""The weekly roundup goes out once per week: through the outbox, after 429s, after downtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import outbox
from bot.emulator import TEAM_ID
from bot.render.slack import mrkdwn as said
from bot.roundup.delivery import KIND, enqueue_roundups, post_now
from storage import roundup_settings, roundups
from storage.deliveries import Delivery
from storage.roundups import PostedRoundup
from tests import week
from tests.harness import MODERATOR, TestBot

CHANNEL = "C0ROUNDUP"  # tests.harness.test_settings' ROUNDUP_CHANNEL
DUE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 09:00 in New York: ROUNDUP_CRON's default


def tick(bot: TestBot, at: datetime) -> list[outbox.Outcome]:
    """One scheduler tick at `at`: the roundup job, then the outbox's delivery job."""
    bot.clock.now = at
    enqueue_roundups(bot.services)
    return outbox.deliver_due(bot.services, at)


def roundups_in_channel(bot: TestBot) -> list[dict]:
    return [m for m in bot.emulator.messages.get(CHANNEL, []) if "roundup" in m["text"].lower()]


def deliveries(bot: TestBot) -> list[Delivery]:
    with bot.db.begin() as session:
        return list(session.scalars(select(Delivery).where(Delivery.kind == KIND).order_by(Delivery.id)))


def test_posted_once_when_due_and_never_again_that_week(bot: TestBot) -> None:
    with bot.db.begin() as session:
        week.practice(session, "Free wireless hotspots downtown", at=DUE - timedelta(days=1))
    assert tick(bot, DUE - timedelta(seconds=30)) == []
    assert [o.status for o in tick(bot, DUE + timedelta(seconds=20))] == ["sent"]
    for minutes in (1, 60, 24 * 60):
        assert tick(bot, DUE + timedelta(minutes=minutes)) == []
    [posted] = roundups_in_channel(bot)
    assert "Free wireless hotspots downtown" in str(posted["blocks"])
    assert posted["metadata"]["event_payload"]["key"] == "2026-W48"
    with bot.db.begin() as session:
        last = roundups.last_posted(session, TEAM_ID)
    assert last is not None and last.message_ts == posted["ts"] and last.source == roundups.SCHEDULED
    tick(bot, DUE + timedelta(days=7, seconds=5))
    assert len(roundups_in_channel(bot)) == 2  # the next week's


def test_a_429_delays_the_roundup_it_does_not_lose_it(bot: TestBot) -> None:
    bot.emulator.fail("chat.postMessage", status=429, retry_after=40)
    assert [o.status for o in tick(bot, DUE)] == ["retry"]
    assert roundups_in_channel(bot) == [] and tick(bot, DUE + timedelta(seconds=30)) == []  # Retry-After holds
    bot.emulator.fail("chat.postMessage", status=503)
    assert [o.status for o in tick(bot, DUE + timedelta(seconds=41))] == ["retry"]
    assert [o.status for o in tick(bot, DUE + timedelta(minutes=5))] == ["sent"]
    assert len(roundups_in_channel(bot)) == 1
    assert [d.attempts for d in deliveries(bot)] == [3]


def test_after_downtime_a_roundup_missed_by_less_than_12_hours_posts_once_an_older_one_never(bot: TestBot) -> None:
    assert [o.status for o in tick(bot, DUE + timedelta(hours=11, minutes=50))] == ["sent"]
    tick(bot, DUE + timedelta(hours=12, minutes=10))
    assert len(roundups_in_channel(bot)) == 1
    next_week = DUE + timedelta(days=7)
    assert tick(bot, next_week + timedelta(hours=12, minutes=1)) == []  # the process was down all day
    assert len(roundups_in_channel(bot)) == 1 and len(deliveries(bot)) == 1


def test_roundup_now_before_the_weekly_one_replaces_it(bot: TestBot) -> None:
    bot.clock.now = DUE - timedelta(hours=3)
    assert said(post_now(bot.services, TEAM_ID, MODERATOR)) == f"Posted this week's roundup in <#{CHANNEL}>."
    assert said(post_now(bot.services, TEAM_ID, MODERATOR)).startswith("A roundup was posted a moment ago")
    [outcome] = tick(bot, DUE)
    assert outcome.status == "skipped" and "posted on request" in outcome.detail
    assert len(roundups_in_channel(bot)) == 1
    tick(bot, DUE + timedelta(days=7))  # the week after is not affected
    assert len(roundups_in_channel(bot)) == 2


def test_a_quiet_week_posts_a_short_roundup_or_none_by_the_workspaces_choice(bot: TestBot) -> None:
    tick(bot, DUE)
    [quiet] = roundups_in_channel(bot)
    assert "A quiet week" in str(quiet["blocks"])
    with bot.db.begin() as session:
        roundup_settings.save_settings(session, TEAM_ID, MODERATOR, DUE, day="mon", time="09:00",
                               timezone="America/New_York", channel_id=CHANNEL, post_quiet_weeks=False)
    [outcome] = tick(bot, DUE + timedelta(days=7))
    assert outcome.status == "skipped" and "quiet" in outcome.detail
    with bot.db.begin() as session:
        week.practice(session, "Shared this week", at=DUE + timedelta(days=10))
    assert [o.status for o in tick(bot, DUE + timedelta(days=14))] == ["sent"]


def test_a_workspace_schedule_in_its_own_zone(bot: TestBot) -> None:
    with bot.db.begin() as session:
        roundup_settings.save_settings(session, TEAM_ID, MODERATOR, DUE, day="tue", time="07:30",
                               timezone="America/Los_Angeles", channel_id="C0WEST", post_quiet_weeks=True)
    tuesday_0730_la = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    assert tick(bot, DUE) == [] and tick(bot, tuesday_0730_la - timedelta(minutes=1)) == []
    assert [o.status for o in tick(bot, tuesday_0730_la)] == ["sent"]
    [delivery] = deliveries(bot)
    assert (delivery.channel_id, delivery.due_at) == ("C0WEST", tuesday_0730_la)
    with bot.db.begin() as session:
        record = session.scalars(select(PostedRoundup)).one()
    assert record.timezone == "America/Los_Angeles" and record.title.startswith("Roundtable roundup, week of")


def test_roundup_now_on_a_dropped_connection_frees_the_week_for_the_scheduled_one(bot: TestBot) -> None:
    bot.clock.now = DUE - timedelta(hours=3)
    bot.emulator.fail("chat.postMessage", drop=True)  # the post never reached Slack
    told = said(post_now(bot.services, TEAM_ID, MODERATOR))
    assert "nothing was posted" in told and roundups_in_channel(bot) == []
    with bot.db.begin() as session:
        assert session.scalars(select(PostedRoundup)).all() == []  # no claim left behind
    [outcome] = tick(bot, DUE)
    assert outcome.status == "sent" and len(roundups_in_channel(bot)) == 1


def test_roundup_now_whose_answer_was_lost_is_found_in_the_channel_and_kept(bot: TestBot) -> None:
    bot.clock.now = DUE - timedelta(hours=3)
    bot.emulator.clock = lambda: bot.clock.now.timestamp()  # Slack's ts are the time of the post
    bot.emulator.fail("chat.postMessage", lose_response=True)  # posted, then the connection dropped
    assert said(post_now(bot.services, TEAM_ID, MODERATOR)) == f"Posted this week's roundup in <#{CHANNEL}>."
    assert len(roundups_in_channel(bot)) == 1  # found by its metadata, not posted again
    with bot.db.begin() as session:
        assert roundups.last_posted(session, TEAM_ID) is not None
    [outcome] = tick(bot, DUE)
    assert outcome.status == "skipped" and len(roundups_in_channel(bot)) == 1


def test_a_roundup_now_claim_a_crash_left_behind_does_not_skip_the_week(bot: TestBot) -> None:
    with bot.db.begin() as session:  # claimed, then the process died before posting
        roundups.claim_roundup(session, TEAM_ID, "now:crashed", roundups.NOW, CHANNEL, DUE - timedelta(hours=3),
                               timezone="America/New_York")
    [outcome] = tick(bot, DUE)
    assert outcome.status == "sent" and len(roundups_in_channel(bot)) == 1
