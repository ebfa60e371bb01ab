"""Private conversations stay in them: a private channel's questions and digests appear in no
exchange-wide surface (roundup, Home tabs, /digest list and search, /practice search)."""

from __future__ import annotations

from typing import Any

from bot import payloads
from bot.emulator import TEAM_ID
from storage import conversations
from tests.exchange import CIO, MAYOR, seed_exchange
from tests.handlers.test_digests import last_view, submit
from tests.handlers.test_home import open_home
from tests.harness import MEMBER, MODERATOR, TestBot, flatten
from tests.roundtable_steps import schedule
from tests.threads import PARENT_TS, long_thread

SECRET = "C0EXECSESSION"  # a private channel
OPEN_CHANNEL = "C0GENERAL"
ASKED = "How did your city pay for wireless hotspots downtown, privately?"


def say(bot: TestBot, text: str, channel: str, channel_type: str, *, user: str = MAYOR) -> dict[str, Any]:
    message = payloads.message_event(text, user=user, channel=channel, channel_type=channel_type)
    bot.emulator.add_message(channel, message)
    bot.event(message)
    return message


def everywhere_else(bot: TestBot) -> str:
    """Every exchange-wide surface, as seen from a public channel."""
    seen = []
    for command, text in (("/roundup", "preview"), ("/digest", "list"), ("/digest", "search hotspots"),
                          ("/practice", "search wireless hotspots")):
        bot.command(command, text, user=MODERATOR, channel=OPEN_CHANNEL)
        seen.append(bot.last_reply_text())
    for user in (MAYOR, CIO, MODERATOR):
        seen.append(flatten(open_home(bot, user)))
    return "\n".join(seen)


def test_a_private_channels_question_gets_its_suggestions_and_appears_nowhere_else(bot: TestBot) -> None:
    seed_exchange(bot)
    for channel_type in ("group", "mpim", "im"):
        channel = f"{SECRET}{channel_type.upper()}"
        asked = say(bot, f"{ASKED} ({channel_type})", channel, channel_type)
        suggestion = [c for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("thread_ts") == asked["ts"]]
        assert suggestion and "Free wireless hotspots downtown" in flatten(suggestion[0].args)
    say(bot, "What did Detroit's hotspots cost per park, publicly?", OPEN_CHANNEL, "channel")

    seen = everywhere_else(bot)
    assert "privately" not in seen
    assert "publicly" in seen  # the same surfaces do show a public channel's question


def test_a_private_threads_digest_stays_in_its_channel(bot: TestBot) -> None:
    bot.emulator.private_channels.add(SECRET)
    thread = [dict(m, text=m["text"].replace("hotspots", "hotspots secretly")) for m in long_thread(12)]
    bot.emulator.set_thread(SECRET, PARENT_TS, thread)
    bot.send(payloads.message_shortcut("save_digest", thread[0], user=MEMBER, channel=SECRET,
                                       response_url=bot.emulator.response_url("shortcut")))
    submit(bot, last_view(bot))
    bot.emulator.wait_for("chat.getPermalink")

    assert "secretly" not in everywhere_else(bot)
    bot.command("/digest", "search hotspots", user=MEMBER, channel=SECRET)  # its own members find it there
    assert "secretly" in bot.last_reply_text()


def test_a_conversation_the_bot_cannot_look_up_is_private(bot: TestBot) -> None:
    bot.emulator.fail("conversations.info", error="missing_scope")
    thread = long_thread(12)
    bot.emulator.set_thread(OPEN_CHANNEL, PARENT_TS, thread)
    bot.send(payloads.message_shortcut("save_digest", thread[0], user=MEMBER, channel=OPEN_CHANNEL,
                                       response_url=bot.emulator.response_url("shortcut")))
    submit(bot, last_view(bot))
    bot.emulator.wait_for("chat.getPermalink")
    bot.command("/digest", "list", user=MEMBER, channel="C0ELSEWHERE")
    assert "No digests yet" in bot.last_reply_text()


def test_ask_in_a_private_channel_is_private_by_its_channel_name(bot: TestBot) -> None:
    seed_exchange(bot)
    payload = payloads.slash_command("/ask", ASKED, user=MAYOR, channel=SECRET,
                                     response_url=bot.emulator.response_url("ask"))
    payload["channel_name"] = "privategroup"
    bot.send(payload)
    with bot.db.begin() as session:
        assert conversations.known(session, TEAM_ID, SECRET) is False
    assert "privately" not in everywhere_else(bot)


def test_a_channel_made_private_takes_its_questions_with_it(bot: TestBot) -> None:
    seed_exchange(bot)
    say(bot, ASKED, SECRET, "channel")
    assert "privately" in flatten(open_home(bot, MODERATOR))
    say(bot, "Thanks all, moving this to the executive session.", SECRET, "group", user=CIO)
    assert "privately" not in flatten(open_home(bot, MODERATOR))


def test_a_roundtable_meeting_in_a_private_channel_is_listed_only_there(bot: TestBot) -> None:
    bot.emulator.private_channels.add(SECRET)
    assert "Scheduled roundtable #1" in schedule(bot, "2026-12-03 15:00 America/Chicago Budget secretly",
                                                 user=MODERATOR, channel=SECRET)
    assert "secretly" not in everywhere_else(bot)
    bot.command("/roundtable", "list", user=MODERATOR, channel=OPEN_CHANNEL)
    assert "secretly" not in bot.last_reply_text()
    bot.command("/roundtable", "ics 1", user=MEMBER, channel=OPEN_CHANNEL)
    assert bot.last_reply_text().startswith("There is no roundtable #1")
    bot.command("/roundtable", "list", user=MEMBER, channel=SECRET)  # its members see it there
    assert "secretly" in bot.last_reply_text()
    bot.command("/roundtable", "ics 1", user=MEMBER, channel=SECRET)
    assert "roundtable-1.ics" in bot.last_reply_text()
