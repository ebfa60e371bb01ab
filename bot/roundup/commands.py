"""`roundup preview | now | last | settings` as plain functions every platform calls: Slack's
listeners and Teams' handlers say the same words and save through the same rules; moderators only
post now and change the settings (checked again when the settings form comes back)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot import forms as f
from bot import messages as m
from bot.dates import local_day_and_time
from bot.roundup import content
from bot.roundup.delivery import KIND, post_now
from bot.roundup.schedule import next_occurrence, schedule_for
from bot.roundup.settings import described, parse_settings, saved_form, settings_form, slack_channel
from bot.services import Services
from storage import roundup_settings, roundup_sync, roundups

USAGE = ("Usage: `/roundup preview` shows this week's roundup to you only; `/roundup last` shows the last "
         "one posted. Moderators: `/roundup now` posts it at once, `/roundup settings` sets when and where.")
LAST_LOOKBACK_DAYS = 2
REFUSED_SETTINGS = "Only moderators can change the roundup settings."


def moderators_only(what: str) -> m.Inline:
    return m.line(f"Only moderators can {what}. ", m.code("/roundup preview"), " shows you this week's roundup.")


def preview(services: Services, team_id: str) -> m.Message:
    with services.db.read() as session:
        schedule = schedule_for(session, services.settings, team_id)
        built = content.build_roundup(session, team_id, services.clock(), schedule.timezone)
    return content.compose(built)


def now(services: Services, team_id: str, user_id: str) -> m.Inline:
    if not services.is_moderator(team_id, user_id):
        return moderators_only("post the roundup now")
    return post_now(services, team_id, user_id)


def last(services: Services, team_id: str, max_parts: int = 0) -> m.Message | m.Inline:
    """The previous posted roundup, as it was posted, with when and where above it (unless the
    post already has the `max_parts` a platform's message holds)."""
    at = services.clock()
    with services.db.begin() as session:
        roundup_sync.sync_scheduled(session, team_id, KIND, at - timedelta(days=LAST_LOOKBACK_DAYS))
        found = roundups.last_posted(session, team_id)
        schedule = schedule_for(session, services.settings, team_id)
    if found is None or found.posted_at is None:
        return m.line("No roundup has been posted yet. It is posted ", *described(schedule), ".")
    posted: m.Message = m.from_data(found.content)
    note = m.Context((m.line("Posted ", local_day_and_time(found.posted_at), " in ", m.ChannelRef(found.channel_id)),))
    full = bool(max_parts) and len(posted.parts) >= max_parts
    return m.Message(m.line(found.title or "The last roundup"), posted.parts if full else (note, *posted.parts))


def settings(services: Services, team_id: str, user_id: str, channels: tuple[f.Option, ...] = ()) -> f.Form | m.Inline:
    """The settings form for a moderator; for anyone else, when the roundup is posted."""
    with services.db.read() as session:
        schedule = schedule_for(session, services.settings, team_id)
    if not services.is_moderator(team_id, user_id):
        return m.line("The roundup is posted ", *described(schedule), ". ", *moderators_only("change this"))
    return settings_form(schedule, next_occurrence(schedule, services.clock()), channels)


def save_settings(services: Services, team_id: str, user_id: str, values: f.Values,
                  is_channel: Callable[[str], bool] = slack_channel) -> f.Form | dict[str, str]:
    """The form saved (what it shows now), or the errors by field; nothing saved unless all is right."""
    choice, errors = parse_settings(values, is_channel)
    if choice is not None and not services.is_moderator(team_id, user_id):
        errors = {"day": REFUSED_SETTINGS}
    if choice is None or errors:
        return errors
    with services.db.begin() as session:
        roundup_settings.save_settings(session, team_id, user_id, services.clock(), day=choice.day, time=choice.time,
                                       timezone=choice.timezone, channel_id=choice.channel_id,
                                       post_quiet_weeks=choice.post_quiet_weeks)
        schedule = schedule_for(session, services.settings, team_id)
    return saved_form(schedule, next_occurrence(schedule, services.clock()))
