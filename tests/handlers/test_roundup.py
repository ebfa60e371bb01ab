"""/roundup now | last | settings, as members and moderators use them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot import payloads
from bot.emulator import TEAM_ID
from storage.roundups import PostedRoundup, RoundupSettings
from tests.harness import MEMBER, MODERATOR, TestBot, flatten, payloads_json

CHANNEL = "C0ROUNDUP"


def posted(bot: TestBot) -> list[dict[str, Any]]:
    return [c.args for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("channel") == CHANNEL]


def records(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(PostedRoundup))


def test_roundup_now_is_refused_for_members_and_posts_nothing(bot: TestBot) -> None:
    bot.command("/roundup", "now", user=MEMBER)
    assert bot.last_reply_text().startswith("Only moderators can post the roundup now.")
    assert bot.replies()[-1]["response_type"] == "ephemeral"
    assert posted(bot) == [] and records(bot) == 0


def test_roundup_now_posts_at_once_through_a_429_and_last_shows_it(bot: TestBot) -> None:
    bot.emulator.fail("chat.postMessage", status=429, retry_after=1)
    bot.command("/roundup", "now", user=MODERATOR)
    assert bot.last_reply_text() == f"Posted this week's roundup in <#{CHANNEL}>."
    assert len(posted(bot)) == 2  # the 429, then the post that went through
    assert len(bot.emulator.messages[CHANNEL]) == 1
    bot.command("/roundup", "last", user=MEMBER)
    last = bot.replies()[-1]
    assert last["response_type"] == "ephemeral"
    assert "Roundtable roundup, week of Mon, Nov 16, 2026 – Mon, Nov 23, 2026" in flatten(last)
    assert f"in <#{CHANNEL}>" in flatten(last)


def test_roundup_now_when_the_bot_is_not_in_the_channel_says_how_to_fix_it(bot: TestBot) -> None:
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    bot.command("/roundup", "now", user=MODERATOR)
    assert bot.last_reply_text() == f"I'm not in <#{CHANNEL}>: invite me with `/invite @Roundtable`, then try again."
    assert records(bot) == 0  # nothing half-written: the next try is not "just posted"


def test_last_before_any_roundup(bot: TestBot) -> None:
    bot.command("/roundup", "last")
    assert bot.last_reply_text() == (
        f"No roundup has been posted yet. It is posted Mondays at 09:00 America/New_York in <#{CHANNEL}>.")


def settings_values(day: str = "tue", time: str = "10:30", zone: str = "America/Chicago",
                    channel: str | None = "C0WEEKLY", quiet: str = "skip") -> dict[str, Any]:
    def option(value: str) -> dict[str, Any]:
        return {"type": "static_select", "selected_option": {"value": value, "text": {"type": "plain_text",
                                                                                      "text": value}}}
    return {"day": {"day": option(day)}, "time": {"time": {"type": "timepicker", "selected_time": time}},
            "timezone": {"timezone": option(zone)}, "quiet": {"quiet": option(quiet)},
            "channel": {"channel": {"type": "conversations_select", "selected_conversation": channel}}}


def test_moderators_change_the_schedule_in_a_modal(bot: TestBot) -> None:
    bot.command("/roundup", "settings", user=MODERATOR)
    view = payloads_json(bot.emulator.calls_to("views.open")[-1].args["view"])
    assert "Mondays at 09:00 America/New_York" in flatten(view)
    response = bot.send(payloads.view_submission("roundup_settings", settings_values(), user=MODERATOR))
    answer = json.loads(response.body)
    assert answer["response_action"] == "update"
    assert "Tuesdays at 10:30 America/Chicago in <#C0WEEKLY>, skipped in quiet weeks" in flatten(answer["view"])
    with bot.db.begin() as session:
        saved = session.get(RoundupSettings, TEAM_ID)
    assert (saved.day, saved.time, saved.timezone, saved.channel_id, saved.post_quiet_weeks) == (
        "tue", "10:30", "America/Chicago", "C0WEEKLY", False)


def test_bad_settings_are_refused_inline_and_members_cannot_change_them(bot: TestBot) -> None:
    response = bot.send(payloads.view_submission(
        "roundup_settings", settings_values(time="25:00", zone="Mars/Olympus", channel=None), user=MODERATOR))
    assert set(json.loads(response.body)["errors"]) == {"time", "timezone", "channel"}
    response = bot.send(payloads.view_submission("roundup_settings", settings_values(), user=MEMBER))
    assert json.loads(response.body)["response_action"] == "errors"
    bot.command("/roundup", "settings", user=MEMBER)
    assert "Only moderators can change this." in bot.last_reply_text()
    assert not bot.emulator.calls_to("views.open")
    with bot.db.begin() as session:
        assert session.get(RoundupSettings, TEAM_ID) is None


def test_a_posted_roundup_is_kept_as_neutral_content_and_last_shows_what_was_posted(bot: TestBot) -> None:
    from bot.messages import Message, from_data
    from bot.render import slack
    from tests import week

    with bot.db.begin() as session:
        week.practice(session, "<!channel> Wireless & broadband downtown")
    bot.command("/roundup", "now", user=MODERATOR)
    sent = posted(bot)[-1]
    sent_blocks = sent["blocks"] if isinstance(sent["blocks"], list) else json.loads(sent["blocks"])
    with bot.db.begin() as session:
        row = session.scalars(select(PostedRoundup)).one()
        content = row.content
    stored = json.dumps(content)
    assert '"type": "section"' not in stored and "mrkdwn" not in stored and "&lt;" not in stored
    assert "<!channel> Wireless & broadband downtown" in stored  # what the member typed, as typed
    message = from_data(content)
    assert isinstance(message, Message)
    assert sent_blocks == slack.message(message)["blocks"]
    bot.command("/roundup", "last", user=MEMBER)
    last = bot.replies()[-1]
    assert last["blocks"][1:] == sent_blocks  # the note, then the roundup as posted
    assert "&lt;!channel&gt; Wireless &amp; broadband downtown" in flatten(last)
