"""*Mark answered* (in a thread, a private prompt or the Home tab) and *Save as practice*."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.practices import commands
from bot.questions import posts as question_posts
from bot.questions.blocks import parse_button_value
from bot.services import Services
from handlers.slack.home import publish_home, workspace_url
from handlers.slack.replies import Respond, button_value, note, team_id_of, user_id_of


def mark_answered(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, services: Services) -> None:
    ack()
    parsed = parse_button_value(button_value(body))
    if parsed is None:
        return
    team_id, user_id, url = context.team_id or "", user_id_of(body), workspace_url(context)
    refusal = question_posts.mark_answered(services, team_id, parsed[0], user_id, answer_ts=parsed[1], workspace_url=url)
    container = body.get("container") or {}
    if container.get("type") == "view":
        publish_home(services, team_id, user_id, url)
    elif refusal:
        note(respond, refusal)
    elif container.get("is_ephemeral"):
        respond(text="Marked answered. Thank you!", replace_original=True)


def save_as_practice(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    """The share form prefilled with the question, its accepted answer and the answerer's city."""
    ack()
    parsed = parse_button_value(button_value(body))
    team_id, user_id = team_id_of(body), user_id_of(body)
    form = commands.form_from_question(services, team_id, user_id, parsed[0]) if parsed else None
    if form is None:
        note(respond, "That question is no longer tracked (it was deleted).")
    else:
        services.chat_for(team_id).open_form(body["trigger_id"], form)
