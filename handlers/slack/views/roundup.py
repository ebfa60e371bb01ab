"""The roundup settings form submitted (moderators only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.render import slack_forms
from bot.roundup.schedule import next_occurrence, schedule_for
from bot.roundup.settings import parse_settings, saved_form
from bot.services import Services
from handlers.slack.replies import team_id_of, user_id_of
from storage import roundup_settings


def roundup_settings_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    team_id, user_id = team_id_of(body), user_id_of(body)
    choice, errors = parse_settings(slack_forms.values(view))
    if choice is not None and not services.is_moderator(team_id, user_id):
        errors = {"day": "Only moderators can change the roundup settings."}
    if choice is None or errors:
        ack(**slack_forms.errors(errors))
        return
    with services.db.begin() as session:
        roundup_settings.save_settings(session, team_id, user_id, services.clock(), day=choice.day, time=choice.time,
                                       timezone=choice.timezone, channel_id=choice.channel_id,
                                       post_quiet_weeks=choice.post_quiet_weeks)
        schedule = schedule_for(session, services.settings, team_id)
    ack(**slack_forms.update(saved_form(schedule, next_occurrence(schedule, services.clock()))))
