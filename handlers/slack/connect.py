"""Slack Connect glue (bot/connect.py has the rule): an event in a shared channel is handled under the
channel's home workspace, once, whichever installation Slack sent it to, and so is a button pressed
in it by a member of the other organization; members from another organization are named from what
the event carries. Distribution mode only (wired in handlers/slack/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot import connect
from bot.services import Services


def channel_of(event: dict[str, Any]) -> str:
    channel = event.get("channel") or (event.get("item") or {}).get("channel") or ""
    return channel.get("id", "") if isinstance(channel, dict) else str(channel)


def pressed_in(body: dict[str, Any]) -> str:
    """The conversation a button was pressed in (a message's, not the Home tab's)."""
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


def conversation_home(req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
    body, context = req.body, req.context
    services: Services = context["services"]
    event = body.get("event") or {}
    team = context.team_id or ""
    if body.get("type") == "block_actions" and team:  # a member of the other organization pressed it
        with services.db.read() as session:
            context["team_id"] = connect.conversation_team(session, services.settings, team, pressed_in(body),
                                                           False, services.clock())
        next()
        return None
    channel = channel_of(event) if body.get("type") == "event_callback" else ""
    if not channel or not team:
        next()
        return None
    shared = bool(body.get("is_ext_shared_channel"))
    now = services.clock()
    if not shared:  # most events: one read, no write lock (SQLite)
        with services.db.read() as session:
            home = connect.conversation_team(session, services.settings, team, channel, False, now)
        if home == team:
            next()
            return None
    with services.db.begin() as session:
        home = connect.conversation_team(session, services.settings, team, channel, shared, now,
                                         owner=str(body.get("context_team_id") or ""))
        first = connect.first_delivery(
            session, home, channel, f"{event.get('type', '')}.{event.get('subtype', '')}.{event.get('user', '')}",
            str(event.get("event_ts") or event.get("ts") or body.get("event_id", "")), now)
    if not first:
        return context.ack()
    user, user_team = str(event.get("user") or ""), str(event.get("user_team") or team)
    if user and user_team != home and not services.names.known(home, user):
        name = (connect.profile_name(event.get("user_profile") or {})
                or connect.member_of(services.client_for(team), user_team))
        services.names.learn(home, user, name)
    context["team_id"] = home
    next()
    return None
