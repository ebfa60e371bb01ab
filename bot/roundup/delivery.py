"""Posting the weekly roundup exactly once per workspace and week, through the outbox.

Policy:
- A scheduler job enqueues the roundup when its local-time occurrence is due, keyed by the ISO
  week of that occurrence ("2026-W48"), so any number of tickers, restarts or changes of the
  schedule within a week give one delivery per week.
- After downtime: an occurrence missed by less than 12 hours is posted once, late; an older
  one is never enqueued (and an enqueued one expires 12 hours after it was due).
- The roundup covers the seven days up to its due time, even when it is posted late.
- `/roundup now` posts at once from the process that received it. It does not use the outbox:
  a moderator is waiting and the post is recorded as it is made. A scheduled roundup due within
  24 hours after a `/roundup now` is skipped (logged), so the channel does not get the same news
  twice; one requested days earlier does not stop the weekly one.
- A quiet week is posted as a short honest roundup, or skipped when the workspace chose so.
- 429 and 5xx answers are retried by the outbox with backoff until the delivery expires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import messages as m
from bot import outbox
from bot.chat import Chat, ChatError, DeliveryKey
from bot.exchange import approved_teams
from bot.messages import Message, to_data
from bot.roundup.content import Roundup, build_roundup, compose
from bot.roundup.schedule import latest_occurrence, schedule_for, week_key
from bot.services import Services
from bot.slack import make_client
from storage import deliveries, roundup_settings, roundup_sync, roundups
from storage.conversation_homes import home_of
from storage.deliveries import Delivery
from storage.exchange import APPROVED
from storage.exchange import members as exchange_members

log = logging.getLogger("roundtable.roundup")

KIND = "roundup"
CATCH_UP = timedelta(hours=12)  # a roundup missed by less than this after downtime is still posted
NOW_SUPERSEDES = timedelta(hours=24)  # a /roundup now this long before the weekly one replaces it
PENDING_CLAIM = timedelta(minutes=2)  # a /roundup now claim with no post yet counts this long (> a post's timeout)
_own_team: dict[str, str] = {}  # bot token -> its workspace (asked once per process)


def own_team(services: Services) -> str:
    token = services.settings.bot_token
    if token not in _own_team:
        _own_team[token] = services.chat.workspace().team_id
    return _own_team[token]


def workspaces(services: Services, session: Session, installed: set[str] | None = None) -> list[str]:
    """Workspaces with roundup settings, and the one of SLACK_BOT_TOKEN (ROUNDUP_CHANNEL is its
    channel); in distribution mode only those `installed` (read before `session` began: on SQLite
    a second connection would wait for this one's write lock) and the approved Teams tenants."""
    teams = set(roundup_settings.teams_with_settings(session))
    if services.settings.bot_token:
        try:
            teams.add(own_team(services))
        except Exception as error:  # noqa: BLE001 - Slack unreachable: the other workspaces still get theirs
            log.warning("auth.test failed (%s); roundups for configured workspaces only", type(error).__name__)
    if installed is not None:  # Teams tenants have no Slack installation: the approved ones count
        teams &= installed | set(exchange_members(session, APPROVED, platform="teams"))
        teams &= approved_teams(session, services.settings)  # a pending or declined workspace gets none
    return sorted(teams - second_in_shared_channels(session))


def second_in_shared_channels(session: Session) -> set[str]:
    """A roundup channel several workspaces chose (Slack Connect) gets one roundup: its home's
    (bot/connect.py), else the first workspace's; the others', there, are left out."""
    left_out: set[str] = set()
    for channel, teams in roundup_settings.shared_channels(session).items():
        home = home_of(session, channel)
        left_out |= set(teams) - {home if home in teams else teams[0]}
    return left_out


def enqueue_roundups(services: Services) -> int:
    """The scheduler job: put each workspace's due roundup into the outbox (once per week)."""
    now = services.clock()
    installed = set(services.installs.teams()) if services.installs is not None else None
    with services.db.begin() as session:
        teams = workspaces(services, session, installed)
    added = 0
    for team_id in teams:
        with services.db.begin() as session:
            roundup_sync.sync_scheduled(session, team_id, KIND, now - 2 * CATCH_UP)
            added += enqueue_due(session, services, team_id, now)
    return added


def enqueue_due(session: Session, services: Services, team_id: str, now: datetime) -> int:
    schedule = schedule_for(session, services.settings, team_id)
    if not schedule.channel_id:
        return 0
    due = latest_occurrence(schedule, now)
    if due is None or now - due >= CATCH_UP:
        return 0
    key = week_key(due, schedule.zone)
    if not deliveries.enqueue(session, team_id=team_id, kind=KIND, key=key, channel_id=schedule.channel_id,
                              due_at=due, expires_at=due + CATCH_UP, now=now):
        return 0
    roundups.claim_roundup(session, team_id, key, roundups.SCHEDULED, schedule.channel_id, now,
                           timezone=schedule.timezone, post_if_quiet=schedule.post_quiet_weeks)
    late = f", {int((now - due).total_seconds() // 60)} min late" if now - due > timedelta(minutes=5) else ""
    log.info("roundup %s/%s enqueued for %s%s", team_id, key, schedule.channel_id, late)
    return 1


def keep_content(session: Session, team_id: str, key: str, built: Roundup, channel: str) -> Message:
    """Keep what is about to be posted, as neutral content (for `/roundup last`)."""
    message = compose(built)
    roundups.record_content(session, team_id, key, built.title, f"{built.title} ({built.figures.line()})",
                            to_data(message), channel)
    return message


def render_roundup(session: Session, delivery: Delivery, now: datetime) -> Message:
    record = roundups.by_key(session, delivery.team_id, delivery.key)
    if record is None:
        raise outbox.Skip("no roundup record for this delivery")
    manual = roundups.posted_since(session, delivery.team_id, (roundups.NOW, roundups.CLI),
                                   delivery.due_at - NOW_SUPERSEDES, pending_since=now - PENDING_CLAIM)
    if manual is not None:
        raise outbox.Skip(f"one was posted on request ({manual.source}) at {manual.created_at:%Y-%m-%d %H:%M} UTC")
    built = build_roundup(session, delivery.team_id, min(now, delivery.due_at), record.timezone)
    if built.quiet and not record.post_if_quiet:
        raise outbox.Skip("a quiet week, and this workspace skips quiet weeks")
    return keep_content(session, delivery.team_id, delivery.key, built, delivery.channel_id)


NO_CHANNEL = m.line("No roundup channel is set. A moderator can choose one with ", m.code("/roundup settings"), ".")
NO_CHANNEL_SLACK = (*NO_CHANNEL[:-1], m.Text(" (or set ROUNDUP_CHANNEL)."))  # Slack's fallback; Teams has none
JUST_POSTED = m.line("A roundup was posted a moment ago. Try again in a minute if you need another.")
SETTINGS = m.code("/roundup settings")
POST_FAILED: dict[str, Callable[[m.ChannelRef, str], m.Inline]] = {  # the channel, the platform's name
    "not_in_channel": lambda channel, _: m.line("I'm not in ", channel, ": invite me with ",
                                                m.code("/invite @Roundtable"), ", then try again."),
    "channel_not_found": lambda _, __: m.line("I can't find the roundup channel. A moderator can change it with ",
                                              SETTINGS, "."),
    "is_archived": lambda _, __: m.line("The roundup channel is archived. A moderator can choose another with ",
                                        SETTINGS, "."),
    "ratelimited": lambda _, platform: m.line(f"{platform} is busy right now: nothing was posted. Try again in a minute."),
}
POST_FAILED["conversation_not_found"] = POST_FAILED["channel_not_found"]  # Teams: no reference kept for it


def post_failed(code: str, channel: m.ChannelRef, platform: str) -> m.Inline:
    said = POST_FAILED.get(code)
    if said is not None:
        return said(channel, platform)
    return m.line(f"{platform} did not accept the roundup ({code}); nothing was posted. Try again in a minute.")


def unknown_outcome(channel: m.ChannelRef, platform: str) -> m.Inline:
    return m.line(f"I lost the connection to {platform} while posting and could not check ", channel,
                  ": look there before trying again.")


def platform_name(services: Services, team_id: str) -> str:
    return "Teams" if services.platform_of(team_id) == "teams" else "Slack"


NOW_KIND = "roundup_now"  # the metadata kind of a /roundup now post


def post_now(services: Services, team_id: str, user_id: str, *, source: str = roundups.NOW,
             channel_id: str = "") -> m.Inline:
    """`/roundup now` (or `python -m bot roundup --post`): build and post this week's roundup from
    this process, to `channel_id` or the workspace's roundup channel; returns what to tell the user."""
    now = services.clock()
    key = f"{source}:{now:%Y-%m-%dT%H:%M}"  # two requests in the same minute post once
    with services.db.begin() as session:
        schedule = schedule_for(session, services.settings, team_id)
        channel = channel_id or schedule.channel_id
        if not channel:
            return NO_CHANNEL if services.platform_of(team_id) == "teams" else NO_CHANNEL_SLACK
        if not roundups.claim_roundup(session, team_id, key, source, channel, now,
                                      timezone=schedule.timezone, requested_by=user_id):
            return JUST_POSTED
        built = build_roundup(session, team_id, now, schedule.timezone)
        message = keep_content(session, team_id, key, built, channel)
    try:  # the workspace's bot, no retry of its own: a resent post may post twice
        chat = services.chat_for(team_id, make_client(services.settings, retry_connection_errors=False))
    except LookupError:  # bot.installs.NotInstalled
        return _not_posted(services, team_id, key, channel, "not_installed")
    posted_as = DeliveryKey(team_id, NOW_KIND, key)  # a resent post may post twice: look before posting again
    try:
        ts = chat.post(channel, message, key=posted_as)
    except ChatError as error:
        if error.refused:  # the platform answered no: nothing was posted
            return _not_posted(services, team_id, key, channel, error.code)
        return _resolve_unknown(services, chat, team_id, key, channel, now, error.code)
    except Exception as error:  # noqa: BLE001 - connection dropped or timed out: the post may have gone through
        return _resolve_unknown(services, chat, team_id, key, channel, now, type(error).__name__)
    return _posted(services, team_id, key, channel, ts, user_id or source)


def _posted(services: Services, team_id: str, key: str, channel: str, ts: str, by: str) -> m.Inline:
    with services.db.begin() as session:
        roundups.record_posted(session, team_id, key, ts, services.clock())
    log.info("roundup %s/%s posted to %s by %s", team_id, key, channel, by)
    return m.line("Posted this week's roundup in ", m.ChannelRef(channel), ".")


def _not_posted(services: Services, team_id: str, key: str, channel: str, code: str) -> m.Inline:
    with services.db.begin() as session:
        roundups.forget_claim(session, team_id, key)
    log.warning("roundup now for %s not posted: %s", team_id, code)
    return post_failed(code, m.ChannelRef(channel), platform_name(services, team_id))


def _resolve_unknown(services: Services, chat: Chat, team_id: str, key: str, channel: str,
                     claimed_at: datetime, why: str) -> m.Inline:
    """Look the post up in the channel, as the outbox does: found, it is recorded; not there (or
    the channel cannot be read), the claim is released so the weekly roundup is not skipped."""
    try:
        ts = chat.find_posted(channel, DeliveryKey(team_id, NOW_KIND, key), claimed_at - timedelta(minutes=5))
    except Exception as error:  # noqa: BLE001 - cannot tell: free the week rather than hide it
        with services.db.begin() as session:
            roundups.forget_claim(session, team_id, key)
        log.warning("roundup now for %s: outcome unknown (%s), history unreadable (%s)", team_id, why,
                    type(error).__name__)
        return unknown_outcome(m.ChannelRef(channel), platform_name(services, team_id))
    if ts:
        return _posted(services, team_id, key, channel, ts, f"request, found in channel after {why}")
    return _not_posted(services, team_id, key, channel, why)
