"""After a roundtable meeting ends, its moderator is reminded once to save a digest of its thread."""

from __future__ import annotations

from datetime import timedelta

from bot import outbox
from bot.digests.reminders import enqueue_digest_reminders
from bot.emulator import TEAM_ID
from bot.render import slack
from bot.roundtables import reminders
from bot.roundup.content import build_roundup
from storage.digests import DigestText, save_digest
from tests.harness import MODERATOR, TestBot, flatten
from tests.roundtable_steps import CHANNEL, reminders_posted, schedule, utc

START = utc(2026, 11, 24, 21, 0)  # Tuesday 15:00 in Chicago; the meeting lasts 60 minutes
DM = "D" + MODERATOR[1:]  # the emulator's conversations.open channel for the moderator


def tick(bot: TestBot, when: object) -> list[outbox.Outcome]:
    bot.clock.now = when  # type: ignore[assignment]
    reminders.enqueue_due_reminders(bot.services)
    enqueue_digest_reminders(bot.services)
    return outbox.deliver_due(bot.services)


def nudges(bot: TestBot) -> list[dict]:
    return bot.emulator.messages.get(DM, [])


def test_the_moderator_is_reminded_once_when_the_meeting_ends(bot: TestBot) -> None:
    schedule(bot, "2026-11-24 15:00 America/Chicago weekly Wireless <downtown> & parks")
    tick(bot, START - timedelta(minutes=60))
    assert reminders_posted(bot)
    tick(bot, START + timedelta(minutes=59))
    assert nudges(bot) == []
    tick(bot, START + timedelta(minutes=61))
    [nudge] = nudges(bot)
    text = flatten(nudge)
    assert "*Wireless &lt;downtown&gt; &amp; parks* has ended" in text
    assert f"on the meeting's reminder in <#{CHANNEL}>" in text and "Save discussion digest" in text
    for later in (2, 5, 60 * 20):
        tick(bot, START + timedelta(minutes=60 + later))
    assert len(nudges(bot)) == 1


def test_no_reminder_when_a_digest_of_the_meeting_thread_is_already_saved(bot: TestBot) -> None:
    schedule(bot, "2026-11-24 15:00 America/Chicago Wireless downtown")
    tick(bot, START - timedelta(minutes=60))
    [reminder] = reminders_posted(bot)
    with bot.db.begin() as session:
        save_digest(session, TEAM_ID, MODERATOR, DigestText(CHANNEL, reminder["ts"], "Wireless", "Points.", [], 9),
                    START + timedelta(minutes=50))
    [outcome] = [o for o in tick(bot, START + timedelta(minutes=65)) if "digest" in o.detail]
    assert outcome.status == "skipped" and nudges(bot) == []


def test_the_roundup_lists_the_next_roundtables_within_14_days(bot: TestBot) -> None:
    schedule(bot, "2026-11-24 15:00 America/Chicago weekly Wireless downtown")
    schedule(bot, "2026-12-20 10:00 America/New_York Too far ahead")
    with bot.db.begin() as session:
        roundup = build_roundup(session, TEAM_ID, bot.clock(), "America/New_York")
    [section] = [s for s in roundup.sections if s.heading == "Next roundtables"]
    assert len(section.lines) == 2 and section.more == 0  # Nov 24 and Dec 1; Dec 8 is past 14 days
    first = slack.mrkdwn(section.lines[0])  # as Slack shows it
    assert first.startswith(f"• *Wireless downtown* · <!date^{int(START.timestamp())}^") and CHANNEL in first
