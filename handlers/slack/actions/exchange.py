"""Approve / Decline a workspace asking to join the exchange, from the moderators' DM or the host's Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot import exchange_requests as requests
from bot import messages as m
from bot.render import slack
from bot.services import Services
from handlers.slack.home import publish_home, workspace_url
from handlers.slack.replies import button_value, note


def decide(approve: bool, body: dict[str, Any], context: BoltContext, respond: Respond, services: Services) -> None:
    team_id, host, user_id = button_value(body), context.team_id or "", context.user_id or ""
    reason = requests.settle(services, team_id, approve, host, user_id)
    in_message = body.get("container", {}).get("type") == "message"
    if reason is not None:
        if in_message:
            note(respond, reason)
        else:
            services.chat_for(host).send_direct(user_id, m.Message(m.line(reason)))
    elif in_message:
        decided = requests.decided_message(requests.named(services, team_id), approve, user_id)
        respond(replace_original=True, **slack.message(decided))
    else:
        publish_home(services, host, user_id, workspace_url(context))


def approve(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond, services: Services) -> None:
    ack()
    decide(True, body, context, respond, services)


def decline(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond, services: Services) -> None:
    ack()
    decide(False, body, context, respond, services)
