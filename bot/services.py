"""What every listener and job needs, built once per process and handed to `register()`."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Condition, Lock
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot import moderators
from bot.chat import Chat
from bot.config import Settings
from bot.exchange import Admitted
from bot.members import MemberNames, Profiles
from bot.shedding import CompletionRate, threshold
from bot.slack import SlackChat
from storage.db import POOL_SIZE, Database

if TYPE_CHECKING:
    from bot.installs import Installs

Clock = Callable[[], datetime]

LISTENER_THREADS = POOL_SIZE  # bounded to the database pool: a listener never waits for a connection
SQLITE_LISTENER_THREADS = 16  # SQLite writes one at a time: more threads only queue for its writer


def listener_threads(db: Database) -> int:
    """Listener threads for `db`: one per pooled connection on PostgreSQL; on SQLite, whose writers
    take turns, 16 (bench/README.md round 5: at concurrency 16 reply p99 about 0.6 s at 32 threads,
    0.3 s at 16, no more busy refusals and no less throughput)."""
    return SQLITE_LISTENER_THREADS if db.engine.dialect.name == "sqlite" else LISTENER_THREADS


def utc_now() -> datetime:
    return datetime.now(UTC)


class ListenerExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting work in flight so shutdown and tests can wait for it.

    Bolt runs the ack() of actions, views and shortcuts on this pool (a slash command's is given on
    the dispatch thread, handlers/slack/commands), so it must never be full of listeners that already
    acked and now wait on Slack (a 429's Retry-After, a slow call): with 8 threads, bursts of 429s
    delayed acks past Slack's 3 s (tests/faults/test_slack_bursts.py). Threads start only when needed.
    Nothing waits behind a long backlog: once every thread has work and more is queued than the
    listeners finish in bot.shedding.QUEUE_WAIT_BOUND at their measured completion rate, the
    executor is `busy()`; bot/shedding.py then holds a new command's ack until there is room again
    (`admit`, up to bot.shedding.ADMISSION_WAIT) and only past that answers "busy, try again".
    """

    def __init__(self, max_workers: int = LISTENER_THREADS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._in_flight = 0
        self.waiting = 0  # commands whose ack waits in admit() for room
        self._watchers = 0  # threads in wait_idle(): only then does the last finished listener notify
        lock = Lock()  # one lock, two waits: for nothing in flight, and for room for one command
        self._idle, self._room = Condition(lock), Condition(lock)
        self.rate = CompletionRate(clock=clock)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self.rate.started(self._in_flight)
            self._in_flight += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._in_flight -= 1
            self.rate.finished(self._in_flight)
            if self.waiting:  # room for one command: wake one waiting ack, not every one
                self._room.notify()
            if self._watchers and self._in_flight == 0:
                self._idle.notify_all()

    def busy(self) -> bool:
        """A new listener would wait in the queue longer than bot.shedding.QUEUE_WAIT_BOUND."""
        with self._idle:
            return self._roomless()

    def _roomless(self) -> bool:
        if self._in_flight < self._max_workers:  # a thread is free: no need to measure the rate
            return False
        return self._in_flight >= threshold(self.rate.per_second(), self._max_workers)

    def admit(self, timeout: float) -> bool:
        """True as soon as the executor is not busy (at once if it is not now); False if `timeout`
        seconds pass first. Each finished listener wakes one waiter (the longest waiting), which
        looks again: room for one is taken by one, and the other dispatch threads sleep on.
        With a thread free it answers without the lock (one read of a count the lock guards:
        the answer is as current as the lock would make it, which also lets go at once)."""
        if self._in_flight < self._max_workers:
            return True
        with self._idle:
            if not self._roomless():
                return True
            self.waiting += 1
            try:
                return self._room.wait_for(lambda: not self._roomless(), timeout=timeout)
            finally:
                self.waiting -= 1

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is running or queued; False if `timeout` seconds pass first."""
        with self._idle:
            self._watchers += 1
            try:
                return self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)
            finally:
                self._watchers -= 1


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
    installs: Installs | None = None  # distribution mode: the workspaces' installations
    names: MemberNames = field(default_factory=MemberNames)  # sharers' names, across commands
    profiles: Profiles = field(default_factory=Profiles)  # sharers' profiles, across commands
    admitted: Admitted = field(default_factory=Admitted)  # workspaces the exchange gate found approved
    teams_token: Callable[[], str] | None = None  # the bot's Bot Connector token; made from settings if None
    graph_tokens: dict[str, Callable[[], str]] = field(default_factory=dict, repr=False)  # by tenant
    _platforms: dict[str, str] = field(default_factory=dict, repr=False)  # workspace -> "slack"/"teams"

    @property
    def chat(self) -> Chat:
        """The host's (SLACK_BOT_TOKEN's): for a workspace, use chat_for(team_id)."""
        return self.platform or SlackChat(self.client)

    def client_for(self, team_id: str, base: WebClient | None = None) -> WebClient:
        """The Web API client that speaks for `team_id`: `client` (or `base`) with that workspace's bot
        token, refreshed first if it expires soon. Single-workspace mode: `base` or `client` as is.
        Raises bot.installs.NotInstalled (a LookupError) for a workspace without an installation."""
        if self.installs is None:
            return base if base is not None else self.client
        return self.installs.client_for(team_id, base if base is not None else self.client)

    def chat_for(self, team_id: str, base: WebClient | None = None) -> Chat:
        """The platform as it speaks for `team_id`: Teams for a tenant that joined from Teams
        (exchange_member.platform), else Slack (see client_for). The one place that decides."""
        if self.platform is not None:
            return self.platform
        if self.platform_of(team_id) == "teams":
            from bot.teams.chat import TeamsChat
            from bot.teams.names import name_of

            return TeamsChat(team_id, self.settings.teams_app_id, self.db, self.teams_token_source(), self.clock,
                             lambda user_id: name_of(self, team_id, user_id))
        return SlackChat(self.client_for(team_id, base))

    def platform_of(self, team_id: str) -> str:
        """"teams" or "slack"; without TEAMS_APP_ID every workspace is Slack (no query)."""
        if not self.settings.teams_app_id or not team_id:
            return "slack"
        if team_id not in self._platforms:
            from storage.exchange import platform_of

            with self.db.read() as session:
                found = platform_of(session, team_id)
            if found is None:
                return "slack"  # not cached: a tenant is recorded on its first activity
            self._platforms[team_id] = found
        return self._platforms[team_id]

    def teams_token_source(self) -> Callable[[], str]:
        """The bot's Bot Connector token (bot/teams/tokens.py), one cache for TeamsChat and the SDK."""
        if self.teams_token is None:
            from bot.teams.tokens import ClientCredentials

            self.teams_token = ClientCredentials(self.settings)
        return self.teams_token

    def graph_token_source(self, tenant_id: str) -> Callable[[], str]:
        """The app-only Microsoft Graph token for `tenant_id` (bot/teams/tokens.py), cached per tenant."""
        if tenant_id not in self.graph_tokens:
            from bot.teams.tokens import GRAPH_SCOPE, ClientCredentials, graph_token_url

            url = graph_token_url(self.settings, tenant_id)
            self.graph_tokens[tenant_id] = ClientCredentials(self.settings, url=url, scope=GRAPH_SCOPE)
        return self.graph_tokens[tenant_id]

    def forget_client(self, team_id: str) -> None:
        """Slack refused the workspace's token: look it up again next time (it may be uninstalled)."""
        if self.installs is not None:
            self.installs.forget(team_id)

    def is_moderator(self, team_id: str, user_id: str) -> bool:
        """MODERATOR_USER_IDS, members a moderator gave the role, and workspace admins and owners."""
        with self.db.begin() as session:
            if moderators.granted(session, self.settings, team_id, user_id):
                return True
        return moderators.is_admin(self, team_id, user_id)
