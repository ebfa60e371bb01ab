"""Who is a moderator: MODERATOR_USER_IDS, members a moderator gave the role, and the platform's
workspace admins and owners. `is_moderator_in` reads the role in the caller's unit of work, so a
rule checks it in the same transaction as the change it permits; the platform is asked first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from storage.profiles import Profile

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services


def granted(session: Session, settings: Settings, team_id: str, user_id: str, *, hold: bool = False) -> bool:
    """Listed in MODERATOR_USER_IDS, or given the moderator role (as `session` reads the profiles).
    `hold`: the profile row stays as read until the transaction ends (PostgreSQL's FOR SHARE; SQLite's
    write transaction holds the whole database already), so a demotion waits for the change it would race."""
    if user_id in settings.moderator_user_ids:
        return True
    profile = session.get(Profile, (team_id, user_id), with_for_update={"read": True} if hold else None)
    return profile is not None and profile.role == "moderator"


def is_admin(services: Services, team_id: str, user_id: str) -> bool:
    """A workspace admin or owner, as the platform says."""
    try:
        member = services.chat_for(team_id).member(user_id)
    except LookupError:  # bot.installs.NotInstalled
        return False
    return member is not None and member.is_admin


def is_moderator_in(services: Services, session: Session, team_id: str, user_id: str, *, admin: bool) -> bool:
    """`admin`: what `is_admin` said, asked before the transaction began (a platform call never waits
    inside a unit of work)."""
    return admin or granted(session, services.settings, team_id, user_id, hold=True)
