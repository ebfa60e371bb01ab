"""The exchange gate and the Approve / Decline buttons (issue 12): a pending or declined workspace's members get one short private
explanation for every command, action and shortcut, and its events do nothing. Distribution mode
only; the rule is bot/exchange.py's `refusal`. Uninstall events always pass (handlers/installs.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import exchange
from bot import exchange_requests as requests
from bot import messages as m
from bot.render import slack
from bot.services import Services
from handlers.errors import guarded
from handlers.home import publish_home, workspace_url

log = logging.getLogger("roundtable.requests")

ALWAYS = frozenset({"app_uninstalled", "tokens_revoked"})  # a refused workspace can still leave


def exchange_gate(services: Services) -> Callable[..., BoltResponse | None]:
    """The middleware for bot/app.py."""

    def gate(body: dict, context: BoltContext, ack: Ack, respond: Respond, client: WebClient,
             next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
        if body.get("type") == "event_callback" and body.get("event", {}).get("type") in ALWAYS:
            next()
            return None
        team_id = context.team_id or ""
        try:
            with services.db.begin() as session:
                refusal = exchange.refusal(session, services.settings, team_id)
        except SQLAlchemyError:  # the listener answers that the database is down (handlers/errors.py)
            next()
            return None
        if refusal is None:
            next()
            return None
        log.info("refused: workspace %s is not in the exchange", team_id)
        if body.get("type") == "event_callback":
            return BoltResponse(status=200, body="")
        _explain(body, context, respond, client, refusal)
        return ack()

    return gate


def _explain(body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient, text: str) -> None:
    """An action's or shortcut's explanation: ephemeral where it happened, else a DM."""
    try:
        if body.get("response_url") or body.get("response_urls"):
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif context.channel_id and context.user_id:
            client.chat_postEphemeral(channel=context.channel_id, user=context.user_id, text=text)
        elif context.user_id:
            client.chat_postMessage(channel=context.user_id, text=text)
    except SlackApiError as error:
        log.warning("explanation not delivered: %s", error.response.get("error"))


def register(app: App, services: Services) -> None:
    """Approve / Decline, from the moderators' DM or the host's Home tab."""

    def press(approve: bool, ack: Ack, body: dict, context: BoltContext, respond: Respond) -> None:
        ack()
        team_id = (body.get("actions") or [{}])[0].get("value", "")
        user_id = context.user_id or ""
        reason = requests.settle(services, team_id, approve, context.team_id or "", user_id)
        in_message = body.get("container", {}).get("type") == "message"
        if reason is not None:
            if in_message:
                respond(text=reason, response_type="ephemeral", replace_original=False)
            else:
                services.chat_for(context.team_id or "").send_direct(user_id, m.Message(m.line(reason)))
            return
        if in_message:
            respond(replace_original=True, **slack.message(requests.decided_message(requests.named(services, team_id),
                                                                                    approve, user_id)))
        else:
            publish_home(services, context.team_id or "", user_id, workspace_url(context))

    @app.action(requests.APPROVE)
    @guarded
    def approve(ack: Ack, body: dict, context: BoltContext, respond: Respond) -> None:
        press(True, ack, body, context, respond)

    @app.action(requests.DECLINE)
    @guarded
    def decline(ack: Ack, body: dict, context: BoltContext, respond: Respond) -> None:
        press(False, ack, body, context, respond)
