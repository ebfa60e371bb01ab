"""The outbox posts each delivery once: across retries, crashes mid-send and competing tickers."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import outbox, slack
from bot.services import Services
from bot.slack import make_client
from storage import deliveries
from storage.db import Database
from storage.deliveries import Delivery
from tests.harness import FakeClock, TestBot, run_together

TEAM = "T0ROUNDTBL"
CHANNEL = "C0MEETING"
KIND = "test_note"


def render_note(session: Any, delivery: Delivery, now: datetime) -> dict[str, Any] | None:
    if delivery.key.startswith("declined"):
        return None
    return {"text": f"note {delivery.key}"}


@pytest.fixture(autouse=True)
def note_kind(bot: TestBot) -> None:
    bot.services.renderers[KIND] = render_note


@pytest.fixture
def slack_time(bot: TestBot) -> TestBot:
    """Message ts from the fake clock, as Slack's would match the real one."""
    bot.emulator.clock = lambda: bot.clock.now.timestamp()
    return bot


def enqueue(bot: TestBot, key: str, due: datetime | None = None, expires: datetime | None = None) -> bool:
    with bot.db.begin() as session:
        return deliveries.enqueue(session, team_id=TEAM, kind=KIND, key=key, channel_id=CHANNEL,
                                  due_at=due or bot.clock.now, expires_at=expires, now=bot.clock.now)


def row(bot: TestBot, key: str) -> Delivery:
    with bot.db.begin() as session:
        found = deliveries.get_delivery(session, TEAM, KIND, key)
    assert found is not None
    return found


def posted(bot: TestBot) -> list[dict[str, Any]]:
    return bot.emulator.messages.get(CHANNEL, [])


def test_a_delivery_is_posted_once_with_its_key_in_the_metadata(slack_time: TestBot, caplog) -> None:
    bot = slack_time
    assert enqueue(bot, "week-48")
    assert not enqueue(bot, "week-48")  # a second ticker enqueueing the same thing adds nothing
    with caplog.at_level(logging.INFO, logger="roundtable.outbox"):
        outcomes = outbox.deliver_due(bot.services)
        assert outbox.deliver_due(bot.services) == []
    assert [o.status for o in outcomes] == ["sent"]
    [message] = posted(bot)
    assert message["text"] == "note week-48"
    assert message["metadata"] == {"event_type": "roundtable_delivery",
                                   "event_payload": {"kind": KIND, "key": "week-48", "team_id": TEAM}}
    delivery = row(bot, "week-48")
    assert (delivery.status, delivery.slack_ts, delivery.sent_at) == ("sent", message["ts"], bot.clock.now)
    assert [r.getMessage() for r in caplog.records] == [
        f"delivery {KIND} {TEAM}/week-48 -> {CHANNEL} sent (attempt 1): ts={message['ts']}"]


def test_nothing_is_posted_before_it_is_due(slack_time: TestBot) -> None:
    enqueue(slack_time, "later", due=slack_time.clock.now + timedelta(minutes=5))
    assert outbox.deliver_due(slack_time.services) == []
    slack_time.clock.advance(minutes=5)
    assert [o.status for o in outbox.deliver_due(slack_time.services)] == ["sent"]


def test_rate_limits_and_server_errors_delay_a_delivery_and_never_lose_it(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "busy-day")
    bot.emulator.fail("chat.postMessage", status=429, retry_after=120)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["retry"]
    assert row(bot, "busy-day").next_attempt_at == bot.clock.now + timedelta(seconds=120)  # Retry-After
    bot.clock.advance(seconds=119)
    assert outbox.deliver_due(bot.services) == []
    bot.clock.advance(seconds=1)
    bot.emulator.fail("chat.postMessage", status=503)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["retry"]
    bot.clock.advance(minutes=1)
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["retry"]
    bot.clock.advance(minutes=2)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["sent"]
    assert len(posted(bot)) == 1
    assert row(bot, "busy-day").attempts == 4
    assert len(bot.emulator.calls_to("chat.postMessage")) == 4  # no hidden retries in the client


def test_a_refused_delivery_fails_after_repeated_refusals(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "archived")
    bot.emulator.fail("chat.postMessage", error="is_archived", times=outbox.MAX_REFUSALS)
    for _ in range(outbox.MAX_REFUSALS):
        outbox.deliver_due(bot.services)
        bot.clock.advance(hours=2)
    assert (row(bot, "archived").status, row(bot, "archived").error) == ("failed", "Slack said is_archived")


def test_an_expired_delivery_is_skipped_and_logged_never_posted(slack_time: TestBot, caplog) -> None:
    bot = slack_time
    enqueue(bot, "yesterday", due=bot.clock.now - timedelta(days=1), expires=bot.clock.now - timedelta(hours=1))
    enqueue(bot, "declined-1")
    with caplog.at_level(logging.INFO, logger="roundtable.outbox"):
        outcomes = outbox.deliver_due(bot.services)
    assert sorted(o.status for o in outcomes) == ["skipped", "skipped"]
    assert posted(bot) == []
    assert "yesterday -> C0MEETING skipped (attempt 1): expired before it could be posted" in caplog.text
    assert row(bot, "declined-1").status == "skipped"


def crash_after_claim(bot: TestBot) -> Delivery:
    """A ticker claims a delivery and dies before it records the outcome."""
    with bot.db.begin() as session:
        claimed = deliveries.claim_next(session, bot.clock.now, outbox.LEASE)
    assert claimed is not None
    delivery, unknown = claimed
    assert not unknown
    return delivery


