"""/roundtable: list, schedule (modal or quick form), edit, cancel, ics."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import conversations
from bot.chat import Chat, ChatError
from bot.messages import Inline, Message, code, line
from bot.render import slack
from bot.roundtables import blocks, ics, meetings
from bot.roundtables.modal import schedule_form
from bot.roundtables.plans import PlanError, decode_plan, encode_plan, example_day, parse_quick
from bot.roundtables.recurrence import LOCAL_FORMAT
from bot.services import Services
from bot.text import split_subcommand
from handlers.errors import guarded
from storage import conversations as conversation_store
from storage.roundtables import same_roundtable

log = logging.getLogger("roundtable.roundtables")

USAGE = ("Usage: `/roundtable list` · `/roundtable schedule` (a form) or "
         "`/roundtable schedule {day} 15:00 Central biweekly Wireless downtown` · "
         "`/roundtable edit 3` · `/roundtable cancel 3` (add `--next` for only the next meeting) · "
         "`/roundtable ics 3` (a calendar file)")
REFUSAL = "Only moderators can schedule, edit or cancel roundtables. Ask a moderator if you need one."
CANCEL_USAGE = "Usage: `/roundtable cancel 3` cancels the series; `/roundtable cancel 3 --next` only its next meeting."
NO_NEXT_MEETING = "That plan has no meeting to come: pick a date in the future."
NOT_IN_CHANNEL = ("I could not post in <#{channel}>: invite me there with `/invite @Roundtable`, "
                  "or the reminders cannot be posted.")


def member_zone(chat: Chat, user_id: str, default: str) -> str:
    """The member's own time zone from their profile on the platform."""
    member = chat.member(user_id)
    return (member.timezone if member is not None else "") or default


def learn_channel(services: Services, client: WebClient, team_id: str, channel_id: str, channel_name: str = "") -> None:
    """Whether a roundtable's channel is public (bot.conversations): private ones stay out of lists."""
    public = conversations.ask_slack(client, channel_id, channel_name)
    with services.db.begin() as session:
        conversation_store.record(session, team_id, channel_id, public, services.clock())


def reply_args(said: str | Inline | Message) -> dict[str, Any]:
    """respond() arguments for a reply: Slack's text, or a whole rendered message."""
    if isinstance(said, Message):
        return slack.message(said)
    return {"text": said if isinstance(said, str) else slack.mrkdwn(said)}


def post_to_channel(chat: Chat, channel: str, message: Message) -> bool:
    try:
        chat.post(channel, message)
        return True
    except ChatError as error:
        log.warning("could not post to %s: %s", channel, error.code)
        return False


