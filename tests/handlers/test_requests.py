"""Requests into the bot: signatures, re-delivered events, usage replies, database faults."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from bot import payloads
from handlers.errors import UNAVAILABLE
from storage.db import Database
from storage.events import ProcessedEvent
from tests.harness import MEMBER, TestBot

STALE_SECONDS = 5 * 60 + 1  # Slack's replay window is 5 minutes (shared/reference/slack-platform.md)

KINDS = {
    "command": lambda bot: payloads.slash_command("/roundup", "preview", user=MEMBER,
                                                  response_url=bot.emulator.response_url()),
    "event": lambda bot: payloads.event_callback(payloads.message_event("How do we start?", user=MEMBER)),
    "action": lambda bot: payloads.block_action("anything", "1", user=MEMBER),
    "view": lambda bot: payloads.view_submission("anything", {}, user=MEMBER),
    "shortcut": lambda bot: payloads.message_shortcut("save_digest", {"ts": "1.2"}, user=MEMBER),
}


def unreachable_url(db: Database) -> str:
    """The same kind of database, somewhere nothing answers."""
    if db.engine.dialect.name == "postgresql":
        return "postgresql+psycopg://postgres@127.0.0.1:1/unreachable?connect_timeout=2"
    return "sqlite:////nonexistent/directory/roundtable.db"


def count_events(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent))


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("forgery", ["unsigned", "wrong secret", "stale"])
def test_forged_requests_get_401_and_change_nothing(bot: TestBot, kind: str, forgery: str) -> None:
    payload = KINDS[kind](bot)
    request = payloads.encode(
        payload,
        "not-the-secret" if forgery == "wrong secret" else "test-signing-secret",
        timestamp=int(time.time()) - (STALE_SECONDS if forgery == "stale" else 0),
    )
    headers = dict(request.headers)
    if forgery == "unsigned":
        headers.pop("X-Slack-Signature")
    from slack_bolt import BoltRequest

    response = bot.app.dispatch(BoltRequest(body=request.body, headers=headers))
    bot.wait_idle()
    assert response.status == 401
    assert [c.method for c in bot.emulator.calls if c.method != "auth.test"] == []
    assert count_events(bot) == 0


def test_redelivered_event_is_recorded_once_even_after_a_restart(bot: TestBot) -> None:
    event = payloads.message_event("Has anyone moved taxes online?", user=MEMBER)
    bot.event(event, event_id="Ev0REDELIVER")
    assert bot.event(event, event_id="Ev0REDELIVER", retry_num=1).status == 200
    restarted = TestBot(bot.settings, bot.db, bot.emulator, bot.clock)  # a second process, same db
    assert restarted.event(event, event_id="Ev0REDELIVER", retry_num=2).status == 200
    assert count_events(bot) == 1


def test_roundup_preview_is_ephemeral(bot: TestBot) -> None:
    response = bot.command("/roundup", "preview")
    assert response.status == 200
    reply = bot.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    assert "Roundtable roundup, week of November 16 – 23, 2026" in bot.last_reply_text()


def test_unknown_subcommand_gets_a_short_usage_reply(bot: TestBot) -> None:
    bot.command("/roundup", "launch the rockets")
    reply = bot.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    assert bot.last_reply_text().startswith("Usage:")


def test_database_down_gets_temporarily_unavailable_not_500(bot: TestBot) -> None:
    bot.services.db = Database(unreachable_url(bot.db))
    response = bot.command("/roundup", "preview")
    assert response.status == 200
    assert bot.last_reply_text() == UNAVAILABLE
