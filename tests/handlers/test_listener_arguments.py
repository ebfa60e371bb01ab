"""Guarded listeners are called with the request (bot/app.py DirectListener), not through Bolt's
build_required_kwargs: each function still gets, by Bolt's argument names, what Bolt gave it."""

from __future__ import annotations

from typing import Any

import pytest
import slack_bolt.listener.custom_listener
from slack_bolt import BoltRequest
from slack_bolt.kwargs_injection import build_required_kwargs

from bot import payloads
from bot.app import DirectListener
from handlers.slack.errors import ARGUMENTS, PAYLOAD_ALIASES
from tests.harness import MEMBER, SIGNING_SECRET, TestBot

BOLTS = ["ack", "body", "payload", "respond", "say", "client", "context", "logger"]  # what guarded asked Bolt for

BODIES = {
    "command": payloads.slash_command("/practice", "help", user=MEMBER, response_url="http://127.0.0.1:1/r"),
    "action": payloads.block_action("practice_adopt", "12", user=MEMBER, response_url="http://127.0.0.1:1/r"),
    "view": payloads.view_submission("practice_modal", {}, user=MEMBER),
    "event": payloads.event_callback(payloads.message_event("How did you fund it?", user=MEMBER)),
    "shortcut": payloads.message_shortcut("save_digest", {"ts": "1.2", "text": "hi"}, user=MEMBER),
}


def request(bot: TestBot, body: dict[str, Any]) -> BoltRequest:
    signed = payloads.encode(body, SIGNING_SECRET)
    req = BoltRequest(body=signed.body, headers=dict(signed.headers))
    bot.app._init_context(req)
    req.context["services"] = bot.services
    return req


def bolts_arguments(req: BoltRequest) -> dict[str, Any]:
    """What the wrapper built before: Bolt's arguments, `services` and the payload under its aliases."""
    given = build_required_kwargs(logger=req.context.logger, required_arg_names=list(BOLTS), request=req,
                                  response=None, next_keys_required=False)
    return {**given, "services": req.context.get("services"), **dict.fromkeys(PAYLOAD_ALIASES, given["payload"])}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_each_argument_is_the_one_bolt_built(kind: str, bot: TestBot) -> None:
    req = request(bot, BODIES[kind])
    bolts = bolts_arguments(req)
    assert set(ARGUMENTS) == set(bolts)
    for name, argument in ARGUMENTS.items():
        ours = argument(req)
        assert ours is bolts[name] or (ours == bolts[name] and type(ours) is type(bolts[name])), name


def test_every_guarded_listener_is_called_with_the_request(bot: TestBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """No listener of the app goes through build_required_kwargs, and a command is still answered."""
    listeners = bot.app._listeners
    assert listeners and all(type(listener) is DirectListener for listener in listeners)

    def refuse(**_kwargs: Any) -> None:
        raise AssertionError("build_required_kwargs called for a listener")

    monkeypatch.setattr(slack_bolt.listener.custom_listener, "build_required_kwargs", refuse)
    bot.command("/practice", "help")
    assert "/practice search" in bot.last_reply_text()
