"""/roundtable: list, schedule (modal or quick form), edit, cancel, ics."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import conversations
from bot.roundtables import blocks, ics, meetings
from bot.roundtables.modal import build_modal
from bot.roundtables.plans import PlanError, parse_quick
from bot.services import Services
from bot.text import split_subcommand
from handlers.errors import guarded
from storage import conversations as conversation_store

log = logging.getLogger("roundtable.roundtables")

USAGE = ("Usage: `/roundtable list` · `/roundtable schedule` (a form) or "
         "`/roundtable schedule 2026-12-03 15:00 America/Chicago biweekly Wireless downtown` · "
         "`/roundtable edit 3` · `/roundtable cancel 3` (add `--next` for only the next meeting) · "
         "`/roundtable ics 3` (a calendar file)")
REFUSAL = "Only moderators can schedule, edit or cancel roundtables. Ask a moderator if you need one."
CANCEL_USAGE = "Usage: `/roundtable cancel 3` cancels the series; `/roundtable cancel 3 --next` only its next meeting."
NO_NEXT_MEETING = "That plan has no meeting to come: pick a date in the future."
NOT_IN_CHANNEL = ("I could not post in <#{channel}>: invite me there with `/invite @Roundtable`, "
                  "or the reminders cannot be posted.")


def member_zone(client: WebClient, user_id: str, default: str) -> str:
    """The member's own time zone from their Slack profile."""
    try:
        return client.users_info(user=user_id)["user"].get("tz") or default
    except SlackApiError:
        return default


def learn_channel(services: Services, client: WebClient, team_id: str, channel_id: str, channel_name: str = "") -> None:
    """Whether a roundtable's channel is public (bot.conversations): private ones stay out of lists."""
    public = conversations.ask_slack(client, channel_id, channel_name)
    with services.db.begin() as session:
        conversation_store.record(session, team_id, channel_id, public, services.clock())


def post_to_channel(client: WebClient, channel: str, message: dict[str, Any]) -> bool:
    try:
        client.chat_postMessage(channel=channel, **message)
        return True
    except SlackApiError as error:
        log.warning("could not post to %s: %s", channel, error.response.get("error"))
        return False


def register(app: App, services: Services) -> None:
    @app.command("/roundtable")
    @guarded
    def roundtable_command(ack: Ack, command: dict, respond: Callable[..., object], client: WebClient) -> None:
        ack()
        subcommand, rest = split_subcommand(command.get("text", ""))
        team_id, user_id = command["team_id"], command["user_id"]

        def say(text: str, **extra: Any) -> None:
            respond(text=text, response_type="ephemeral", **extra)

        if subcommand == "list":
            with services.db.begin() as session:
                listed = blocks.build_list(meetings.upcoming(session, team_id, services.clock(),
                                                             command.get("channel_id", "")))
            say(**listed)
        elif subcommand == "ics":
            send_calendar_file(client, team_id, user_id, rest, say, command.get("channel_id", ""))
        elif subcommand in ("schedule", "edit", "cancel"):
            if not services.is_moderator(team_id, user_id):
                say(REFUSAL)
            elif subcommand == "schedule" and not rest:
                zone = member_zone(client, user_id, services.settings.timezone)
                client.views_open(trigger_id=command["trigger_id"],
                                  view=build_modal(channel_id=command["channel_id"], timezone=zone))
            elif subcommand == "schedule":
                schedule_quick(client, command, rest, say)
            elif subcommand == "edit":
                open_edit(client, command, rest, say)
            else:
                cancel(client, team_id, rest, say)
        else:
            say(USAGE)

    def schedule_quick(client: WebClient, command: dict, text: str, say: Callable[..., None]) -> None:
        now = services.clock()
        zone = member_zone(client, command["user_id"], services.settings.timezone)
        try:
            plan = parse_quick(text, now=now, default_zone=zone, channel_id=command["channel_id"])
        except PlanError as error:
            say(str(error))
            return
        try:
            with services.db.begin() as session:  # nothing is committed unless it has a next meeting
                roundtable = meetings.schedule(session, team_id=command["team_id"], user_id=command["user_id"],
                                               plan=plan, now=now)
                start = meetings.next_meeting(roundtable, now)
                if start is None:
                    raise PlanError(NO_NEXT_MEETING)
        except PlanError as error:
            say(str(error))
            return
        learn_channel(services, client, command["team_id"], roundtable.channel_id, command.get("channel_name", ""))
        say(blocks.scheduled_text(roundtable, start))
        if not post_to_channel(client, roundtable.channel_id,
                               blocks.announcement(roundtable, start, command["user_id"])):
            say(NOT_IN_CHANNEL.format(channel=roundtable.channel_id))

    def open_edit(client: WebClient, command: dict, reference: str, say: Callable[..., None]) -> None:
        try:
            with services.db.begin() as session:
                roundtable = meetings.find(session, command["team_id"], reference)
                plan = meetings.plan_of(roundtable, services.clock())
        except LookupError as error:
            say(str(error))
            return
        client.views_open(trigger_id=command["trigger_id"], view=build_modal(
            channel_id=roundtable.channel_id, timezone=roundtable.timezone, plan=plan,
            roundtable_id=roundtable.id))

    def cancel(client: WebClient, team_id: str, text: str, say: Callable[..., None]) -> None:
        words = text.split()
        references = [w for w in words if w != "--next"]
        if len(references) != 1:
            say(CANCEL_USAGE)
            return
        try:
            with services.db.begin() as session:
                roundtable = meetings.find(session, team_id, references[0])
                done = meetings.cancel(session, roundtable, services.clock(), next_only="--next" in words)
        except LookupError as error:
            say(str(error))
            return
        reply, notice = blocks.cancelled_texts(done.roundtable, done.occurrence, done.series_continues)
        say(reply)
        post_to_channel(client, done.roundtable.channel_id, {"text": notice})

    def send_calendar_file(client: WebClient, team_id: str, user_id: str, reference: str,
                           say: Callable[..., None], here: str) -> None:
        try:
            with services.db.begin() as session:
                roundtable = meetings.find(session, team_id, reference, here)
        except LookupError as error:
            say(str(error) if reference.strip() else "Usage: `/roundtable ics 3` (numbers from `/roundtable list`).")
            return
        name = ics.filename(roundtable)
        dm = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=dm, filename=name, content=ics.build_ics(roundtable, services.clock()),
            title=f"{roundtable.title} (calendar)"[:250],
            initial_comment="Open this file to add the roundtable to Outlook, Google Calendar or Apple Calendar.",
        )
        say(f"I sent you `{name}` in a direct message: open it to add *{blocks.fit(roundtable.title, 150)}* "
            "to your calendar.")
