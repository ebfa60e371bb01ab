"""The exchange gate (issue 12): a pending or declined workspace's members get one short private
explanation for every command, action, view and shortcut, and its events do nothing. Distribution
mode only; the rule is bot/exchange.py's `refusal`. Uninstall events always pass (events/installs.py).
Approve and Decline are actions (actions/exchange.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse, Respond
from sqlalchemy.exc import SQLAlchemyError

from bot import exchange
from bot.chat import ChatError
from bot.services import Services
from bot.slack import CONNECTION_ERRORS, SlackChat

log = logging.getLogger("roundtable.requests")

ALWAYS = frozenset({"app_uninstalled", "tokens_revoked"})  # a refused workspace can still leave


def exchange_gate(req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
    body, context = req.body, req.context
    if body.get("type") == "event_callback" and body.get("event", {}).get("type") in ALWAYS:
        next()
        return None
    services: Services = context["services"]
    team_id = context.team_id or ""
    try:
        refusal = exchange.gate_refusal(services, team_id)
    except SQLAlchemyError:  # the listener answers that the database is down (handlers/errors.py)
        next()
        return None
    if refusal is None:
        next()
        return None
    log.info("refused: workspace %s is not in the exchange", team_id)
    if body.get("type") == "event_callback":
        return BoltResponse(status=200, body="")
    explain(body, context, context.respond, refusal)  # type: ignore[arg-type]
    return context.ack()


def explain(body: dict[str, Any], context: BoltContext, respond: Respond, text: str) -> None:
    """An action's or shortcut's explanation: ephemeral where it happened, else a DM. It is a courtesy:
    Slack's refusal or a dropped connection is logged, and the request is still acknowledged."""
    chat = SlackChat(context.client)
    try:
        if body.get("response_url") or body.get("response_urls"):
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif context.channel_id and context.user_id:
            chat.post_private(context.channel_id, context.user_id, {"text": text})
        elif context.user_id:
            chat.send_direct(context.user_id, {"text": text})
    except ChatError as error:
        log.warning("explanation not delivered: %s", error.code)
    except CONNECTION_ERRORS as error:  # respond() to a response_url that did not answer
        log.warning("explanation not delivered: connection failed: %s", type(error).__name__)
