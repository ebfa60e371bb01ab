"""/profile: a member's role, city and expertise; moderators can set another member's."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.chat import ChatError
from bot.messages import Mention, Message, Text, line
from bot.profiles import (
    CALLBACK_ID,
    check_profile,
    describe,
    mentioned_member,
    profile_form,
    read_profile,
    save,
)
from bot.render import slack_forms
from bot.services import Services
from handlers.errors import UNAVAILABLE, guarded
from storage.profiles import get_profile

USAGE = "Usage: `/profile` for yours; moderators: `/profile @member` for another member's."
log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.command("/profile")
    @guarded
    def profile_command(ack: Ack, command: dict[str, Any], respond: Callable[..., object], client: WebClient) -> None:
        ack()
        team_id, user_id, text = command["team_id"], command["user_id"], command.get("text", "").strip()
        target = mentioned_member(text) if text else user_id
        if target is None:
            respond(text=USAGE, response_type="ephemeral")
            return
        moderator = services.is_moderator(team_id, user_id)
        if target != user_id and not moderator:
            respond(text="Only moderators can set another member's profile. " + USAGE, response_type="ephemeral")
            return
        with services.db.begin() as session:
            profile = get_profile(session, team_id, target)
        form = profile_form(profile, user_id=target, own=target == user_id,
                            channel_id=command["channel_id"], may_grant_moderator=moderator)
        services.chat_for(team_id).open_form(command["trigger_id"], form)

    @app.view(CALLBACK_ID)
    @guarded
    def profile_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        submitted = slack_forms.submitted(view)
        draft, target, channel_id = read_profile(submitted.values, submitted.state)
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        target = target or user_id
        with services.db.begin() as session:
            current = get_profile(session, team_id, target)
        errors = check_profile(draft, own=target == user_id, current_role=current.role if current else "",
                               editor_is_moderator=services.is_moderator(team_id, user_id))
        if errors:
            ack(**slack_forms.errors(errors))
            return
        try:
            save(services, team_id, target, draft)
        except SQLAlchemyError:
            log.exception("could not save a profile")
            ack(response_action="errors", errors={"city": UNAVAILABLE})  # the form stays open
            return
        ack()
        whose = line("Your profile") if target == user_id else line(Mention(target), "'s profile")
        if channel_id:
            try:
                services.chat_for(team_id).post_private(channel_id, user_id, Message(line(
                    *whose, " is saved: ", Text(describe(draft), cut=300), ".")))
            except ChatError as error:
                log.warning("could not confirm a profile: %s", error.code)
