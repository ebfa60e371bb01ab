"""A member as the bot shows them: the name the platform gives, and the role and city of their profile.

One type for every place that names a member with their role and city: a practice's sharer
(bot/practices/blocks.py), a digest's participants (bot/digests/draft.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import messages as m

if TYPE_CHECKING:
    from storage.profiles import Profile

ROLE_LABELS = {"mayor": "Mayor", "cio": "CIO", "moderator": "Moderator"}  # "other" is not shown
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


@dataclass(frozen=True)
class Person:
    user_id: str = ""
    name: str = ""
    role: str = ""
    city: str = ""

    @classmethod
    def of(cls, user_id: str, name: str, profile: Profile | None) -> Person:
        """Role and city from the member's profile; none when they have not filled one in."""
        return cls(user_id, name, profile.role if profile else "", profile.city if profile else "")

    @property
    def label(self) -> str:
        """`Derrick Miller (CIO, Detroit)` as plain text; the member's id when no name is known."""
        details = ", ".join(d for d in (ROLE_LABELS.get(self.role, ""), self.city) if d)
        name = self.name or self.user_id
        return f"{name} ({details})" if details else name

    def describe(self) -> m.Inline:
        """`Derrick Miller (CIO, Detroit)`; a mention when the platform did not give us the name."""
        role = ROLE_LABELS.get(self.role, "")
        if self.name.strip():
            name: m.Segment = m.Text(self.name, cut=80)
        else:
            name = m.Mention(self.user_id) if SLACK_USER_ID.fullmatch(self.user_id) else m.Text("a member")
        if self.city:
            return m.line(name, f" ({role + ', ' if role else ''}", m.Text(self.city, cut=100), ")")
        return m.line(name, f" ({role})" if role else "")
