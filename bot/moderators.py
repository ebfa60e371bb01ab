"""Who is a moderator: MODERATOR_USER_IDS, members a moderator gave the role, and the platform's
workspace admins and owners. `is_moderator_in` reads the role in the caller's unit of work, so a
rule checks it in the same transaction as the change it permits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.chat import Chat
from storage.profiles import Profile

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services


def granted(session: Session, settings: Settings, team_id: str, user_id: str) -> bool:
    """Listed in MODERATOR_USER_IDS, or given the moderator role (as `session` reads the profiles)."""
    if user_id in settings.moderator_user_ids:
        return True
    profile = session.get(Profile, (team_id, user_id))
    return profile is not None and profile.role == "moderator"


def is_admin(chat: Chat, user_id: str) -> bool:
    """A workspace admin or owner, as the platform says."""
    try:
        member = chat.member(user_id)
    except LookupError:  # bot.installs.NotInstalled
        return False
    return member is not None and member.is_admin


def is_moderator_in(services: Services, session: Session, team_id: str, user_id: str) -> bool:
    return granted(session, services.settings, team_id, user_id) or is_admin(services.chat_for(team_id), user_id)
