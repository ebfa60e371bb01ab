"""The demo workspace's people: the 2004 Boston roundtable's participants, and how to name them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.emulator import SlackEmulator


@dataclass(frozen=True)
class DemoMember:
    user_id: str
    name: str
    role: str  # mayor, cio, moderator
    city: str
    state: str
    title: str
    tz: str

    @property
    def handle(self) -> str:
        """The Slack username (`users.info` name): the first name, lower-cased."""
        return self.name.split()[0].lower()

    def names(self) -> list[str]:
        """How people type this member: full name, last name, first name, user id."""
        words = self.name.split()
        return [self.name, words[-1], words[0], self.user_id]


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
ROLE_NAMES = {"moderator": "moderator", "cio": "CIO", "mayor": "mayor"}
# Every way of naming a member, longest first so "@Derrick Miller" wins over "@Derrick".
_NAMED = sorted(((n, m) for m in MEMBERS for n in m.names()), key=lambda pair: -len(pair[0]))
MENTION = re.compile(r"@(" + "|".join(re.escape(n) for n, _ in _NAMED) + r")\b", re.IGNORECASE)


def member(user_id: str) -> DemoMember | None:
    return next((m for m in MEMBERS if m.user_id == user_id), None)


def find(name: str) -> DemoMember | None:
    """A member as typed: `Neff`, `@Derrick Miller`, `dianah`, `U0NEFF` (any case)."""
    wanted = " ".join(name.strip().lstrip("@").split()).lower()
    return next((m for n, m in _NAMED if n.lower() == wanted), None)


def resolve_user(who: str) -> str | None:
    """`--as` / `:as`: a role (mayor, cio, moderator: its usual member) or a member as typed."""
    if who.strip().lower() in ROLE_DEFAULTS:
        return ROLE_DEFAULTS[who.strip().lower()]
    found = find(who)
    return found.user_id if found else None


def mentions(text: str, escaped: bool = False) -> str:
    """Typed `@Neff` as Slack sends it: `<@U0NEFF>` in messages, `<@U0NEFF|dianah>` when escaped."""
    def mention(match: re.Match[str]) -> str:
        found = find(match.group(1))
        if found is None:  # the pattern only matches members' names; leave anything else as typed
            return match.group(0)
        return f"<@{found.user_id}|{found.handle}>" if escaped else f"<@{found.user_id}>"

    return MENTION.sub(mention, text)


def roster() -> str:
    """Who `:as` can switch to, by name and role."""
    lines = [f"  {m.name} ({ROLE_NAMES[m.role]}, {m.title}, {m.city}): :as {m.names()[1]}" for m in MEMBERS]
    roles = ", ".join(f":as {role}" for role in ROLE_DEFAULTS)
    return "\n".join(["Members:", *lines, f"Or by role: {roles}."])


def add_members(emulator: SlackEmulator) -> None:
    """Slack's side of the demo: users.info answers for every participant."""
    for m in MEMBERS:
        emulator.add_user(
            m.user_id, name=m.handle, real_name=m.name, tz=m.tz,
            is_admin=False, is_owner=False, is_bot=False,
            profile={"real_name": m.name, "display_name": m.name, "title": m.title},
        )
