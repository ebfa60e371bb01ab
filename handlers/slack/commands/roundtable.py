"""/roundtable: list, schedule (the form or one line), edit, cancel, ics."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.roundtables import commands, saving
from bot.roundtables.plans import example_day
from bot.services import Services
from bot.text import split_subcommand
from handlers.slack.commands.practice import open_form
from handlers.slack.replies import Respond, reply


def roundtable(ack: Ack, command: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    subcommand, rest = split_subcommand(command.get("text", ""))
    team_id, user_id, here = command["team_id"], command["user_id"], command.get("channel_id", "")
    if subcommand == "list":
        reply(respond, commands.upcoming(services, team_id, here))
    elif subcommand == "ics":
        reply(respond, commands.calendar_file(services, team_id, user_id, rest, here))
    elif subcommand not in ("schedule", "edit", "cancel"):
        reply(respond, commands.USAGE.format(day=example_day(services.clock())))
    elif not services.is_moderator(team_id, user_id):
        reply(respond, commands.REFUSAL)
    elif subcommand == "schedule" and not rest:
        open_form(services, command, saving.new_form(services, team_id, user_id, here), respond)
    elif subcommand == "schedule":
        zone = saving.member_zone(services, team_id, user_id)
        reply(respond, commands.schedule_check(services, rest, zone, here))
    elif subcommand == "edit":
        open_form(services, command, saving.edit_form(services, team_id, rest, here), respond)
    else:
        reply(respond, commands.cancel(services, team_id, rest, here=here).reply)
