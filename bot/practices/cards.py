"""Posting a practice's card where it was shared, and keeping it current (updated in place).

Platform calls happen outside database transactions (a SQLite unit of work holds the write lock).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.chat import ChatError
from bot.practices.blocks import Sharer, build_card, build_removed_card
from bot.services import Services
from storage.practices import Practice, adopting_cities, store_card
from storage.profiles import Profile, get_profile

log = logging.getLogger(__name__)


@dataclass
class Shown:
    """A practice with what is shown beside it."""

    practice: Practice
    sharer: Sharer
    cities: list[str]


def load(services: Services, team_id: str, practice_id: int, *, deleted: bool = False) -> Shown | None:
    """A team's practice, its sharer as shown (profile, then users.info) and adopting cities."""
    with services.db.begin() as session:
        practice = session.get(Practice, practice_id)
        if practice is None or practice.team_id != team_id or (practice.deleted_at and not deleted):
            return None
        profile = get_profile(session, team_id, practice.user_id)
        cities = adopting_cities(session, [practice.id])[practice.id]
    return Shown(practice, sharer(services, team_id, practice.user_id, profile), cities)


def sharer(services: Services, team_id: str, user_id: str, profile: Profile | None) -> Sharer:
    """Who shared, as the card shows them: the profile's role and city, the platform's name (cached).
    A workspace without a Slack installation (a Teams tenant) has the name its platform last sent."""
    try:
        chat = services.chat_for(team_id)
    except LookupError:  # bot.installs.NotInstalled
        chat = None
    name = services.names.display_name(chat, team_id, user_id) if chat is not None else services.names.known(team_id, user_id)
    return Sharer.of(user_id, name, profile)


def post_card(services: Services, team_id: str, practice_id: int, channel_id: str) -> bool:
    """Post the card in `channel_id` and remember where; False when Slack refused (not in channel...)."""
    shown = load(services, team_id, practice_id)
    if shown is None or not channel_id:
        return False
    return _post(services, team_id, shown, channel_id)


def post_new_card(services: Services, practice: Practice, profile: Profile | None, channel_id: str) -> bool:
    """post_card for a practice the caller just wrote (with the sharer's profile it read): nothing is
    read back; a new practice has no adopting cities yet."""
    if not channel_id:
        return False
    shown = Shown(practice, sharer(services, practice.team_id, practice.user_id, profile), [])
    return _post(services, practice.team_id, shown, channel_id)


def _post(services: Services, team_id: str, shown: Shown, channel_id: str) -> bool:
    practice_id = shown.practice.id
    try:
        ts = services.chat_for(team_id).post(channel_id, build_card(shown.practice, shown.sharer, shown.cities))
    except ChatError as error:
        log.warning("could not post practice %s in %s: %s", practice_id, channel_id, error.code)
        return False
    with services.db.standalone() as conn:  # one UPDATE (PostgreSQL: no BEGIN and COMMIT round trips)
        store_card(conn, practice_id, channel_id, ts)
    shown.practice.channel_id, shown.practice.message_ts = channel_id, ts
    log.info("practice %s posted in %s", practice_id, channel_id)
    return True


def refresh_card(services: Services, team_id: str, practice_id: int) -> None:
    """Update the card in place: new adoption count, edited text, or removed."""
    shown = load(services, team_id, practice_id, deleted=True)
    if shown is None or not shown.practice.message_ts:
        return
    practice = shown.practice
    message = build_removed_card(practice) if practice.deleted_at else build_card(
        practice, shown.sharer, shown.cities)
    try:
        services.chat_for(team_id).update(practice.channel_id, practice.message_ts, message)
    except ChatError as error:
        log.warning("could not update the card of practice %s: %s", practice_id, error.code)
    except LookupError:  # bot.installs.NotInstalled: a Teams tenant's card, updated by its own platform
        log.info("the card of practice %s is not on an installed Slack workspace", practice_id)
