"""The roundtable modal's submission and the RSVP buttons on reminders."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.chat import Chat, ChatError
from bot.messages import Inline, Message
from bot.render import slack_forms
from bot.roundtables import blocks, meetings
from bot.roundtables.modal import CALLBACK_ID, ModalErrors, read_modal, roundtable_id_of
from bot.roundtables.recurrence import parse_occurrence_key
from bot.roundtables.reminders import posted_reminders, reminder_message
from bot.services import Services
from bot.text import parse_id
from handlers.errors import guarded
from handlers.roundtables import NO_NEXT_MEETING, NOT_IN_CHANNEL, REFUSAL, learn_channel, post_to_channel
from storage.roundtables import get_roundtable, set_rsvp

log = logging.getLogger("roundtable.roundtables")

RSVP_PATTERN = re.compile(rf"^{blocks.RSVP_ACTION}_(going|maybe|no)$")
VALUE = re.compile(r"^([0-9]{1,10})\|([0-9]{8}T[0-9]{4}Z)$")


def member_name(chat: Chat, user: dict) -> str:
    """How a member is listed under an RSVP: their name, never a mention (no pings)."""
    found = chat.member(user["id"])
    if found is None:
        return (user.get("name") or user.get("username") or user["id"])[:120]
    return (found.name or user["id"])[:120]


def tell(chat: Chat, channel: str, user_id: str, text: Inline) -> None:
    """A note only `user_id` sees: ephemeral in the channel, or a DM when the bot is not there."""
    try:
        chat.post_private(channel, user_id, Message(text))
    except ChatError:
        chat.send_direct(user_id, Message(text))


def register(app: App, services: Services) -> None:
    @app.view(CALLBACK_ID)
    @guarded
    def submit_roundtable(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        if not services.is_moderator(team_id, user_id):
            ack(response_action="errors", errors={"title": REFUSAL})
            return
        now = services.clock()
        try:
            plan = read_modal(slack_forms.values(view), now)
        except ModalErrors as error:
            ack(**slack_forms.errors(error.errors))
            return
        editing = roundtable_id_of(str(view.get("private_metadata") or ""))
        before: datetime | None = None
        try:
            with services.db.begin() as session:  # nothing is committed until every check has passed
                if editing is None:
                    roundtable = meetings.schedule(session, team_id=team_id, user_id=user_id, plan=plan, now=now)
                else:
                    found = get_roundtable(session, team_id, editing)
                    if found is None or found.cancelled_at is not None:
                        raise ModalErrors({"title": "This roundtable was cancelled meanwhile."})
                    before = meetings.next_meeting(found, now)
                    meetings.update(session, found, plan, now)
                    roundtable = found
                start = meetings.next_meeting(roundtable, now)
                if start is None:
                    raise ModalErrors({"date": NO_NEXT_MEETING})
        except ModalErrors as error:
            ack(response_action="errors", errors=error.errors)
            return
        ack()
        learn_channel(services, client, team_id, roundtable.channel_id)
        verb = "Scheduled" if editing is None else "Saved"
        if editing is None and not post_to_channel(services.chat_for(team_id), roundtable.channel_id,
                                                   blocks.announcement(roundtable, start, user_id)):
            services.chat_for(team_id).send_direct(user_id, {"text": NOT_IN_CHANNEL.format(channel=roundtable.channel_id)})
            return
        tell(services.chat_for(team_id), roundtable.channel_id, user_id, blocks.scheduled_text(roundtable, start, verb))
        if editing is not None and before != start:  # the channel hears of a new time, not of a typo fixed
            post_to_channel(services.chat_for(team_id), roundtable.channel_id, blocks.moved(roundtable, before, start))

    @app.action(RSVP_PATTERN)
    @guarded
    def answer_rsvp(ack: Ack, body: dict, action: dict, respond: Callable[..., object], client: WebClient) -> None:
        ack()
        match = VALUE.match(action.get("value", ""))
        if match is None:
            return
        answer = RSVP_PATTERN.match(action["action_id"])[1]  # type: ignore[index]
        team_id, user = body["team"]["id"], body["user"]
        start, now = parse_occurrence_key(match[2]), services.clock()
        name = member_name(services.chat_for(team_id), user)
        with services.db.begin() as session:
            number = parse_id(match[1])
            roundtable = get_roundtable(session, team_id, number) if number is not None else None
            problem = None
            if roundtable is None or roundtable.cancelled_at is not None:
                problem = "This roundtable was cancelled."
            elif not meetings.series(roundtable).includes(start):
                problem = "This meeting was cancelled or moved: see `/roundtable list`."
            elif now >= start + timedelta(minutes=roundtable.duration_minutes):
                problem = "This meeting is over."
            else:
                set_rsvp(session, team_id=team_id, roundtable_id=roundtable.id, occurrence=match[2],
                         user_id=user["id"], answer=answer, name=name, now=now)
        if problem or roundtable is None:
            respond(text=problem or "This roundtable was cancelled.", response_type="ephemeral",
                    replace_original=False)
            return
        with services.db.begin() as session:  # read after the commit: the counts include everyone's
            message = reminder_message(session, roundtable, start, services.agenda_sources)
            targets = {(d.channel_id, d.slack_ts) for d in posted_reminders(session, roundtable, start)}
        container = body.get("container") or {}
        if container.get("message_ts"):
            targets.add((container["channel_id"], container["message_ts"]))
        for channel, ts in sorted(targets):
            try:
                services.chat_for(team_id).update(channel, ts, message)
            except ChatError as error:
                log.warning("could not update reminder %s in %s: %s", ts, channel, error.code)
