"""/roundup preview | now | last | settings (the rules: bot/roundup/commands.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.render.slack_limits import MESSAGE_BLOCKS
from bot.roundup import commands
from bot.services import Services
from bot.text import split_subcommand
from handlers.slack.replies import Respond, reply


def roundup(ack: Ack, command: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    subcommand, _ = split_subcommand(command.get("text", ""))
    team_id, user_id = command["team_id"], command["user_id"]
    if subcommand in ("", "preview"):
        reply(respond, commands.preview(services, team_id))
    elif subcommand == "last":
        reply(respond, commands.last(services, team_id, MESSAGE_BLOCKS))
    elif subcommand == "now":
        reply(respond, commands.now(services, team_id, user_id))
    elif subcommand == "settings":
        form = commands.settings(services, team_id, user_id)
        if isinstance(form, tuple):
            reply(respond, form)
        else:
            services.chat_for(team_id).open_form(command["trigger_id"], form)
    else:
        reply(respond, commands.USAGE)