def test_a_crash_before_the_post_is_posted_once_when_the_lease_runs_out(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "crash-before")
    crash_after_claim(bot)
    assert outbox.deliver_due(bot.services) == []  # leased: nobody else takes it
    bot.clock.advance(seconds=outbox.LEASE.total_seconds())
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["sent"]
    assert bot.emulator.calls_to("conversations.history"), "the channel was not checked first"
    assert len(posted(bot)) == 1


def test_a_crash_after_the_post_is_found_in_the_channel_and_not_repeated(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "crash-after")
    delivery = crash_after_claim(bot)
    # the dead ticker's post went through before it could record the ts
    ts = make_client(bot.settings).chat_postMessage(
        channel=CHANNEL, text="note crash-after",
        metadata={"event_type": slack.METADATA_EVENT,
                  "event_payload": {"kind": KIND, "key": delivery.key, "team_id": TEAM}})["ts"]
    bot.clock.advance(minutes=2)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["sent"]
    assert len(posted(bot)) == 1
    assert row(bot, "crash-after").slack_ts == ts


def test_a_post_whose_answer_was_lost_is_not_repeated(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "lost-answer")
    bot.emulator.fail("chat.postMessage", lose_response=True)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["retry"]
    assert len(posted(bot)) == 1  # Slack did post it
    bot.clock.advance(minutes=1)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["sent"]
    assert len(posted(bot)) == 1
    assert row(bot, "lost-answer").slack_ts == posted(bot)[0]["ts"]


def test_a_dropped_connection_before_slack_posted_is_posted_once_later(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "dropped")
    bot.emulator.fail("chat.postMessage", drop=True)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["retry"]
    assert posted(bot) == []
    bot.clock.advance(minutes=1)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["sent"]
    assert len(posted(bot)) == 1


def test_the_history_search_pages_back_through_a_busy_channel(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "busy-channel")
    bot.emulator.fail("chat.postMessage", lose_response=True)
    outbox.deliver_due(bot.services)
    client = make_client(bot.settings)
    for n in range(slack.HISTORY_PAGE_SIZE + 10):  # the members keep talking
        client.chat_postMessage(channel=CHANNEL, text=f"chatter {n}")
    bot.clock.advance(minutes=1)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["sent"]
    assert len([m for m in posted(bot) if m["text"] == "note busy-channel"]) == 1
    assert len(bot.emulator.calls_to("conversations.history")) == 2


def test_two_tickers_post_each_delivery_once(slack_time: TestBot) -> None:
    """Two scheduler processes (separate engines and pools) against one database, racing."""
    bot = slack_time
    keys = [f"race-{n:02d}" for n in range(24)]
    for key in keys:
        enqueue(bot, key)
    bot.emulator.latency = 0.01  # posts overlap with the other ticker's claims
    tickers = [Services(settings=bot.settings, db=Database(bot.settings.database_url), client=bot.services.client,
                        clock=FakeClock(bot.clock.now), renderers={KIND: render_note}) for _ in range(2)]
    start = threading.Barrier(len(tickers))
    results: list[list[outbox.Outcome]] = [[] for _ in tickers]

    def run(index: int) -> None:
        start.wait()
        results[index].extend(outbox.deliver_due(tickers[index]))

    try:
        run_together(run, list(range(len(tickers))), timeout=30)
    finally:
        for ticker in tickers:
            ticker.db.dispose()
    assert sorted(m["text"] for m in posted(bot)) == [f"note {key}" for key in keys]
    assert all(results), "one ticker did all the work: the race was not exercised"
    with bot.db.begin() as session:
        assert set(session.scalars(select(Delivery.status))) == {"sent"}


def test_an_unknown_outcome_in_an_unreadable_conversation_ends_when_it_expires(slack_time: TestBot) -> None:
    """A DM whose history the bot may not read (no im:history): the delivery is finished, never
    posted twice, and never retried past its expiry."""
    bot = slack_time
    enqueue(bot, "dm-reminder", expires=bot.clock.now + timedelta(hours=1))
    bot.emulator.fail("chat.postMessage", lose_response=True)
    bot.emulator.fail("conversations.history", error="missing_scope", times=1000)
    assert [o.status for o in outbox.deliver_due(bot.services)] == ["retry"]
    for _ in range(8):
        bot.clock.advance(minutes=10)
        outbox.deliver_due(bot.services)
    delivery = row(bot, "dm-reminder")
    assert delivery.status == "failed" and "outcome unknown" in (delivery.error or "")
    assert "missing_scope" in (delivery.error or "")
    assert len(posted(bot)) == 1  # never posted again
    bot.clock.advance(days=14)
    assert outbox.deliver_due(bot.services) == []


def test_an_unknown_outcome_without_expiry_is_given_up_after_max_lookups(slack_time: TestBot) -> None:
    bot = slack_time
    enqueue(bot, "no-expiry")
    bot.emulator.fail("chat.postMessage", lose_response=True)
    bot.emulator.fail("conversations.history", error="not_allowed_token_type", times=1000)
    for _ in range(outbox.MAX_LOOKUPS + 2):
        outbox.deliver_due(bot.services)
        bot.clock.advance(hours=1)
    assert row(bot, "no-expiry").status == "failed" and len(posted(bot)) == 1
