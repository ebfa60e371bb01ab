"""/digest list | search <words>."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.digests import commands
from bot.services import Services
from bot.text import split_subcommand
from handlers.slack.replies import Respond, reply

USAGE = ("Usage: `/digest list` shows the latest saved digests; `/digest search &lt;words&gt;` finds digests. "
         "To save one, use *Save discussion digest* from a thread's message menu.")


def digest(ack: Ack, command: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    subcommand, rest = split_subcommand(command.get("text", ""))
    team_id, here = command["team_id"], command.get("channel_id", "")
    if subcommand in ("", "list"):
        reply(respond, commands.listing(services, team_id, here))
    elif subcommand == "search" and rest:
        reply(respond, commands.search(services, team_id, rest, here))
    else:
        reply(respond, USAGE)
