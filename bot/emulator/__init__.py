"""A Slack Web API emulator: a real HTTP server on 127.0.0.1 that answers like Slack.

Tests and console mode point the bot at it through SLACK_API_URL. It records every call,
keeps posted messages per channel (so chat.update and conversations.history behave), and can
be told to fail: HTTP 429 with Retry-After, 500/503, `ok: false`, or a dropped connection.
It plays several workspaces, each with its own bot token, and installs them by OAuth
(bot/emulator/workspaces.py).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.emulator.calls import Call, Fault
from bot.emulator.chat import BOT_ID, BOT_USER_ID, REPLIES_PAGE_SIZE, ChatMethods
from bot.emulator.limits import LIMITED_METHODS, ChannelRateLimit
from bot.emulator.local import LocalServer
from bot.emulator.methods import ConversationAndFileMethods
from bot.emulator.methods import json_arg as _json_arg
from bot.emulator.openid import OpenIDMethods
from bot.emulator.server import handler_class
from bot.emulator.workspaces import TEAM_ID, WorkspaceMethods
from bot.render.slack_limits import message_problems, view_problems

__all__ = ["BOT_ID", "BOT_USER_ID", "REPLIES_PAGE_SIZE", "TEAM_ID", "Call", "Fault", "SlackEmulator"]


class SlackEmulator(LocalServer, ChatMethods, ConversationAndFileMethods, WorkspaceMethods, OpenIDMethods):
    def __init__(self, users: dict[str, dict[str, Any]] | None = None) -> None:
        self._init_workspaces()
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = dict(users or {})
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, oldest first
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}  # preset conversations.replies
        self.faults: dict[str, list[Fault]] = {}
        self.private_channels: set[str] = set()
        self.files: dict[str, dict[str, Any]] = {}  # file id -> name, title, content, channel
        self.latency = 0.0  # seconds added to every call, response URLs included
        self.connections = 0  # HTTP connections accepted
        self.arrived: list[Call] = []  # every call as it comes in, before latency, faults and answers
        self.channel_limit: ChannelRateLimit | None = None  # see limit_channels()
        self.clock: Callable[[], float] | None = None  # epoch seconds for message ts (tests' fake time)
        self.team_id = TEAM_ID  # whose members sign in (bot/emulator/openid.py)
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._listen(self._handler_class())

    @property
    def base_url(self) -> str:
        return f"{self.url}/"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.base_url}response/{name}"

    # test controls -------------------------------------------------------------------------
    def fail(self, method: str, **fault: Any) -> None:
        """Make the next `times` calls of `method` fail, e.g. fail("chat.postMessage", status=429)."""
        with self._lock:
            self.faults.setdefault(method, []).append(Fault(**fault))

    def limit_channels(self, per_second: float = 1.0, burst: int = 1) -> None:
        """Enforce Slack's chat.postMessage limit per channel: 429 with Retry-After past it."""
        with self._lock:
            self.channel_limit = ChannelRateLimit(per_second=per_second, burst=burst)

    def add_user(self, user_id: str, team: str = TEAM_ID, **profile: Any) -> None:
        self.users[user_id] = {"id": user_id, "team_id": team, **profile}

    def add_message(self, channel: str, message: dict[str, Any]) -> None:
        """A message someone posted in Slack (not through the bot), e.g. the one an event is about."""
        with self._lock:
            self.messages.setdefault(channel, []).append(dict(message))

    def set_thread(self, channel: str, ts: str, messages: list[dict[str, Any]]) -> None:
        self.threads[(channel, ts)] = messages

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0, *, arrived: bool = False) -> list[Call]:
        """Poll until `count` calls of `method` were answered (with `arrived`: came in, answered or
        not yet); raise AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in (self.arrived if arrived else self.calls) if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(
                        f"expected {count} call(s) to {method}, got {len(found)}; saw {seen}"
                    )
                self._lock.wait(remaining)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.arrived.clear()

    # Web API -------------------------------------------------------------------------------
    def _next_ts(self) -> str:
        if self.clock is not None:
            return f"{int(self.clock())}.{next(self._ts) % 1_000_000:06d}"
        return f"{1_700_000_000 + next(self._ts)}.{next(self._ts) % 1_000_000:06d}"

    def _answer(self, method: str, args: dict[str, Any], token: str = "", basic: str = "") -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth_v2_access(args, basic)
        team, refusal = self._caller(token)
        if refusal is not None:
            return refusal
        if method == "auth.test":
            return self._identity(team)
        if method == "team.info":
            return self._team_info(team, args)
        if foreign := self._foreign(team, method, args):
            return foreign
        answer = self._answer_as(method, args)
        if method == "conversations.open" and answer.get("ok"):
            self.channel_teams[answer["channel"]["id"]] = team
        return answer

    def _answer_as(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method.startswith("views."):
            problems = view_problems(_json_arg(args.get("view")))
            if problems:
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        elif problems := message_problems(_json_arg(args.get("blocks"))):
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": True}
        return handler(args)

    # HTTP ----------------------------------------------------------------------------------
    def _record(self, call: Call, log: list[Call] | None = None) -> None:
        with self._lock:
            (self.calls if log is None else log).append(call)
            self._lock.notify_all()

    def _rate_limited(self, method: str, args: dict[str, Any], team: str = "") -> int:
        """Retry-After seconds when this post is past the channel's limit (or its team's), else 0."""
        if method in LIMITED_METHODS and (held := self.throttled.get(team, 0)):
            return held
        if self.channel_limit is None or method not in LIMITED_METHODS:
            return 0
        with self._lock:
            return self.channel_limit.retry_after(str(args.get("channel", "")))

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return handler_class(self)
