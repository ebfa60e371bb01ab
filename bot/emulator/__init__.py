"""A Slack Web API emulator: a real HTTP server on 127.0.0.1 that answers like Slack.

Tests and console mode point the bot at it through SLACK_API_URL. It records every call,
keeps posted messages per channel (so chat.update and conversations.history behave), and can
be told to fail: HTTP 429 with Retry-After, 500/503, `ok: false`, or a dropped connection.
It plays several workspaces, each with its own bot token, and installs them by OAuth
(bot/emulator/workspaces.py).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from bot.emulator.limits import LIMITED_METHODS, ChannelRateLimit
from bot.emulator.methods import ConversationAndFileMethods
from bot.emulator.openid import OpenIDMethods
from bot.emulator.workspaces import HOST_BOT, TEAM_ID, WorkspaceMethods
from bot.render.slack_limits import message_problems, view_problems

BOT_USER_ID, BOT_ID = HOST_BOT
REPLIES_PAGE_SIZE = 50  # small enough that a long thread needs several conversations.replies pages


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    args: dict[str, Any]
    path: str
    at: float = field(default_factory=time.monotonic)
    status: int = 200  # what the emulator answered (429 when rate-limited); 0 when it hung up
    team: str = ""  # the workspace whose token made the call
    answer: dict[str, Any] | None = None  # the JSON it answered with, for calls it carried out


@dataclass
class Fault:
    status: int = 200  # 429, 500, 503 ...; 200 with `error` set means ok:false
    error: str | None = None
    retry_after: int = 1
    drop: bool = False  # close the connection without answering (the call has no effect)
    lose_response: bool = False  # do what was asked, then close the connection without answering
    delay: float = 0.0  # answer only after this many seconds (Slack being slow); the call still happens
    times: int = 1


class SlackEmulator(ConversationAndFileMethods, WorkspaceMethods, OpenIDMethods):
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
        self.arrived: list[Call] = []  # every call as it comes in, before latency, faults and answers
        self.channel_limit: ChannelRateLimit | None = None  # see limit_channels()
        self.clock: Callable[[], float] | None = None  # epoch seconds for message ts (tests' fake time)
        self.team_id = TEAM_ID  # whose members sign in (bot/emulator/openid.py)
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> SlackEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def api_url(self) -> str:
        return self.base_url + "api/"

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

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

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

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (args.get("text") or args.get("blocks")):
            return {"ok": False, "error": "no_text"}
        blocks = _json_arg(args.get("blocks"))
        if isinstance(blocks, list) and len(blocks) > 50:
            return {"ok": False, "error": "invalid_blocks"}
        message = {
            "type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": self._next_ts(),
            "text": args.get("text", ""), "blocks": blocks or [],
            "metadata": _json_arg(args.get("metadata")),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_found"}
        if not (args.get("text") or args.get("blocks")):
            return {"ok": False, "error": "no_text"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("message_ts", "")
        message = next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        link = f"https://roundtable.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        if message.get("thread_ts", ts) != ts:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _api_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        message = self.message(channel, ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if message.get("user") != BOT_USER_ID:
            return {"ok": False, "error": "cant_delete_message"}
        self.messages[channel].remove(message)
        return {"ok": True, "channel": channel, "ts": ts}

    def _api_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts, name = args.get("channel", ""), args.get("timestamp", ""), args.get("name", "")
        if not (channel and ts):
            return {"ok": False, "error": "no_item_specified"}
        if not name:
            return {"ok": False, "error": "invalid_name"}
        message = self.message(channel, ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        reactions = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if BOT_USER_ID in reaction["users"]:
            return {"ok": False, "error": "already_reacted"}
        reaction["users"].append(BOT_USER_ID)
        reaction["count"] += 1
        return {"ok": True}

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                message.update(text=args.get("text", ""), blocks=_json_arg(args.get("blocks")) or [])
                return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _api_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (args.get("channel", ""), args.get("ts", ""))
        thread = self.threads.get(key)
        if thread is None:
            posted = self.messages.get(key[0], [])
            thread = [m for m in posted if m["ts"] == key[1] or m.get("thread_ts") == key[1]]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        limit = min(int(args.get("limit") or REPLIES_PAGE_SIZE), REPLIES_PAGE_SIZE)
        start = int(args.get("cursor") or 0)
        page = thread[start : start + limit]
        more = start + limit < len(thread)
        return {
            "ok": True, "messages": page, "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args.get("user", "")
        user = self.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = _json_arg(args.get("view")) or {}
        return {"ok": True, "view": {**view, "id": f"V{next(self._views):08d}"}}

    _api_views_push = _api_views_open
    _api_views_update = _api_views_open
    _api_views_publish = _api_views_open

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
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                path, _, query = self.path.partition("?")
                if path == "/oauth/v2/authorize":  # the installer's browser, not the bot
                    args = dict(parse_qsl(query))
                    emulator._record(Call("oauth.authorize", args, path), emulator.arrived)
                    with emulator._lock:
                        status, where = emulator.authorize_redirect(args)
                    emulator._record(Call("oauth.authorize", args, path, status=status))
                    if status != 302:
                        return self._send(status, {"ok": False, "error": where})
                    return self._send(302, {}, {"Location": where})
                self.do_POST()

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                path, _, query = self.path.partition("?")
                if path.startswith("/upload/"):
                    return self._upload(path.removeprefix("/upload/"), raw)
                if path == "/openid/connect/authorize":
                    return self._authorize(query)
                args = _parse_args(raw, query, self.headers.get("Content-Type", ""))
                if path.startswith("/api/openid."):  # client credentials or the user's token, as Slack reads them
                    authorization = self.headers.get("Authorization", "")
                    args["_basic" if authorization.startswith("Basic ") else "_bearer"] = authorization
                method = "response_url" if path.startswith("/response/") else path.removeprefix("/api/")
                scheme, _, credential = self.headers.get("Authorization", "").partition(" ")
                token = credential if scheme == "Bearer" else str(args.get("token") or "")
                basic = credential if scheme == "Basic" else ""
                team = emulator._caller(token)[0]
                emulator._record(Call(method, args, path, team=team), emulator.arrived)
                if emulator.latency:
                    time.sleep(emulator.latency)
                fault = emulator._take_fault(method)
                if fault and fault.delay:
                    time.sleep(fault.delay)
                if fault and (fault.drop or fault.lose_response):
                    if fault.lose_response:
                        with emulator._lock:
                            emulator._answer(method, args, token, basic)
                    emulator._record(Call(method, args, path, status=0, team=team))
                    self.close_connection = True
                    self.connection.close()
                    return None
                if fault and fault.status != 200:
                    emulator._record(Call(method, args, path, status=fault.status, team=team))
                    headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
                    error = "ratelimited" if fault.status == 429 else "internal_error"
                    return self._send(fault.status, {"ok": False, "error": error}, headers)
                if fault and fault.error:
                    emulator._record(Call(method, args, path, team=team))
                    return self._send(200, {"ok": False, "error": fault.error})
                if retry_after := emulator._rate_limited(method, args, team):
                    emulator._record(Call(method, args, path, status=429, team=team))
                    return self._send(429, {"ok": False, "error": "ratelimited"},
                                      {"Retry-After": str(retry_after)})
                if method == "response_url":
                    emulator._record(Call(method, args, path, team=team))
                    problems = message_problems(_json_arg(args.get("blocks")))
                    return self._send(400 if problems else 200, {"ok": not problems, "errors": problems})
                with emulator._lock:
                    answer = emulator._answer(method, args, token, basic)
                emulator._record(Call(method, args, path, team=team, answer=answer))
                return self._send(200, answer)

            def _authorize(self, query: str) -> None:
                emulator._record(Call("openid.authorize", {}, "/openid/connect/authorize"))
                with emulator._lock:
                    target = emulator.authorize(query)
                if target is None:
                    return self._send(400, {"ok": False, "error": "invalid_request"})
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None

            def _upload(self, file_id: str, raw: str) -> None:
                with emulator._lock:
                    stored = emulator._store_upload(file_id, raw)
                emulator._record(Call("upload", {"file_id": file_id}, self.path))
                return self._send(200 if stored else 404, {"ok": stored})

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the caller hung up (or was killed) while Slack was answering
                    self.close_connection = True

        return Handler


def _parse_args(raw: str, query: str, content_type: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query))
    if "json" in content_type and raw:
        args.update(json.loads(raw))
    elif raw:
        args.update(parse_qsl(raw, keep_blank_values=True))
    return args


def _json_arg(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def _truthy(value: Any) -> bool:
    return value in (True, "true", "1", 1)
