"""Members as the card shows them: the name the platform gives and their profile (role and city),
each kept across commands, bounded and expiring."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.chat import Chat
from bot.slack import SlackChat

if TYPE_CHECKING:
    from storage.profiles import Profile

NAMES_KEPT = 2_000  # members remembered per process (bounded: the least recently used go first)
NAMES_TTL = 300.0  # seconds a name is trusted before users.info is asked again
PROFILES_KEPT = 2_000  # sharers' profiles remembered per process (the least recently used go first)
PROFILES_TTL = 60.0  # seconds a profile is trusted before it is read again (a save here forgets it at once)


def member_name(platform: WebClient | Chat, user_id: str) -> str:
    """The member's display name (or real name); "" when the platform cannot tell us."""
    chat = SlackChat(platform) if isinstance(platform, WebClient) else platform
    member = chat.member(user_id)
    return member.name if member is not None else ""


class MemberNames:
    """Members' names shared across commands: bounded, expiring, forgotten on a profile change.

    A name the platform could not tell ("") is not kept, so the next command asks again."""

    def __init__(self, kept: int = NAMES_KEPT, ttl: float = NAMES_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.kept, self.ttl, self.clock = kept, ttl, clock
        self._names: OrderedDict[tuple[str, str], tuple[float, str]] = OrderedDict()
        self._lock = Lock()

    def display_name(self, platform: WebClient | Chat, team_id: str, user_id: str) -> str:
        key = (team_id, user_id)
        with self._lock:
            found = self._names.get(key)
            if found is not None and found[0] > self.clock():
                self._names.move_to_end(key)
                return found[1]
        name = member_name(platform, user_id)
        if not name and found is not None:  # users.info cannot see them (Slack Connect): the name learned
            return found[1]
        self.learn(team_id, user_id, name)
        return name

    def learn(self, team_id: str, user_id: str, name: str) -> None:
        """A name the platform sent with the member's own request (Teams' `from.name`): kept as if looked up."""
        if name:
            with self._lock:
                self._names[(team_id, user_id)] = (self.clock() + self.ttl, name)
                self._names.move_to_end((team_id, user_id))
                while len(self._names) > self.kept:
                    self._names.popitem(last=False)

    def known(self, team_id: str, user_id: str) -> str:
        """The kept name, never asking the platform; "" when none is kept (or it expired)."""
        with self._lock:
            found = self._names.get((team_id, user_id))
        return found[1] if found is not None and found[0] > self.clock() else ""

    def known_anywhere(self, user_id: str) -> str:
        """A kept name for `user_id` in any workspace (a Slack member named on a Teams card: ids are
        the platform's own, so one id is one member); "" when none is kept."""
        now = self.clock()
        with self._lock:
            found = [name for (_, user), (until, name) in self._names.items() if user == user_id and until > now]
        return found[-1] if found else ""

    def forget(self, team_id: str, user_id: str) -> None:
        """The member changed their profile (user_change): ask the platform next time."""
        with self._lock:
            self._names.pop((team_id, user_id), None)

    def __len__(self) -> int:
        return len(self._names)


class Profiles:
    """Sharers' profiles (the card's role and city, the share's default city) kept across commands:
    bounded, expiring, forgotten in this process whenever it saves the member's profile
    (bot/profiles.py). "No profile" is kept too. Another process's save is seen when the kept one
    expires (PROFILES_TTL). What is kept is shared between threads: read it, never change it."""

    def __init__(self, kept: int = PROFILES_KEPT, ttl: float = PROFILES_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.kept, self.ttl, self.clock = kept, ttl, clock
        self._profiles: OrderedDict[tuple[str, str], tuple[float, Profile | None]] = OrderedDict()
        self._forgotten = 0  # every forget() counts: a read that began before one is not kept
        self._lock = Lock()

    def profile(self, team_id: str, user_id: str, read: Callable[[], Profile | None]) -> Profile | None:
        """The kept profile, else `read()` (the database's), kept unless a save forgot it meanwhile."""
        key = (team_id, user_id)
        with self._lock:
            found = self._profiles.get(key)
            if found is not None and found[0] > self.clock():
                self._profiles.move_to_end(key)
                return found[1]
            began = self._forgotten
        profile = read()
        with self._lock:
            if self._forgotten == began:  # else a save here may have committed after the read: not kept
                self._profiles[key] = (self.clock() + self.ttl, profile)
                self._profiles.move_to_end(key)
                while len(self._profiles) > self.kept:
                    self._profiles.popitem(last=False)
        return profile

    def forget(self, team_id: str, user_id: str) -> None:
        """The member's profile was saved (after its commit): read it again next time."""
        with self._lock:
            self._profiles.pop((team_id, user_id), None)
            self._forgotten += 1

    def __len__(self) -> int:
        return len(self._profiles)
