"""Slack Connect (issue 12): a channel shared by several installed workspaces is one conversation.

Slack sends a shared channel's event to one of the app's installations, any of them. What the
channel's members make (its questions and answers; `/ask` typed there; its roundtables, their
RSVPs, its threads' digests) is kept under the channel's home (storage/conversation_homes.py), so
it is tracked and answered once, and the same message reaching the bot through two installations
is handled once. A member from another organization is named by what the event carried, else as
"a member of <workspace>".
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import exchange
from bot.config import Settings
from storage.conversation_homes import claim_home, home_of
from storage.events import claim_event
from storage.exchange import APPROVED

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("roundtable.connect")
KEY_CHARS = 64  # processed_event.event_id


def conversation_team(session: Session, settings: Settings, team_id: str, channel_id: str, shared: bool,
                      now: datetime, owner: str = "") -> str:
    """The workspace a conversation's content is kept under: a shared channel's home, claimed once:
    the workspace that owns it (the envelope's `context_team_id`) when that one is in the exchange,
    else the one the bot first heard it through; any other channel: the workspace the request came through."""
    if not channel_id:
        return team_id
    if shared:
        found = home_of(session, channel_id)
        if found is not None:
            return found
        if not owner or exchange.status(session, settings, owner) != APPROVED:
            owner = team_id
        return claim_home(session, channel_id, owner, now)
    return home_of(session, channel_id) or team_id


def first_delivery(session: Session, home: str, channel_id: str, kind: str, ts: str, now: datetime) -> bool:
    """True the first time a shared channel's event (a message, an edit, a reaction: its kind, who,
    and its ts) reaches the bot, through whichever installation; False every other time."""
    return claim_event(session, home, f"{kind}@{channel_id}/{ts}"[:KEY_CHARS], now)


def profile_name(profile: dict[str, object]) -> str:
    """The name an event's `user_profile` carries."""
    return str(profile.get("display_name") or profile.get("real_name") or profile.get("name") or "")


def member_of(client: WebClient, team_id: str) -> str:
    """The neutral name of someone from workspace `team_id`: "a member of Boston" (team.info), else
    "a member of another organization"."""
    try:
        name = str((client.team_info(team=team_id).get("team") or {}).get("name") or "")
    except Exception as error:  # noqa: BLE001 - any refusal: the neutral name
        log.info("team.info %s failed (%s)", team_id, type(error).__name__)
        name = ""
    return f"a member of {name}" if name else "a member of another organization"


def home_team(services: Services, team_id: str, channel_id: str) -> str:
    """The workspace a command typed in `channel_id`, or content of it (a roundtable meeting there, a
    digest of its thread), is kept under: the shared channel's home once the bot knows it, else the
    workspace the command came from."""
    if services.installs is None or not channel_id:
        return team_id
    with services.db.read() as session:
        return home_of(session, channel_id) or team_id
