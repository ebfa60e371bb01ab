"""Delivering the outbox: each due delivery is posted once, or skipped and logged.

Each kind has a renderer (`Services.renderers`, filled by bot/wiring.py); a scheduler job calls
`deliver_due` every few seconds. Posts go through the platform seam (`bot.chat.Chat`; Slack's is
`SlackChat`), never the Web API.
Any number of processes may run it against one database (storage/deliveries.py claims rows).

Exactly once, in practice:
- the row is claimed with a lease and committed before the Slack call;
- the platform client never retries by itself (a post whose connection dropped may have gone
  through; a 429 or 5xx is retried by the outbox's own backoff, durably, without blocking);
- every post carries its delivery key (in Slack, the message metadata), and a delivery whose
  outcome is unknown (lease ran out, connection dropped) is looked up in the channel before
  posting again;
- where the platform has no history to look in (Teams' Bot Connector: `find_posted` raises
  NoHistory), a delivery whose outcome is unknown is recorded as failed, "maybe posted", logged,
  and never sent again: a reminder missed is better than one posted twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.chat import Chat, ChatError, DeliveryKey, NoHistory, Outgoing
from bot.config import Settings
from bot.services import Services
from bot.slack import DEAD_TOKEN_ERRORS, SlackChat, make_client
from storage import deliveries
from storage.deliveries import Delivery

log = logging.getLogger("roundtable.outbox")

LEASE = timedelta(seconds=90)  # > one post with the client's 10 s timeout and no retries
FIRST_RETRY = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
MAX_REFUSALS = 8  # ok:false answers (not_in_channel...) before a delivery is given up as failed
MAX_LOOKUPS = 48  # unreadable histories (about two days of backoff) before an unknown outcome is given up
BATCH = 100  # deliveries per run; the rest wait for the next tick
MAYBE_POSTED = "maybe posted: the outcome is unknown and the platform has no history to check; not sent again"

Render = Callable[[Session, Delivery, datetime], "Outgoing | None"]


class Skip(Exception):  # noqa: N818 - a renderer's way to say why it returns nothing
    """Raised by a renderer to skip a delivery with a reason for the log."""


def outbox_client(settings: Settings) -> WebClient:
    client = make_client(settings, retry_connection_errors=False)
    client.retry_handlers = []  # the outbox's durable backoff retries instead (module docstring)
    return client


def outbox_chat(services: Services) -> Chat:
    return services.platform or SlackChat(outbox_client(services.settings))


@dataclass
class Outcome:
    status: str  # sent, skipped, failed, retry
    detail: str = ""


def deliver_due(services: Services, now: datetime | None = None, *,
                chat: Chat | None = None) -> list[Outcome]:
    """Claim and post every due delivery, one by one; returns what happened to each."""
    now = now or services.clock()
    base = outbox_client(services.settings)
    outcomes: list[Outcome] = []
    for _ in range(BATCH):
        outcome = deliver_next(services, chat, now, base)
        if outcome is None:
            break
        outcomes.append(outcome)
    return outcomes


def deliver_next(services: Services, chat: Chat | None, now: datetime, base: WebClient | None = None) -> Outcome | None:
    """One delivery, with `chat` or else the platform as it speaks for the delivery's workspace."""
    with services.db.begin() as session:
        claimed = deliveries.claim_next(session, now, LEASE)
    if claimed is None:
        return None
    delivery, unknown = claimed
    try:
        chat = chat or services.chat_for(delivery.team_id, base or outbox_client(services.settings))
    except LookupError:  # bot.installs.NotInstalled: never retried, the workspace's data stays
        return _finish(services, delivery, now, Outcome("skipped", "the workspace has not installed Roundtable"))
    except Exception as error:  # noqa: BLE001 - token refresh failed, key missing: look again later
        log.warning("delivery %s: no usable token for the workspace (%s)", _name(delivery), type(error).__name__)
        return _retry(services, delivery, now, f"no token: {type(error).__name__}", unknown=unknown)
    expired = delivery.expires_at is not None and now >= delivery.expires_at
    if unknown:
        try:
            ts = find_posted(chat, delivery)
        except NoHistory:
            return _finish(services, delivery, now, Outcome("failed", MAYBE_POSTED))
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
    return _post(services, chat, delivery, now, message)


def _render(services: Services, session: Session, delivery: Delivery, now: datetime) -> Outgoing | None:
    """`render(session, delivery, now)` returns the message (composed, or Slack's chat.postMessage
    kwargs with optionally thread_ts), or None (or raises Skip("why")) when it should not be posted."""
    render = services.renderers.get(delivery.kind)
    if render is None:
        raise LookupError(f"no renderer for kind {delivery.kind!r} in this process")
    return render(session, delivery, now)


def key_of(delivery: Delivery) -> DeliveryKey:
    return DeliveryKey(delivery.team_id, delivery.kind, delivery.key)


def _post(services: Services, chat: Chat, delivery: Delivery, now: datetime, message: Outgoing) -> Outcome:
    thread = ""
    if isinstance(message, dict):
        message = dict(message)
        thread = str(message.pop("thread_ts", "") or "")
    try:
        ts = chat.post(delivery.channel_id, message, thread=thread, key=key_of(delivery))
    except ChatError as error:
        if error.dropped:  # connection dropped or timed out: outcome unknown
            return _retry(services, delivery, now, f"outcome unknown: {error.code}", unknown=True)
        if error.status == 429:
            return _retry(services, delivery, now, "ratelimited",
                          at_least=timedelta(seconds=int(error.retry_after or 1)))
        if error.status >= 500:
            return _retry(services, delivery, now, f"HTTP {error.status}")
        if error.status == 413:  # too big (Teams' MessageSizeTooBig): the same message never fits
            return _finish(services, delivery, now, Outcome("failed", f"refused: {error.code}"))
        if error.code in DEAD_TOKEN_ERRORS and not _installed(services, delivery.team_id):
            return _finish(services, delivery, now, Outcome("skipped", f"Slack said {error.code}: uninstalled"))
        if delivery.attempts >= MAX_REFUSALS:
            return _finish(services, delivery, now, Outcome("failed", f"Slack said {error.code}"))
        return _retry(services, delivery, now, f"Slack said {error.code}")
    except Exception as error:  # noqa: BLE001 - connection dropped or timed out: outcome unknown
        return _retry(services, delivery, now, f"outcome unknown: {type(error).__name__}", unknown=True)
    return _finish(services, delivery, now, Outcome("sent", f"ts={ts}"), ts=ts)


def _installed(services: Services, team_id: str) -> bool:
    """After Slack refused a token: False when the store no longer has the workspace (uninstalled)."""
    services.forget_client(team_id)
    try:
        services.client_for(team_id)
    except LookupError:
        return False
    except Exception:  # noqa: BLE001 - cannot tell: retry as usual
        return True
    return True


def find_posted(chat: Chat, delivery: Delivery) -> str | None:
    """The reference of this delivery's message if it is in the channel's recent history."""
    return chat.find_posted(delivery.channel_id, key_of(delivery), delivery.due_at - timedelta(minutes=5))


def _reason(error: Exception) -> str:
    return error.code if isinstance(error, ChatError) else type(error).__name__


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
