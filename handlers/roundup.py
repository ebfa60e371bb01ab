"""/roundup preview | now | last | settings, and the settings modal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.dates import local_day_and_time
from bot.messages import ChannelRef, Context, Message, from_data, line
from bot.render import slack, slack_forms
from bot.render.slack_limits import MESSAGE_BLOCKS
from bot.roundup import content as roundup
from bot.roundup.delivery import KIND, post_now
from bot.roundup.schedule import next_occurrence, schedule_for
from bot.roundup.settings import CALLBACK_ID, parse_settings, saved_form, settings_form
from bot.services import Services
from bot.text import split_subcommand
from handlers.errors import guarded
from storage import roundup_settings, roundup_sync, roundups

USAGE = ("Usage: `/roundup preview` shows this week's roundup to you only; `/roundup last` shows the last "
         "one posted. Moderators: `/roundup now` posts it at once, `/roundup settings` sets when and where.")
MODERATORS_ONLY = "Only moderators can {what}. `/roundup preview` shows you this week's roundup."
LAST_LOOKBACK_DAYS = 2


def register(app: App, services: Services) -> None:
    @app.command("/roundup")
    @guarded
    def roundup_command(ack: Ack, command: dict, respond: Callable[..., object], client: WebClient) -> None:
        ack()
        subcommand, _ = split_subcommand(command.get("text", ""))
        team_id, user_id = command["team_id"], command["user_id"]
        if subcommand in ("", "preview"):
            with services.db.begin() as session:
                schedule = schedule_for(session, services.settings, team_id)
                built = roundup.build_roundup(session, team_id, services.clock(), schedule.timezone)
            respond(text=built.title, blocks=slack.blocks(roundup.compose(built).parts), response_type="ephemeral")
        elif subcommand == "last":
            respond(response_type="ephemeral", **last_roundup(services, team_id))
        elif subcommand == "now":
            if not services.is_moderator(team_id, user_id):
                respond(text=MODERATORS_ONLY.format(what="post the roundup now"), response_type="ephemeral")
                return
            respond(text=post_now(services, team_id, user_id), response_type="ephemeral")
        elif subcommand == "settings":
            with services.db.begin() as session:
                schedule = schedule_for(session, services.settings, team_id)
            if not services.is_moderator(team_id, user_id):
                respond(text=f"The roundup is posted {schedule.describe()}. "
                        + MODERATORS_ONLY.format(what="change this"), response_type="ephemeral")
                return
            form = settings_form(schedule, next_occurrence(schedule, services.clock()))
            services.chat_for(team_id).open_form(command["trigger_id"], form)
        else:
            respond(text=USAGE, response_type="ephemeral")

    @app.view(CALLBACK_ID)
    @guarded
    def roundup_settings_submission(ack: Ack, body: dict, view: dict) -> None:
        team_id, user_id = body["team"]["id"], body["user"]["id"]
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
