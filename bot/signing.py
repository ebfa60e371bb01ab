"""Is this request Slack's? Strict header parsing, then slack_sdk's signature check.

slack_sdk's `SignatureVerifier.is_valid` calls `int()` on the timestamp, which raises on `""`,
`1e9` or `123,123` (two headers joined by a WSGI server) and accepts ` 123`, `0123` or `１２３`.
Here every header is parsed strictly first, so a refusal is a plain answer, never an exception,
and the reason is a fixed phrase that is safe to log.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence

from slack_sdk.signature import Clock, SignatureVerifier

MAX_AGE_SECONDS = 5 * 60  # Slack's replay window (shared/reference/slack-platform.md)
TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"
_TIMESTAMP = re.compile(r"[1-9][0-9]{0,11}", re.ASCII)
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)

Headers = Mapping[str, str | Sequence[str]]
EDGE_CONTEXT_KEY = "roundtable_signed_at_edge"


class _EdgeMark:
    """What the edge (bot/web.py) puts in a request's Bolt context under EDGE_CONTEXT_KEY once this
    module has checked its signature, so Bolt's middleware (handlers/slack/signing.py) does not check
    it again. Compared by identity: no header, body field or value parsed from a request equals it."""

    __slots__ = ()

    def __copy__(self) -> _EdgeMark:
        return self

    def __deepcopy__(self, memo: dict) -> _EdgeMark:
        return self


SIGNED_AT_EDGE = _EdgeMark()


def signed_at_edge(context: Mapping[str, object]) -> bool:
    return context.get(EDGE_CONTEXT_KEY) is SIGNED_AT_EDGE


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


def _only(headers: Headers, name: str) -> tuple[str | None, str]:
    """The one value of header `name` (any case), or None with the reason it is unusable."""
    values: list[str] = []
    for key, value in headers.items():
        if key.lower() == name:
            values.extend([value] if isinstance(value, str) else list(value))
    if not values:
        return None, "missing"
    if len(values) > 1:
        return None, "duplicated"
    return values[0], ""


def _strict(headers: Headers, name: str, pattern: re.Pattern[str], what: str) -> tuple[str, str]:
    """(the header's one value, "") when it is there once and matches `pattern`; else ("", why not)."""
    value, problem = _only(headers, name)
    if value is None:
        return "", f"{problem} {what}"
    if not pattern.fullmatch(value):
        return "", f"malformed {what}"
    return value, ""


class RequestSigning:
    """Checks `X-Slack-Signature` over the raw body; `now` is injectable (seconds since the epoch)."""

    def __init__(self, secret: str, now: Callable[[], float] = time.time) -> None:
        # slack_sdk refuses an empty secret; Socket Mode needs none, so such a process refuses HTTP
        self._verifier = SignatureVerifier(secret, clock=_Clock(now)) if secret.strip() else None
        self._now = now

    def refusal(self, headers: Headers, body: bytes | str) -> str | None:
        """None when Slack signed this request; otherwise why not, as a fixed phrase."""
        if self._verifier is None:
            return "no signing secret configured"
        timestamp, problem = _strict(headers, TIMESTAMP_HEADER, _TIMESTAMP, "timestamp")
        if problem:
            return problem
        if abs(self._now() - int(timestamp)) > MAX_AGE_SECONDS:
            return "stale timestamp"
        signature, problem = _strict(headers, SIGNATURE_HEADER, _SIGNATURE, "signature")
        if problem:
            return problem
        if isinstance(body, bytes):
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError:
                return "body is not UTF-8"
        if not self._verifier.is_valid(body, timestamp, signature):
            return "signature mismatch"
        return None
