"""The demo workspace for console mode, drawn from the 2004 mayors-CIO roundtable in Boston.

All demo data lives in this package, and only the console (and tests) import it: production code
never knows the demo exists. Loading is idempotent: loading twice adds nothing twice.
"""

from __future__ import annotations

from bot.demo import digest, expertise, practices, roundtables
from bot.demo.members import (
    MEMBERS,
    MODERATOR_IDS,
    DemoMember,
    add_members,
    find,
    member,
    mentions,
    resolve_user,
    roster,
)
from bot.emulator import TEAM_ID
from bot.services import Services
from storage import conversations

__all__ = ["MEMBERS", "MODERATOR_IDS", "DemoMember", "add_members", "find", "load", "member", "mentions",
           "resolve_user", "roster"]


def public_channel(services: Services, team_id: str) -> None:
    """The console's channel is a public one: its questions, digest and roundtable feed the exchange."""
    with services.db.begin() as session:
        conversations.record(session, team_id, roundtables.CHANNEL, True, services.clock())


LOADERS = (public_channel, practices.load, expertise.load, roundtables.load, digest.load)


def load(services: Services, team_id: str = TEAM_ID) -> None:
    """The demo's practices, profiles with expertise, roundtable and digest, in the emulator's team."""
    for loader in LOADERS:
        loader(services, team_id)
