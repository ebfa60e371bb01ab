"""A moderator's *Schedule and announce*, *Discard* and cancel confirmation under our replies, and
everyone's RSVP buttons on a reminder."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.chat import ChatError
from bot.messages import Message
from bot.roundtables import blocks, commands, rsvp
from bot.services import Services
from handlers.slack.replies import (
    Respond,
    Said,
    button_value,
    channel_of,
    note,
    reply,
    team_id_of,
    user_id_of,
)
from handlers.slack.roundtables import NOT_IN_CHANNEL, learn_channel, post_to_channel

log = logging.getLogger("roundtable.roundtables")


def answer(respond: Respond, said: Said) -> None:
    """The reply replaces the question it answers."""
    reply(respond, said, replace_original=True)


def by_moderator(body: dict[str, Any], respond: Respond, services: Services) -> bool:
    """Whether the press is a moderator's; anyone else is told they cannot."""
    if services.is_moderator(team_id_of(body), user_id_of(body)):
        return True
    note(respond, commands.REFUSAL)
    return False


def confirm_schedule(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, services: Services) -> None:
    ack()
    if not by_moderator(body, respond, services):
        return
    team_id, user_id = team_id_of(body), user_id_of(body)
    scheduled = commands.confirm_schedule(services, team_id, user_id, button_value(body))
    roundtable, start = scheduled.roundtable, scheduled.start
    if roundtable is None or start is None:
        answer(respond, scheduled.reply)
        return
    home = roundtable.team_id  # a shared channel's home (Slack Connect)
    learn_channel(services, client, home, roundtable.channel_id, str((body.get("channel") or {}).get("name", "")))
    answer(respond, scheduled.reply)
    if not post_to_channel(services, home, roundtable.channel_id, blocks.announcement(roundtable, start, user_id)):
        answer(respond, NOT_IN_CHANNEL.format(channel=roundtable.channel_id))


def discard_schedule(ack: Ack, respond: Respond) -> None:
    ack()
    answer(respond, "Discarded: nothing was scheduled.")


def confirm_cancel(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    if not by_moderator(body, respond, services):
        return
    cancelled = commands.cancel(services, team_id_of(body), button_value(body), confirmed=True,
                                here=channel_of(body))
    answer(respond, cancelled.reply)
    if cancelled.notice:
        post_to_channel(services, team_id_of(body), cancelled.channel_id, Message(cancelled.notice))


def member_name(services: Services, user: dict[str, Any], team_id: str) -> str:
    """How a member is listed under an RSVP: their name, never a mention (no pings), as their own
    workspace knows them (another organization's member, in a Slack Connect channel)."""
    found = services.chat_for(user.get("team_id") or team_id).member(user["id"])
    if found is None:
        return user.get("name") or user.get("username") or user["id"]
    return found.name or user["id"]


def answer_rsvp(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, services: Services) -> None:
    """*I'm going* / *I might go* / *I can't go*: recorded, and every post of the reminder updated."""
    ack()
    team_id, user = team_id_of(body), body["user"]
    answered = rsvp.answer(services, team_id, user["id"], member_name(services, user, team_id),
                           action.get("action_id", ""), action.get("value", ""), channel_of(body))
    if answered is None:
        return
    if answered.message is None:
        note(respond, answered.problem)
        return
    targets = set(answered.posted)
    container = body.get("container") or {}
    if container.get("message_ts"):
        targets.add((container["channel_id"], container["message_ts"]))
    for channel, ts in sorted(targets):
        try:
            services.chat_for(answered.team_id).update(channel, ts, answered.message)
        except ChatError as error:
            log.warning("could not update reminder %s in %s: %s", ts, channel, error.code)
