"""What every listener and job needs, built once per process and handed to `register()`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Condition
from typing import Any

from slack_sdk import WebClient

from bot.chat import Chat
from bot.config import Settings
from bot.slack import SlackChat
from storage.db import Database
from storage.profiles import Profile

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ListenerExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting work in flight so shutdown and tests can wait for it.

    Bolt runs ack() on this pool too, so it must never be full of listeners that already acked and
    now wait on Slack (a 429's Retry-After, a slow call): with 8 threads, bursts of 429s delayed
    acks past Slack's 3 s (tests/faults/test_slack_bursts.py). Threads start only when needed.
    """

    def __init__(self, max_workers: int = 64) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._in_flight = 0
        self._idle = Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._in_flight += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is running or queued; False if `timeout` seconds pass first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)


@dataclass
class Services:
    settings: Settings
    db: Database
    client: WebClient
    clock: Clock = utc_now
    platform: Chat | None = None  # the chat platform; Slack's (on `client`) unless given

    # what one feature plugs into another, filled by bot/wiring.py's wire(): outbox kind -> renderer,
    # and the sources of a roundtable reminder's open questions
    renderers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    agenda_sources: list[Callable[..., Any]] = field(default_factory=list)

    @property
    def chat(self) -> Chat:
        return self.platform or SlackChat(self.client)

    def is_moderator(self, team_id: str, user_id: str) -> bool:
        """MODERATOR_USER_IDS, members a moderator gave the role, and workspace admins and owners."""
        if user_id in self.settings.moderator_user_ids:
            return True
        with self.db.begin() as session:
            profile = session.get(Profile, (team_id, user_id))
        if profile is not None and profile.role == "moderator":
            return True
        member = self.chat.member(user_id)
        return member is not None and member.is_admin
