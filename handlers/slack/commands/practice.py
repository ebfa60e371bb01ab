"""/practice: share (the form or one line), search, list, mine, show, edit, delete, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot import forms as f
from bot.practices import blocks, cards, commands, oneline
from bot.practices.help import HELP
from bot.services import Services
from bot.text import split_subcommand
from handlers.slack.replies import Respond, reply


def practice(ack: Ack, command: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    answer(services, command, command.get("text", "").strip(), respond)


def answer(services: Services, command: dict[str, Any], text: str, respond: Respond) -> None:
    """`text` typed after /practice (or run from a *Did you mean* button), answered by bot/practices."""
    team_id, user_id, channel_id = command["team_id"], command["user_id"], command.get("channel_id", "")
    subcommand, rest = split_subcommand(text)
    if not text:
        open_form(services, command, commands.share_form_for(services, team_id, user_id, channel_id), respond)
    elif subcommand == "help":
        reply(respond, HELP)
    elif subcommand == "search":
        reply(respond, oneline.search_answer(services, team_id, rest, channel_id))
    elif subcommand in ("list", "mine"):
        reply(respond, commands.listing(services, team_id, user_id, rest, mine=subcommand == "mine"))
    elif subcommand == "show":
        reply(respond, commands.show(services, team_id, user_id, rest))
    elif subcommand == "edit":
        open_form(services, command, commands.edit_form(services, team_id, user_id, rest, channel_id), respond)
    elif subcommand == "delete":
        reply(respond, commands.delete(services, team_id, user_id, rest))
    else:
        share_line(services, command, text, respond)


def open_form(services: Services, command: dict[str, Any], form: f.Form | str, respond: Respond) -> None:
    """Open `form` for the member, or tell them why there is none (a refusal's words)."""
    if isinstance(form, str):
        reply(respond, form)
    else:
        services.chat_for(command["team_id"]).open_form(command["trigger_id"], form)


def share_line(services: Services, command: dict[str, Any], text: str, respond: Respond, *,
               as_typed: bool = False) -> None:
    """`/practice Title. What was done. #topic`: shared, its card posted where it was typed."""
    outcome = oneline.quick_share(services, command["team_id"], command["user_id"], text, as_typed=as_typed)
    if not isinstance(outcome, tuple):
        reply(respond, outcome)
        return
    shared, profile = outcome
    posted = cards.post_new_card(services, shared, profile, command["channel_id"])
    reply(respond, blocks.build_shared(shared, posted))
