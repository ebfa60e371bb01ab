"""Slack's message events as the bot's own terms (handlers/slack/events/messages.py): the subtypes
are read here, at the edge, and nowhere in bot/."""

from __future__ import annotations

from pathlib import Path

from bot.questions.events import Edited, Posted, Removed, Seen
from handlers.slack.events.messages import translated

BOT = "U0BOT"


def test_a_new_message_is_posted_with_its_text_as_read() -> None:
    event = {"type": "message", "channel": "C1", "ts": "1.1", "user": "U1", "text": "How did <@U2> fund it?",
             "channel_type": "channel"}
    assert translated(event, BOT) == Posted("C1", "1.1", "U1", "How did @U2 fund it?", "", False, True)


def test_a_broadcast_reply_and_a_file_share_are_posted() -> None:
    reply = {"subtype": "thread_broadcast", "channel": "C1", "ts": "1.2", "thread_ts": "1.1", "user": "U1", "text": "x"}
    assert translated(reply, BOT) == Posted("C1", "1.2", "U1", "x", "1.1", True, None)
    shared = {"subtype": "file_share", "channel": "G1", "ts": "1.3", "user": "U1", "text": "y", "channel_type": "group"}
    assert translated(shared, BOT) == Posted("G1", "1.3", "U1", "y", "", False, False)


def test_edits_deletions_and_tombstones() -> None:
    edit = {"subtype": "message_changed", "channel": "C1",
            "message": {"ts": "1.1", "user": "U1", "text": "Why &amp; how?", "thread_ts": "1.0"}}
    assert translated(edit, BOT) == Edited("C1", "1.1", "U1", "Why & how?", "1.0", None)
    assert translated({"subtype": "message_deleted", "channel": "C1", "deleted_ts": "1.1"}, BOT) == Removed("C1", "1.1")
    tombstone = {"subtype": "message_changed", "channel": "C1", "message": {"ts": "1.1", "subtype": "tombstone"}}
    assert translated(tombstone, BOT) == Removed("C1", "1.1")


def test_bots_joins_and_the_bots_own_edits_are_only_seen() -> None:
    for event in ({"channel": "C1", "ts": "1", "bot_id": "B1", "text": "How?"},
                  {"channel": "C1", "ts": "1", "user": BOT, "text": "How are you all doing?"},
                  {"subtype": "channel_join", "channel": "C1", "ts": "1", "user": "U1", "text": "joined"},
                  {"subtype": "message_changed", "channel": "C1", "message": {"ts": "1", "bot_id": "B1"}}):
        assert translated(event, BOT) == Seen("C1")


# Slack's own payloads, built for tests and the console; a thread's replies as Slack returns them
# (README: reading threads is not yet neutral)
SLACK_SHAPED = {"payloads.py", "digests/draft.py"}


def test_no_rule_in_bot_reads_a_slack_subtype() -> None:
    root = Path(__file__).resolve().parents[2] / "bot"
    readers = {p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if "emulator" not in p.parts and "console" not in p.parts and '"subtype"' in p.read_text()}
    assert readers == SLACK_SHAPED
