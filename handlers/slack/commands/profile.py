"""/profile: a member's role, city and expertise; moderators: `/profile @member`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot import profiles
from bot.services import Services
from handlers.slack.commands.practice import open_form
from handlers.slack.replies import Respond


def profile(ack: Ack, command: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    form = profiles.form_for(services, command["team_id"], command["user_id"], command.get("text", "").strip(),
                             command["channel_id"])
    open_form(services, command, form, respond)
