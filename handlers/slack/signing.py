"""Bolt's request verification, replaced: strict parsing, and a refusal logs its reason only.

Bolt's own middleware let a malformed timestamp raise (so the error handler ran, with the
unverified body) and logged every rejected body whole. This one runs in the same place (before
authorization, so an unverified request costs no Web API call) and marks what it let through.
What the HTTP edge (bot/web.py) already verified carries its mark (bot/signing.signed_at_edge) and
is not verified twice; Socket Mode's requests come over the WebSocket Slack opened for us; anything
else (the console, tests, any other caller of `App.dispatch`) is verified here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.signing import RequestSigning, signed_at_edge

log = logging.getLogger("roundtable.requests")
VERIFIED = "roundtable_verified"


def refused() -> BoltResponse:
    return BoltResponse(status=401, body={"error": "invalid request"})


def is_verified(context: dict | None) -> bool:
    return bool(context and context.get(VERIFIED))


class VerifiedRequests(Middleware):
    def __init__(self, signing: RequestSigning) -> None:
        self.signing = signing

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002 - Bolt's name
        if req.mode == "socket_mode" or signed_at_edge(req.context):  # the WebSocket Slack opened for us,
            req.context[VERIFIED] = True  # or the edge's check, is the proof
            return next()
        reason = self.signing.refusal(req.headers, req.raw_body)
        if reason is not None:
            log.info("refused request: %s (%d bytes)", reason, len(req.raw_body))
            return refused()
        req.context[VERIFIED] = True
        return next()
