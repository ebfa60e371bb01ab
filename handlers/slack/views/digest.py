"""The digest draft submitted: saved by bot/digests/commands.py, then posted in its thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.digests import commands
from bot.render import slack_forms
from bot.services import Services
from handlers.slack.replies import team_id_of, user_id_of


def digest_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    team_id, user_id = team_id_of(body), user_id_of(body)
    saved = commands.save(services, team_id, user_id, slack_forms.submitted(view))
    if saved.digest is None:
        ack(**slack_forms.errors(saved.errors))
        return
    ack()
    commands.post(services, team_id, user_id, saved.digest)