def register(app: App, services: Services) -> None:
    @app.command("/roundtable")
    @guarded
    def roundtable_command(ack: Ack, command: dict, respond: Callable[..., object], client: WebClient) -> None:
        ack()
        subcommand, rest = split_subcommand(command.get("text", ""))
        team_id, user_id = command["team_id"], command["user_id"]

        def say(said: str | Inline | Message, **extra: Any) -> None:
            respond(response_type="ephemeral", **reply_args(said), **extra)

        if subcommand == "list":
            with services.db.begin() as session:
                listed = blocks.build_list(meetings.upcoming(session, team_id, services.clock(),
                                                             command.get("channel_id", "")))
            say(listed)
        elif subcommand == "ics":
            send_calendar_file(client, team_id, user_id, rest, say, command.get("channel_id", ""))
        elif subcommand in ("schedule", "edit", "cancel"):
            if not services.is_moderator(team_id, user_id):
                say(REFUSAL)
            elif subcommand == "schedule" and not rest:
                zone = member_zone(services.chat_for(team_id), user_id, services.settings.timezone)
                form = schedule_form(channel_id=command["channel_id"], timezone=zone)
                services.chat_for(team_id).open_form(command["trigger_id"], form)
            elif subcommand == "schedule":
                schedule_quick(client, command, rest, say)
            elif subcommand == "edit":
                open_edit(client, command, rest, say)
            else:
                cancel(client, team_id, rest, say)
        else:
            say(USAGE.format(day=example_day(services.clock())))

    def schedule_quick(client: WebClient, command: dict, text: str, say: Callable[..., None]) -> None:
        """The one-line form: show what was understood; the confirm button schedules and announces."""
        zone = member_zone(services.chat_for(command["team_id"]), command["user_id"], services.settings.timezone)
        try:
            plan = parse_quick(text, now=services.clock(), default_zone=zone, channel_id=command["channel_id"])
        except PlanError as error:
            say(str(error))
            return
        start = plan.starts_local.replace(tzinfo=ZoneInfo(plan.timezone))
        say(blocks.build_schedule_check(plan.title, start, plan.timezone, plan.recurrence, plan.channel_id,
                                        encode_plan(plan), plan.reminder_minutes))

    def schedule_confirmed(client: WebClient, team_id: str, user_id: str, value: str,
                           say: Callable[..., None], channel_name: str = "") -> None:
        now = services.clock()
        try:
            plan = decode_plan(value, now)
        except PlanError as error:
            say(str(error))
            return
        with services.db.begin() as session:
            twice = same_roundtable(session, team_id, user_id, title=plan.title, timezone=plan.timezone,
                                    starts_local=plan.starts_local.strftime(LOCAL_FORMAT), channel_id=plan.channel_id)
            done = twice.id if twice is not None else None
        if done is not None:  # the confirm button pressed twice: one roundtable, one announcement
            say(f"Already scheduled as roundtable #{done}: `/roundtable list` shows it.")
            return
        try:
            with services.db.begin() as session:  # nothing is committed unless it has a next meeting
                roundtable = meetings.schedule(session, team_id=team_id, user_id=user_id, plan=plan, now=now)
                start = meetings.next_meeting(roundtable, now)
                if start is None:
                    raise PlanError(NO_NEXT_MEETING)
        except PlanError as error:
            say(str(error))
            return
        learn_channel(services, client, team_id, roundtable.channel_id, channel_name)
        say(blocks.scheduled_text(roundtable, start))
        if not post_to_channel(services.chat_for(team_id), roundtable.channel_id, blocks.announcement(roundtable, start, user_id)):
            say(NOT_IN_CHANNEL.format(channel=roundtable.channel_id))

    def pressed(body: dict, respond: Callable[..., object]) -> tuple[str, str, str, Callable[..., None]] | None:
        """(team, user, button value, say) for a moderator's press under one of our replies; None
        after telling anyone else they cannot."""
        team_id, user_id = body["team"]["id"], body["user"]["id"]

        def say(said: str | Inline | Message, **extra: Any) -> None:  # the reply replaces the question it answers
            respond(response_type="ephemeral", replace_original=True, **reply_args(said), **extra)

        if not services.is_moderator(team_id, user_id):
            respond(text=REFUSAL, response_type="ephemeral", replace_original=False)
            return None
        return team_id, user_id, str((body.get("actions") or [{}])[0].get("value", "")), say

    @app.action(blocks.SCHEDULE_CONFIRM)
    @guarded
    def confirm_schedule(ack: Ack, body: dict, respond: Callable[..., object], client: WebClient) -> None:
        ack()
        if press := pressed(body, respond):
            schedule_confirmed(client, press[0], press[1], press[2], press[3],
                               str((body.get("channel") or {}).get("name", "")))

    @app.action(blocks.SCHEDULE_DISCARD)
    @guarded
    def discard_schedule(ack: Ack, respond: Callable[..., object]) -> None:
        ack()
        respond(text="Discarded: nothing was scheduled.", response_type="ephemeral", replace_original=True)

    @app.action(blocks.CANCEL_CONFIRM)
    @guarded
    def confirm_cancel(ack: Ack, body: dict, respond: Callable[..., object], client: WebClient) -> None:
        ack()
        if press := pressed(body, respond):
            cancel(client, press[0], press[2], press[3], confirmed=True)

    def open_edit(client: WebClient, command: dict, reference: str, say: Callable[..., None]) -> None:
        try:
            with services.db.begin() as session:
                roundtable = meetings.find(session, command["team_id"], reference)
                plan = meetings.plan_of(roundtable, services.clock())
        except LookupError as error:
            say(str(error))
            return
        form = schedule_form(channel_id=roundtable.channel_id, timezone=roundtable.timezone, plan=plan,
                             roundtable_id=roundtable.id)
        services.chat_for(command["team_id"]).open_form(command["trigger_id"], form)

    def cancel(client: WebClient, team_id: str, text: str, say: Callable[..., None], *,
               confirmed: bool = False) -> None:
        """`/roundtable cancel 3 [--next]` asks first; the confirmed button cancels."""
        words = text.split()
        references = [w for w in words if w != "--next"]
        if len(references) != 1:
            say(CANCEL_USAGE)
            return
        next_only = "--next" in words
        try:
            with services.db.begin() as session:
                roundtable = meetings.find(session, team_id, references[0])
                if not confirmed:
                    upcoming = meetings.next_meeting(roundtable, services.clock())
                    if next_only and upcoming is None:
                        raise LookupError(f"Roundtable #{roundtable.id} has no upcoming meeting to cancel.")
                    check = blocks.build_cancel_check(roundtable, upcoming, next_only)
                else:
                    done = meetings.cancel(session, roundtable, services.clock(), next_only=next_only)
        except LookupError as error:
            say(str(error))
            return
        if not confirmed:
            say(check)
            return
        reply, notice = blocks.cancelled_texts(done.roundtable, done.occurrence, done.series_continues)
        say(reply)
        post_to_channel(services.chat_for(team_id), done.roundtable.channel_id, Message(notice))

    def send_calendar_file(client: WebClient, team_id: str, user_id: str, reference: str,
                           say: Callable[..., None], here: str) -> None:
        try:
            with services.db.begin() as session:
                roundtable = meetings.find(session, team_id, reference, here)
        except LookupError as error:
            say(str(error) if reference.strip() else "Usage: `/roundtable ics 3` (numbers from `/roundtable list`).")
            return
        name = ics.filename(roundtable)
        services.chat_for(team_id).send_file(
            user_id, name, ics.build_ics(roundtable, services.clock()), f"{roundtable.title} (calendar)"[:250],
            "Open this file to add the roundtable to Outlook, Google Calendar or Apple Calendar.")
        say(line("I sent you ", code(name), " in a direct message: open it to add ", blocks.title(roundtable),
                 " to your calendar."))
