"""A request that did not pass signature verification does nothing: every malformed header
combination, for every kind of payload, dispatched to the app in-process."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable

import pytest
from slack_bolt import BoltRequest

from bot import payloads
from tests.handlers.test_requests import STALE_SECONDS, count_events
from tests.harness import MEMBER, SIGNING_SECRET, TestBot

KINDS: dict[str, Callable[[TestBot], dict]] = {
    "command": lambda bot: payloads.slash_command("/roundup", "preview", user=MEMBER,
                                                  response_url=bot.emulator.response_url("ssrf")),
    "event": lambda bot: payloads.event_callback(payloads.message_event("How do we start?", user=MEMBER)),
    "action": lambda bot: payloads.block_action("rsvp_going", "1", user=MEMBER,
                                                response_url=bot.emulator.response_url("ssrf")),
    "view": lambda bot: payloads.view_submission("practice_share", {}, user=MEMBER),
    "shortcut": lambda bot: payloads.message_shortcut("save_digest", {"ts": "1.2"}, user=MEMBER,
                                                      response_url=bot.emulator.response_url("ssrf")),
}


def signature(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    """Signed over the timestamp exactly as sent: even Slack's own secret cannot bless a bad one."""
    return "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()


def _now() -> str:
    return str(int(time.time()))


# name -> headers for a body: (timestamp values or None, signature values or None)
MALFORMED: dict[str, Callable[[str], dict[str, list[str]]]] = {
    "missing timestamp": lambda b: {"x-slack-signature": [signature(b, _now())]},
    "empty timestamp": lambda b: {"x-slack-request-timestamp": [""], "x-slack-signature": [signature(b, "")]},
    "non-numeric timestamp": lambda b: {"x-slack-request-timestamp": ["soon"],
                                        "x-slack-signature": [signature(b, "soon")]},
    "float timestamp 1e9": lambda b: {"x-slack-request-timestamp": ["1e9"],
                                      "x-slack-signature": [signature(b, "1e9")]},
    "fractional timestamp": lambda b: {"x-slack-request-timestamp": [_now() + ".5"],
                                       "x-slack-signature": [signature(b, _now() + ".5")]},
    "negative timestamp": lambda b: {"x-slack-request-timestamp": ["-" + _now()],
                                     "x-slack-signature": [signature(b, "-" + _now())]},
    "space-padded timestamp": lambda b: {"x-slack-request-timestamp": [f" {_now()} "],
                                         "x-slack-signature": [signature(b, f" {_now()} ")]},
    "zero-padded timestamp": lambda b: {"x-slack-request-timestamp": ["0" + _now()],
                                        "x-slack-signature": [signature(b, "0" + _now())]},
    "non-ASCII digits": lambda b: {"x-slack-request-timestamp": [_now().translate(str.maketrans("0123456789", "０１２３４５６７８９"))],
                                   "x-slack-signature": [signature(b, _now())]},
    "huge timestamp": lambda b: {"x-slack-request-timestamp": ["9" * 400], "x-slack-signature": [signature(b, "9" * 400)]},
    "duplicated timestamp": lambda b: {"x-slack-request-timestamp": [_now(), _now()],
                                       "x-slack-signature": [signature(b, _now())]},
    "joined timestamps": lambda b: {"x-slack-request-timestamp": [f"{_now()},{_now()}"],
                                    "x-slack-signature": [signature(b, _now())]},
    "missing signature": lambda b: {"x-slack-request-timestamp": [_now()]},
    "empty signature": lambda b: {"x-slack-request-timestamp": [_now()], "x-slack-signature": [""]},
    "malformed signature": lambda b: {"x-slack-request-timestamp": [_now()],
                                      "x-slack-signature": [signature(b, _now()).upper()]},
    "v1 signature": lambda b: {"x-slack-request-timestamp": [_now()],
                               "x-slack-signature": [signature(b, _now()).replace("v0=", "v1=")]},
    "duplicated signature": lambda b: {"x-slack-request-timestamp": [_now()],
                                       "x-slack-signature": [signature(b, _now())] * 2},
    "stale timestamp": lambda b: {"x-slack-request-timestamp": [str(int(_now()) - STALE_SECONDS)],
                                  "x-slack-signature": [signature(b, str(int(_now()) - STALE_SECONDS))]},
    "future timestamp": lambda b: {"x-slack-request-timestamp": [str(int(_now()) + STALE_SECONDS)],
                                   "x-slack-signature": [signature(b, str(int(_now()) + STALE_SECONDS))]},
    "wrong secret": lambda b: {"x-slack-request-timestamp": [_now()],
                               "x-slack-signature": [signature(b, _now(), "guessed")]},
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("malformed", sorted(MALFORMED))
def test_unverified_request_gets_401_and_does_nothing(
    bot: TestBot, caplog: pytest.LogCaptureFixture, kind: str, malformed: str
) -> None:
    request = payloads.encode(KINDS[kind](bot), SIGNING_SECRET)
    headers: dict[str, str | list[str]] = {"content-type": str(request.headers["Content-Type"])}
    headers.update(MALFORMED[malformed](request.body))
    with caplog.at_level(logging.INFO):
        response = bot.app.dispatch(BoltRequest(body=request.body, headers=headers))
        bot.wait_idle()
    assert response.status == 401
    assert [c.method for c in bot.emulator.calls if c.method != "auth.test"] == []
    assert count_events(bot) == 0
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "response_url" not in logged and "/response/" not in logged and MEMBER not in logged


@pytest.mark.parametrize(("malformed", "reason"), [("stale timestamp", "stale timestamp"),
                                                   ("future timestamp", "stale timestamp"),
                                                   ("wrong secret", "signature mismatch")])
def test_a_refusal_is_logged_by_its_own_reason(
    bot: TestBot, caplog: pytest.LogCaptureFixture, malformed: str, reason: str
) -> None:
    """slack_sdk's verifier refuses an old timestamp too, as a mismatch: only the bot's own check
    says why (README, Security: `refused request: stale timestamp`)."""
    request = payloads.encode(KINDS["command"](bot), SIGNING_SECRET)
    headers: dict[str, str | list[str]] = {"content-type": str(request.headers["Content-Type"])}
    headers.update(MALFORMED[malformed](request.body))
    with caplog.at_level(logging.INFO):
        assert bot.app.dispatch(BoltRequest(body=request.body, headers=headers)).status == 401
    assert [r.getMessage().split(" (")[0] for r in caplog.records if "refused" in r.getMessage()] == [
        f"refused request: {reason}"]


def test_a_well_formed_request_still_passes(bot: TestBot) -> None:
    response = bot.command("/roundup", "preview")
    assert response.status == 200
    assert bot.replies(), "a signed command was refused"


def test_error_handler_never_replies_to_an_unverified_request(bot: TestBot) -> None:
    """Whatever fails before verification (here: a middleware placed ahead of it), the error
    handler must not post to the request's response_url."""

    def explode(req, resp, next):  # noqa: A002
        raise RuntimeError("boom")

    from slack_bolt.middleware import CustomMiddleware

    bot.app._middleware_list.insert(0, CustomMiddleware(app_name="t", func=explode))
    request = payloads.encode(KINDS["command"](bot), "guessed")
    response = bot.app.dispatch(BoltRequest(body=request.body, headers=request.headers))
    bot.wait_idle()
    assert response.status >= 400
    assert bot.emulator.calls_to("response_url") == []
