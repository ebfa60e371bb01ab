"""The practice form (share or edit) submitted: saved by bot/practices/saving.py, then the card."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from sqlalchemy.exc import SQLAlchemyError

from bot.chat import ChatError
from bot.practices import blocks, cards
from bot.practices.saving import save_form
from bot.render import slack_forms
from bot.services import Services
from handlers.errors import UNAVAILABLE
from handlers.slack.replies import team_id_of, user_id_of

log = logging.getLogger(__name__)


def practice_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    team_id, user_id = team_id_of(body), user_id_of(body)
    try:
        saved = save_form(services, team_id, user_id, slack_forms.submitted(view))
    except SQLAlchemyError:
        log.exception("could not save a practice from the modal")
        ack(**slack_forms.errors({"title": UNAVAILABLE}))  # the form stays open, nothing lost
        return
    if saved.errors or saved.practice is None:
        ack(**slack_forms.errors(saved.errors))
        return
    ack()
    practice = saved.practice
    if saved.edited:
        cards.refresh_card(services, team_id, practice.id)
        confirmation = blocks.build_shared(practice, True, verb="Saved")
    else:
        confirmation = blocks.build_shared(practice, cards.post_new_card(services, practice, saved.profile,
                                                                         saved.channel_id))
    if saved.channel_id:
        try:
            services.chat_for(team_id).post_private(saved.channel_id, user_id, confirmation)
        except ChatError as error:
            log.warning("could not confirm practice %s: %s", practice.id, error.code)
