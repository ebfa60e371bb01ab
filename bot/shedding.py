"""Load shedding: beyond the listener threads, a command is refused politely instead of queued.

A command that arrives while every listener thread has work would wait in the executor's queue,
behind an unbounded backlog, and its ack (which Bolt runs on that pool) could miss Slack's 3 s.
This Bolt middleware runs after signature verification and authorization (a request that failed
them never gets here) and answers such a command at once with a short private "busy" reply; it does
nothing else, so the command changes nothing. Other requests (events, actions, views) go on: Slack
retries events, and an interaction's ack must not be turned into a reply.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse

from bot.services import ListenerExecutor

BUSY = "Roundtable is busy right now. Please try that again in a moment."

log = logging.getLogger(__name__)


def shed_when_busy(executor: ListenerExecutor) -> Callable[..., BoltResponse | None]:
    """The middleware for `app.use`: a slash command while `executor.busy()` gets BUSY, privately."""

    def shed(request: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        if "command" not in request.body or not executor.busy():
            return next()
        log.warning("shed command=%s: every listener thread is busy", str(request.body.get("command", ""))[:40])
        return BoltResponse(status=200, body=json.dumps({"response_type": "ephemeral", "text": BUSY}),
                            headers={"content-type": "application/json;charset=utf-8"})

    return shed
