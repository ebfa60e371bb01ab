"""Delivering the outbox: each due delivery is posted to Slack once, or skipped and logged.

Each kind has a renderer (`Services.renderers`, filled by bot/wiring.py); a scheduler job calls
`deliver_due` every few seconds.
Any number of processes may run it against one database (storage/deliveries.py claims rows).

Exactly once, in practice:
- the row is claimed with a lease and committed before the Slack call;
- the Slack client never retries by itself (a post whose connection dropped may have gone
  through; a 429 or 5xx is retried by the outbox's own backoff, durably, without blocking);
- every post carries its delivery key in the message metadata, and a delivery whose outcome is
  unknown (lease ran out, connection dropped) is looked up in the channel before posting again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.services import Services
from bot.slack import make_client
from storage import deliveries
from storage.deliveries import Delivery

log = logging.getLogger("roundtable.outbox")

METADATA_EVENT = "roundtable_delivery"
LEASE = timedelta(seconds=90)  # > one post with the client's 10 s timeout and no retries
FIRST_RETRY = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
MAX_REFUSALS = 8  # ok:false answers (not_in_channel...) before a delivery is given up as failed
MAX_LOOKUPS = 48  # unreadable histories (about two days of backoff) before an unknown outcome is given up
HISTORY_PAGES = 5  # up to 1000 recent messages are searched for an unknown outcome
HISTORY_PAGE_SIZE = 200
BATCH = 100  # deliveries per run; the rest wait for the next tick

Render = Callable[[Session, Delivery, datetime], "dict[str, Any] | None"]


class Skip(Exception):  # noqa: N818 - a renderer's way to say why it returns nothing
    """Raised by a renderer to skip a delivery with a reason for the log."""


def outbox_client(settings: Settings) -> WebClient:
    client = make_client(settings, retry_connection_errors=False)
    client.retry_handlers = []  # the outbox's durable backoff retries instead (module docstring)
    return client


@dataclass
class Outcome:
    status: str  # sent, skipped, failed, retry
    detail: str = ""


def deliver_due(services: Services, now: datetime | None = None, *,
                client: WebClient | None = None) -> list[Outcome]:
    """Claim and post every due delivery, one by one; returns what happened to each."""
    now = now or services.clock()
    client = client or outbox_client(services.settings)
    outcomes: list[Outcome] = []
    for _ in range(BATCH):
        outcome = deliver_next(services, client, now)
        if outcome is None:
            break
        outcomes.append(outcome)
    return outcomes


def deliver_next(services: Services, client: WebClient, now: datetime) -> Outcome | None:
    with services.db.begin() as session:
        claimed = deliveries.claim_next(session, now, LEASE)
    if claimed is None:
        return None
    delivery, unknown = claimed
    expired = delivery.expires_at is not None and now >= delivery.expires_at
    if unknown:
        try:
            ts = find_posted(client, delivery)
        except Exception as error:  # noqa: BLE001 - cannot tell: look again later rather than risk a repeat
            why = f"history unreadable: {_reason(error)}"
            if expired or delivery.attempts >= MAX_LOOKUPS:  # never posted again, never retried forever
                return _finish(services, delivery, now, Outcome("failed", f"outcome unknown; {why}"))
            return _retry(services, delivery, now, why, unknown=True)
        if ts:
            return _finish(services, delivery, now, Outcome("sent", f"ts={ts}, found in channel"), ts=ts)
    if expired:
        return _finish(services, delivery, now, Outcome("skipped", "expired before it could be posted"))
    try:
        with services.db.begin() as session:
            message = _render(services, session, delivery, now)
    except Skip as skip:
        return _finish(services, delivery, now, Outcome("skipped", str(skip)))
    except Exception as error:  # noqa: BLE001 - a broken renderer must not stop the other deliveries
        log.exception("delivery %s: rendering failed", _name(delivery))
        return _retry(services, delivery, now, f"render failed: {type(error).__name__}")
    if message is None:
        return _finish(services, delivery, now, Outcome("skipped", "renderer declined"))
    return _post(services, client, delivery, now, message)


def _render(services: Services, session: Session, delivery: Delivery, now: datetime) -> dict[str, Any] | None:
    """`render(session, delivery, now)` returns chat.postMessage kwargs (text, blocks, optionally
    thread_ts), or None (or raises Skip("why")) when the delivery should not be posted."""
    render = services.renderers.get(delivery.kind)
    if render is None:
        raise LookupError(f"no renderer for kind {delivery.kind!r} in this process")
    return render(session, delivery, now)


def _post(services: Services, client: WebClient, delivery: Delivery, now: datetime,
          message: dict[str, Any]) -> Outcome:
    metadata = metadata_for(delivery.kind, delivery.key, delivery.team_id)
    try:
        response = client.chat_postMessage(channel=delivery.channel_id, metadata=metadata, **message)
    except SlackApiError as error:
        status = error.response.status_code
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        if status == 429:
            retry_after = int(error.response.headers.get("Retry-After", "1") or 1)
            return _retry(services, delivery, now, "ratelimited", at_least=timedelta(seconds=retry_after))
        if status >= 500:
            return _retry(services, delivery, now, f"HTTP {status}")
        if delivery.attempts >= MAX_REFUSALS:
            return _finish(services, delivery, now, Outcome("failed", f"Slack said {code}"))
        return _retry(services, delivery, now, f"Slack said {code}")
    except Exception as error:  # noqa: BLE001 - connection dropped or timed out: outcome unknown
        return _retry(services, delivery, now, f"outcome unknown: {type(error).__name__}", unknown=True)
    return _finish(services, delivery, now, Outcome("sent", f"ts={response['ts']}"), ts=response["ts"])


def find_posted(client: WebClient, delivery: Delivery) -> str | None:
    """The ts of this delivery's message if it is in the channel's recent history."""
    return find_in_history(client, delivery.channel_id, delivery.kind, delivery.key,
                           delivery.due_at - timedelta(minutes=5))


def metadata_for(kind: str, key: str, team_id: str) -> dict[str, Any]:
    """The message metadata that lets find_in_history recognise a post whose outcome was unknown."""
    return {"event_type": METADATA_EVENT, "event_payload": {"kind": kind, "key": key, "team_id": team_id}}


def find_in_history(client: WebClient, channel_id: str, kind: str, key: str, since: datetime) -> str | None:
    """The ts of the message posted with metadata_for(kind, key) in the channel since `since`."""
    oldest = since.timestamp()
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel_id, oldest=f"{oldest:.6f}", limit=HISTORY_PAGE_SIZE,
            include_all_metadata=True, cursor=cursor,
        )
        messages: list[dict[str, Any]] = page.get("messages") or []
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key
                    and payload.get("kind") == kind):
                return message.get("ts")
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None
    return None


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError) and isinstance(error.response.data, dict):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__


def _backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** min(max(0, attempts - 1), 16), MAX_BACKOFF)  # 2**16 * 30 s > 1 h; never overflows


def _retry(services: Services, delivery: Delivery, now: datetime, error: str, *,
           at_least: timedelta = timedelta(0), unknown: bool = False) -> Outcome:
    delay = max(_backoff(delivery.attempts), at_least)
    with services.db.begin() as session:
        deliveries.mark_retry(session, delivery.id, error, now + delay, unknown=unknown)
    log.info("delivery %s -> %s retry in %ds (attempt %d): %s", _name(delivery), delivery.channel_id,
             delay.total_seconds(), delivery.attempts, error)
    return Outcome("retry", error)


def _finish(services: Services, delivery: Delivery, now: datetime, outcome: Outcome, *,
            ts: str = "") -> Outcome:
    with services.db.begin() as session:
        if outcome.status == "sent":
            deliveries.mark_sent(session, delivery.id, ts, now)
        elif outcome.status == "skipped":
            deliveries.mark_skipped(session, delivery.id, outcome.detail)
        else:
            deliveries.mark_failed(session, delivery.id, outcome.detail)
    level = logging.WARNING if outcome.status == "failed" else logging.INFO
    log.log(level, "delivery %s -> %s %s (attempt %d): %s", _name(delivery), delivery.channel_id,
            outcome.status, delivery.attempts, outcome.detail)
    return outcome


def _name(delivery: Delivery) -> str:
    return f"{delivery.kind} {delivery.team_id}/{delivery.key}"


def forget_deliveries(services: Services) -> None:
    """Finished deliveries are kept 30 days (enqueuers look back at most a day)."""
    with services.db.begin() as session:
        removed = deliveries.forget_finished(session, services.clock() - timedelta(days=30))
    if removed:
        log.info("forgot %d finished deliveries", removed)
