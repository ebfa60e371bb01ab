"""The profile form submitted: checked and saved by bot/profiles.py, confirmed privately."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from sqlalchemy.exc import SQLAlchemyError

from bot import profiles
from bot.chat import ChatError
from bot.messages import Message
from bot.render import slack_forms
from bot.services import Services
from handlers.errors import UNAVAILABLE
from handlers.slack.replies import team_id_of, user_id_of

log = logging.getLogger(__name__)


def profile_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    team_id, user_id = team_id_of(body), user_id_of(body)
    try:
        saved = profiles.save_form(services, team_id, user_id, slack_forms.submitted(view))
    except SQLAlchemyError:
        log.exception("could not save a profile")
        ack(**slack_forms.errors({"city": UNAVAILABLE}))  # the form stays open
        return
    if saved.errors:
        ack(**slack_forms.errors(saved.errors))
        return
    ack()
    if saved.channel_id:
        try:
            services.chat_for(team_id).post_private(saved.channel_id, user_id, Message(saved.confirmation))
        except ChatError as error:
            log.warning("could not confirm a profile: %s", error.code)
