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


def test_a_redelivered_event_reaches_no_listener_even_after_a_restart(bot: TestBot, caplog) -> None:
    """app_home_opened publishes the Home tab every time it runs (not idempotent): a re-delivery
    of the same event_id must not run it again, in this process or another one."""
    event = payloads.app_home_opened(MEMBER)
    bot.event(event, event_id="Ev0REDELIVER")
    assert len(bot.emulator.calls_to("views.publish")) == 1
    with caplog.at_level("INFO", logger="roundtable.requests"):
        assert bot.event(event, event_id="Ev0REDELIVER", retry_num=1).status == 200
        restarted = TestBot(bot.settings, bot.db, bot.emulator, bot.clock)  # a second process, same db
        assert restarted.event(event, event_id="Ev0REDELIVER", retry_num=2).status == 200
        restarted.executor.shutdown(wait=True)
    assert len(bot.emulator.calls_to("views.publish")) == 1
    assert caplog.text.count("event Ev0REDELIVER already handled, skipping re-delivery") == 2
    assert count_events(bot) == 1

    bot.event(event, event_id="Ev0ANOTHER")  # a new event is handled: the listener does publish each time
    assert len(bot.emulator.calls_to("views.publish")) == 2


def test_roundup_preview_is_ephemeral(bot: TestBot) -> None:
    response = bot.command("/roundup", "preview")
    assert response.status == 200
    reply = bot.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    assert "Roundtable roundup, week of Mon, Nov 16, 2026 – Mon, Nov 23, 2026" in bot.last_reply_text()


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
