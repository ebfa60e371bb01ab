"""/roundup preview | now | last | settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack

from bot.dates import local_day_and_time
from bot.messages import ChannelRef, Context, Message, from_data, line
from bot.render import slack
from bot.render.slack_limits import MESSAGE_BLOCKS
from bot.roundup import content as roundup_content
from bot.roundup.delivery import KIND, post_now
from bot.roundup.schedule import next_occurrence, schedule_for
from bot.roundup.settings import settings_form
from bot.services import Services
from bot.text import split_subcommand
from handlers.slack.replies import Respond, reply
from storage import roundup_sync, roundups

USAGE = ("Usage: `/roundup preview` shows this week's roundup to you only; `/roundup last` shows the last "
         "one posted. Moderators: `/roundup now` posts it at once, `/roundup settings` sets when and where.")
MODERATORS_ONLY = "Only moderators can {what}. `/roundup preview` shows you this week's roundup."
LAST_LOOKBACK_DAYS = 2


def roundup(ack: Ack, command: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    subcommand, _ = split_subcommand(command.get("text", ""))
    team_id, user_id = command["team_id"], command["user_id"]
    if subcommand in ("", "preview"):
        with services.db.read() as session:
            schedule = schedule_for(session, services.settings, team_id)
            built = roundup_content.build_roundup(session, team_id, services.clock(), schedule.timezone)
        respond(text=built.title, blocks=slack.blocks(roundup_content.compose(built).parts), response_type="ephemeral")
    elif subcommand == "last":
        respond(response_type="ephemeral", **last_roundup(services, team_id))
    elif subcommand == "now":
        if not services.is_moderator(team_id, user_id):
            reply(respond, MODERATORS_ONLY.format(what="post the roundup now"))
            return
        reply(respond, post_now(services, team_id, user_id))
    elif subcommand == "settings":
        with services.db.read() as session:
            schedule = schedule_for(session, services.settings, team_id)
        if not services.is_moderator(team_id, user_id):
            reply(respond, f"The roundup is posted {schedule.describe()}. " + MODERATORS_ONLY.format(what="change this"))
            return
        form = settings_form(schedule, next_occurrence(schedule, services.clock()))
        services.chat_for(team_id).open_form(command["trigger_id"], form)
    else:
        reply(respond, USAGE)


def last_roundup(services: Services, team_id: str) -> dict:
    """The previous posted roundup, as it was posted, for the requester only."""
    now = services.clock()
    with services.db.begin() as session:
        roundup_sync.sync_scheduled(session, team_id, KIND, now - timedelta(days=LAST_LOOKBACK_DAYS))
        last = roundups.last_posted(session, team_id)
        schedule = schedule_for(session, services.settings, team_id)
    if last is None or last.posted_at is None:
        return {"text": f"No roundup has been posted yet. It is posted {schedule.describe()}."}
    posted: Message = from_data(last.content)
    note = Context((line("Posted ", local_day_and_time(last.posted_at), " in ", ChannelRef(last.channel_id)),))
    parts = posted.parts if len(posted.parts) >= MESSAGE_BLOCKS else (note, *posted.parts)
    return {"text": last.title or "The last roundup", "blocks": slack.blocks(parts)}
