"""The demo workspace for console mode, drawn from the 2004 mayors-CIO roundtable in Boston."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.emulator import SlackEmulator

if TYPE_CHECKING:
    from bot.services import Services


@dataclass(frozen=True)
class DemoMember:
    user_id: str
    name: str
    role: str  # mayor, cio, moderator
    city: str
    state: str
    title: str
    tz: str


MEMBERS = [
    DemoMember("U0GUIDO", "Michael A. Guido", "moderator", "Dearborn", "MI", "Mayor of Dearborn",
               "America/Detroit"),
    DemoMember("U0MILLER", "Derrick Miller", "cio", "Detroit", "MI", "Chief Information Officer",
               "America/Detroit"),
    DemoMember("U0NEFF", "Dianah Neff", "cio", "Philadelphia", "PA", "Chief Information Officer",
               "America/New_York"),
    DemoMember("U0COWNIE", "Frank Cownie", "mayor", "Des Moines", "IA", "Mayor of Des Moines",
               "America/Chicago"),
    DemoMember("U0SCHRIER", "Bill Schrier", "cio", "Seattle", "WA", "Chief Technology Officer",
               "America/Los_Angeles"),
]
ROLE_DEFAULTS = {"moderator": "U0GUIDO", "cio": "U0MILLER", "mayor": "U0COWNIE"}
MODERATOR_IDS = frozenset({"U0GUIDO"})


def member(user_id: str) -> DemoMember | None:
    return next((m for m in MEMBERS if m.user_id == user_id), None)


def resolve_user(as_user: str) -> str | None:
    """`--as mayor|cio|moderator` or a member's user id."""
    if as_user.lower() in ROLE_DEFAULTS:
        return ROLE_DEFAULTS[as_user.lower()]
    return as_user.upper() if member(as_user.upper()) else None


def add_members(emulator: SlackEmulator) -> None:
    """Slack's side of the demo: users.info answers for every participant."""
    for m in MEMBERS:
        emulator.add_user(
            m.user_id, name=m.name.split()[0].lower(), real_name=m.name, tz=m.tz,
            is_admin=False, is_owner=False, is_bot=False,
            profile={"real_name": m.name, "display_name": m.name, "title": m.title},
        )


def load(services: Services) -> None:
    """Load the demo workspace's data, each feature's part named here (none registers itself)."""
    from bot.digests.rules import load_demo_digest
    from bot.practices import demo as practices
    from bot.questions import demo as questions
    from bot.roundtables import demo as roundtables

    for loader in (practices.load, roundtables.load, load_demo_digest, questions.load):
        loader(services)
