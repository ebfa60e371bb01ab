"""Whether a team has any saved digest, remembered per process: a search skips the digest query
for a team that has none (most teams, most of the time; see bench/README.md).

Bounded and expiring: an answer is trusted for `ttl` seconds, at most `kept` teams are remembered.
A digest inserted through the ORM in this process is known at once (storage.digests registers an
`after_insert` hook); one saved by another process shows in this one's searches within `ttl`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

PRESENCE_TTL = 30.0  # seconds
PRESENCE_KEPT = 10_000  # teams


class Presence:
    def __init__(self, ttl: float = PRESENCE_TTL, kept: int = PRESENCE_KEPT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.kept, self.clock = ttl, kept, clock
        self._known: OrderedDict[tuple[str, str], tuple[float, bool]] = OrderedDict()
        self._lock = Lock()

    def has(self, database: str, team_id: str, ask: Callable[[], bool]) -> bool:
        """The remembered answer for (database, team), or `ask()`'s, remembered for `ttl` seconds."""
        key = (database, team_id)
        with self._lock:
            found = self._known.get(key)
            if found is not None and found[0] > self.clock():
                return found[1]
        answer = bool(ask())
        self.note(database, team_id, answer)
        return answer

    def note(self, database: str, team_id: str, present: bool = True) -> None:
        with self._lock:
            self._known[(database, team_id)] = (self.clock() + self.ttl, present)
            self._known.move_to_end((database, team_id))
            while len(self._known) > self.kept:
                self._known.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer (a test's database emptied under the same URL)."""
        with self._lock:
            self._known.clear()

    def __len__(self) -> int:
        return len(self._known)


DIGESTS = Presence()
