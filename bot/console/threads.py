"""The channel's messages on screen, by a short name (m1, m2, ...), and the thread in view."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME = re.compile(r"m(\d+)")


@dataclass
class Threads:
    numbers: dict[str, int] = field(default_factory=dict)  # top-level message ts -> its number
    current: str = ""  # the thread in view: the root of the latest message posted or replied to

    def seen(self, ts: str, thread_ts: str | None = None) -> int:
        """A message shown (a reply: in the thread of `thread_ts`); its thread's number."""
        root = thread_ts or ts
        number = self.numbers.setdefault(root, len(self.numbers) + 1)
        self.current = root
        return number

    def ref(self, ts: str) -> int | None:
        return self.numbers.get(ts)

    def find(self, name: str) -> str | None:
        """`m3` -> the ts of message 3."""
        match = NAME.fullmatch(name)
        wanted = int(match[1]) if match else 0
        return next((ts for ts, number in self.numbers.items() if number == wanted), None)

    @staticmethod
    def split(rest: str) -> tuple[str, str]:
        """`"m3 thanks"` -> ("m3", "thanks"); `"thanks"` -> ("", "thanks")."""
        first, _, text = rest.partition(" ")
        return (first, text.strip()) if NAME.fullmatch(first) else ("", rest.strip())
