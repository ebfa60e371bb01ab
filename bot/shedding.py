"""Load shedding: a command that would wait behind a backlog waits for room, briefly, or is refused.

Once every listener thread has work, a new command waits in the executor's queue. It may wait there
as long as the listeners take to finish what is queued ahead of it, at the rate they were measured
to finish work over the last RATE_WINDOW seconds, up to QUEUE_WAIT_BOUND seconds. Beyond that (or
with every thread busy and no rate measured) this Bolt middleware, which runs after signature
verification and authorization (a request that failed them never gets here), holds the command's
ack for up to ADMISSION_WAIT seconds until a listener finishes and makes room: back-pressure, so a
burst slows the sender's next command instead of being refused (a refusal costs the worker most of
what a command's HTTP request does, for nothing); the wait holds one of the edge's dispatch threads,
and counts from the request's arrival at the edge, so time spent waiting for one counts. Still no room: a short private "busy" reply, and
nothing else, so the command changes nothing. Other requests (events, actions, views) go on: Slack
retries events, and an interaction's ack must not be turned into a reply.

That alone does not hold when the listeners keep up but the worker's front does not (PostgreSQL: the
database works in its own process, so the listeners' queue never fills while the event loop and the
dispatch threads, busy accepting, reading and verifying requests, let acks wait for seconds). So the
edge (bot/web.py SlackEdge, `shed_commands`) decides first, on the event loop, for a verified slash
command: one whose ack would come more than ADMISSION_WAIT late (`late_for_bolt`: twice the loop's
lag plus the dispatch queue's oldest wait) gets the same BUSY_REPLY at once, without taking a dispatch
thread. One reply, one bound, both counted on time.monotonic().
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import BoltRequest, BoltResponse

if TYPE_CHECKING:
    from bot.services import ListenerExecutor

BUSY = "Roundtable is busy right now. Please try that again in a moment."
BUSY_REPLY = json.dumps({"response_type": "ephemeral", "text": BUSY})  # the body of every busy answer
BUSY_CONTENT_TYPE = "application/json;charset=utf-8"
QUEUE_WAIT_BOUND = 0.05  # seconds a command may wait in the listeners' queue (queued ahead / rate)
ADMISSION_WAIT = 0.5  # seconds a command's ack may wait for room in that queue; Slack allows 3 s
ARRIVED_AT = "roundtable_arrived_at"  # Bolt context: time.monotonic() when the edge got the request
RATE_WINDOW = 2.0  # seconds of recent work the completion rate is measured over

log = logging.getLogger(__name__)


def shed_when_busy(executor: ListenerExecutor,
                   clock: Callable[[], float] = time.monotonic) -> Callable[..., BoltResponse | None]:
    """The middleware for `app.use`: a slash command still `executor.busy()` ADMISSION_WAIT after it
    arrived gets BUSY, privately. The wait counts from the edge's stamp (ARRIVED_AT: time spent
    waiting for a dispatch thread counts too), else from now."""

    def shed(request: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        if "command" not in request.body:
            return next()
        now = clock()
        waited = now - request.context.get(ARRIVED_AT, now)
        if executor.admit(max(0.0, ADMISSION_WAIT - waited)):
            return next()
        log.warning("shed command=%s: no room among the listeners within %.1f s of its arrival",
                    str(request.body.get("command", ""))[:40], ADMISSION_WAIT)
        return BoltResponse(status=200, body=BUSY_REPLY, headers={"content-type": BUSY_CONTENT_TYPE})

    return shed


def late_for_bolt(loop_lag: float, queued: float) -> bool:
    """The edge's admission (bot/web.py), on the event loop before a verified slash command takes a
    dispatch thread: refused when its ack would come more than ADMISSION_WAIT late, by what the edge
    measures cheaply: how late the event loop runs what is ready (`loop_lag`), paid twice by a
    command let in (its bytes waited that long on the loop before the edge saw them, and its answer
    waits again for the loop once its dispatch thread is done; a refusal is written at once), plus
    how long the oldest request still queued for a dispatch thread has waited (`queued`: this one
    waits behind it).

    The bound is ADMISSION_WAIT, the one shed_when_busy counts from arrival, so both decide by one
    clock: a command gets in only if it can be acked within about half a second; one that would
    reach Bolt later has no wait left there (the middleware decides it at once) and has already cost
    a dispatch thread, Bolt's parsing and the middleware chain. A healthy burst never comes near it:
    16 commands at once on 8 dispatch threads wait one dispatch (milliseconds) for a thread, and in
    bench.http_load's closed loop at concurrency 16 (PostgreSQL, a machine at load average 12) the
    loop was at most 0.14 s late and the queue's oldest had waited at most 0.06 s (2 x 0.14 + 0.06 =
    0.34 s). An ack within 0.5 s leaves most of Slack's 3 s for the network. The upload of the body
    does not count: that is the client's network, not a backlog here, and refusing it would make
    room for no one. Counting the lag once, the loop settled near 0.5 s late under overload and acks
    near 1.8 s (bench/README.md 1b); twice, near 1 s."""
    return 2 * loop_lag + queued > ADMISSION_WAIT


class CompletionRate:
    """Work finished per second *of work*: completions over the last `window` seconds divided by the
    time within them that something was in flight, so a quiet bot (a command now and then) is
    measured at the rate it works, not at the rate commands arrive. 0.0 when nothing finished in the
    window (just started, or idle since): the caller then falls back to its thread count.
    Not locked: ListenerExecutor calls it under its own lock."""

    def __init__(self, window: float = RATE_WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        self.window, self.clock = window, clock
        self._finished: deque[float] = deque()
        self._spans: deque[list[float]] = deque()  # [start, end] of periods with work; end inf while open

    def started(self, in_flight_before: int) -> None:
        if in_flight_before == 0:
            self._spans.append([self.clock(), math.inf])

    def finished(self, in_flight_after: int) -> None:
        now = self.clock()
        self._finished.append(now)
        if in_flight_after == 0 and self._spans:
            self._spans[-1][1] = now

    def per_second(self) -> float:
        now = self.clock()
        since = now - self.window
        while self._finished and self._finished[0] < since:
            self._finished.popleft()
        while self._spans and self._spans[0][1] < since:
            self._spans.popleft()
        working = sum(min(end, now) - max(start, since) for start, end in self._spans)
        return len(self._finished) / working if self._finished and working > 0 else 0.0


def threshold(rate: float, threads: int) -> int:
    """How many commands may be in flight before the next is refused: one per thread, plus as many
    queued as the listeners finish in QUEUE_WAIT_BOUND seconds at `rate` (none without a rate)."""
    return threads + max(0, math.floor(QUEUE_WAIT_BOUND * rate))
