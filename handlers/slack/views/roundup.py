"""The roundup settings form submitted (moderators only; the rules: bot/roundup/commands.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.render import slack_forms
from bot.roundup.commands import save_settings
from bot.services import Services
from handlers.slack.replies import team_id_of, user_id_of


def roundup_settings_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    saved = save_settings(services, team_id_of(body), user_id_of(body), slack_forms.values(view))
    ack(**(slack_forms.errors(saved) if isinstance(saved, dict) else slack_forms.update(saved)))
