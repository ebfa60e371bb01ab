"""The HTTP edge: an ASGI app that bounds and verifies every request before Bolt sees it.

`POST /slack/events`: a body larger than MAX_BODY_BYTES gets 413 (by its Content-Length, before
any of it is read, or as soon as a chunked body passes the cap); one still arriving after
BODY_TIMEOUT_SECONDS gets 408; one Slack did not sign gets 401 and is logged by its reason only;
one it did is marked in Bolt's context as verified here, so Bolt does not verify it again.
What passes goes to Bolt's (synchronous) dispatch on a thread pool, so the event loop keeps
serving every other connection, slow or idle ones included; with `shed_commands` (`serve`), a
verified slash command whose ack would come too late is answered busy at once instead
(bot/shedding.py late_for_bolt). `GET /healthz` pings the database on the same pool. In
distribution mode `GET /slack/install` and `/slack/oauth_redirect` are Bolt's OAuth flow (no Slack
signature: an installer's browser asks them), on the same pool. `/library` and below is the web
library (bot/library), its own small app.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from concurrent.futures import Executor, Future
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.request.internals import build_context

from bot.shedding import ARRIVED_AT, BUSY_CONTENT_TYPE, BUSY_REPLY, late_for_bolt
from bot.signing import EDGE_CONTEXT_KEY, SIGNED_AT_EDGE, RequestSigning
from storage.db import Database

EVENTS_PATH = "/slack/events"
TEAMS_PATH = "/api/messages"
CALENDAR_PATH = "/calendar/"  # bot/roundtables/calendar_links.PATH
MAX_BODY_BYTES = 1 << 20  # 1 MiB; Slack's largest payloads (a full modal's state) are far below
BODY_TIMEOUT_SECONDS = 10.0
LAG_INTERVAL = 0.05  # seconds between the event loop's heartbeats (LoopLag)

log = logging.getLogger("roundtable.requests")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def header_lists(raw: list[tuple[bytes, bytes]]) -> dict[str, list[str]]:
    """ASGI's header pairs as Bolt takes them: lower-case name -> every value, in order."""
    headers: dict[str, list[str]] = {}
    for name, value in raw:
        headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return headers


def declared_length(headers: dict[str, list[str]]) -> int | None:
    values = headers.get("content-length", [])
    if not values:
        return None
    if len(values) > 1 or not values[0].isascii() or not values[0].isdigit():
        raise Refused(400, "malformed Content-Length")
    length = int(values[0])
    if length > MAX_BODY_BYTES:
        raise Refused(413, "body over the size limit")
    return length


async def read_body(receive: Receive) -> bytes:
    """The request body, never more than MAX_BODY_BYTES of it held."""
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT_SECONDS):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise Refused(0, "client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise Refused(413, "body over the size limit")
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError:
        raise Refused(408, "body too slow") from None


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the already-read body once, then waits on the real one (disconnects)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def again() -> MutableMapping[str, Any]:
        return pending.pop() if pending else await receive()

    return again


async def answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None,
                 *, close: bool = False) -> None:
    pairs = list(headers or [(b"content-type", b"text/plain; charset=utf-8")])
    pairs.append((b"content-length", str(len(body)).encode()))
    if close:  # the rest of the body is never read: the connection cannot carry another request
        pairs.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": pairs})
    await send({"type": "http.response.body", "body": body})


def bolt_answer(response: BoltResponse) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    headers = [(name.encode("latin-1"), str(value).encode("latin-1"))
               for name, values in response.headers.items() if name != "content-length" for value in values]
    return response.status, (response.body or "").encode(), headers


def form_fields(text: str, content_type: str | None) -> dict[str, str] | None:
    """A form body's fields; None for JSON (Events API), as slack_bolt's parse_body tells them."""
    if content_type == "application/json" or text.startswith("{"):
        return None
    return dict(parse_qsl(text, keep_blank_values=True))


def bolt_request(text: str, headers: Mapping[str, Any], query: str = "",
                 context: dict[str, Any] | None = None) -> BoltRequest:
    """A BoltRequest of a Slack body as Slack means it. Bolt reads any form holding the word
    "payload" anywhere as an interaction, and then finds no payload field in it
    (slack_bolt.request.internals.parse_body): a command whose words or names hold it
    (`/practice search payload`) would go unhandled. Such a form is read again by its fields."""
    context = context or {}
    request = BoltRequest(body=text, query=query, headers=headers, context=context)
    fields = form_fields(text, request.content_type) if "payload" in text else None
    if fields is not None and "payload" not in fields:
        request.body = fields
        request.context = build_context(BoltContext(context), fields)
    return request


def command_fields(headers: dict[str, list[str]], body: bytes) -> dict[str, str] | None:
    """The fields of a slash command (a form with a `command` field and no `payload`, which an
    interaction's form is); None for anything else."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fields = form_fields(text, headers.get("content-type", [""])[0].split(";")[0])
    return fields if fields is not None and "command" in fields and "payload" not in fields else None


class TimedPool(Executor):
    """An executor whose queue is timed: `oldest_wait()` is how long the work that has waited longest
    for a thread (submitted, not started) has waited, 0.0 when nothing waits."""

    def __init__(self, pool: Executor, clock: Callable[[], float] = time.monotonic) -> None:
        self.pool, self.clock = pool, clock
        self._waiting: dict[int, float] = {}  # submission number -> when submitted; oldest first
        self._numbers = itertools.count()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            number = next(self._numbers)
            self._waiting[number] = self.clock()

        def started() -> Any:
            self._forget(number)
            return fn(*args, **kwargs)

        try:
            future = self.pool.submit(started)
        except BaseException:
            self._forget(number)
            raise
        future.add_done_callback(lambda _: self._forget(number))  # cancelled before it started
        return future

    def _forget(self, number: int) -> None:
        with self._lock:
            self._waiting.pop(number, None)

    def queued(self) -> int:
        with self._lock:
            return len(self._waiting)

    def oldest_wait(self) -> float:
        with self._lock:
            first = next(iter(self._waiting.values()), None)
        return 0.0 if first is None else max(0.0, self.clock() - first)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class LoopLag:
    """How late the event loop runs what is ready: a task on it sleeps `interval` at a time; the lag
    is by how much it is overdue now, or how late it last woke less the time since. That lateness
    fades as time passes rather than standing until the next beat, because the connections that
    arrived while the loop was stalled are still being read after it (each waited about that long);
    a healthy loop (tens of milliseconds late at most) never comes near the bound."""

    def __init__(self, interval: float = LAG_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval, self.clock = interval, clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._due = self._last = self._woke = 0.0
        self.beats = 0

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the heartbeat on `loop`, once (a new loop, as each test's asyncio.run, gets its own)."""
        if self._loop is loop:
            return
        self._loop, self._last = loop, 0.0
        self._due = self.clock() + self.interval
        self._task = loop.create_task(self._beat())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            now = self.clock()
            self._last, self._woke = max(0.0, now - self._due), now
            self._due = now + self.interval
            self.beats += 1

    def seconds(self) -> float:
        now = self.clock()
        return max(self._last - (now - self._woke), now - self._due, 0.0)


class SlackEdge:
    """`shed_commands`: a verified slash command whose ack would come too late (bot/shedding.py
    late_for_bolt, from the event loop's lag and the dispatch queue's oldest wait) gets the private
    busy reply at once from the event loop, and nothing else happens (no Bolt, no listener); events,
    actions and views always go on. `clock` times both (tests inject one)."""

    def __init__(self, app: App, db: Database, signing: RequestSigning, pool: Executor,
                 library: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None,
                 teams: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None,
                 calendar: Callable[[str], tuple[int, bytes, list[tuple[bytes, bytes]]]] | None = None,
                 *, shed_commands: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.db, self.signing, self.pool, self.library = app, db, signing, pool, library
        self.teams = teams  # the Teams SDK's ASGI app (bot/teams/app.py), which checks Microsoft's JWT
        self.calendar = calendar  # GET /calendar/<signed token>.ics (bot/roundtables/calendar_links.py)
        flow = app.oauth_flow  # distribution mode: the installer's browser, not Slack, asks these
        self.install_paths = (flow.install_path, flow.redirect_uri_path) if flow is not None else ()
        self.timed: TimedPool | None = None
        self.lag: LoopLag | None = None
        if shed_commands:
            self.pool = self.timed = pool if isinstance(pool, TimedPool) else TimedPool(pool, clock)
            self.lag = LoopLag(clock=clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off; nothing here speaks WebSocket
            return
        loop = asyncio.get_running_loop()
        path, method = scope["path"], scope["method"]
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy = await loop.run_in_executor(self.pool, self.db.ping)
            await answer(send, 200 if healthy else 503, b"ok\n" if healthy else b"database unavailable\n")
        elif self.install_paths and path in self.install_paths:
            if method not in ("GET", "HEAD"):
                await answer(send, 405, b"Method Not Allowed\n", [(b"allow", b"GET")])
                return
            query = scope.get("query_string", b"").decode("latin-1")
            response = await loop.run_in_executor(self.pool, self.install, path, query,
                                                  header_lists(scope["headers"]))
            await answer(send, *bolt_answer(response))
        elif self.library is not None and (path == "/library" or path.startswith("/library/")):
            await self.bounded(scope, receive, send, self.library)
        elif self.teams is not None and path == TEAMS_PATH:
            await self.teams_request(scope, receive, send)
        elif self.calendar is not None and path.startswith(CALENDAR_PATH):
            if method not in ("GET", "HEAD"):
                await answer(send, 405, b"Method Not Allowed\n", [(b"allow", b"GET")])
                return
            status, body, headers = await loop.run_in_executor(self.pool, self.calendar, path)
            log.info("calendar %s -> %s", method, status)  # never the path: it carries the signed token
            await answer(send, status, b"" if method == "HEAD" else body, headers)
        elif path != EVENTS_PATH:
            await answer(send, 404, b"Not Found\n")
        elif method != "POST":
            await answer(send, 405, b"Method Not Allowed\n", [(b"allow", b"POST")])
        else:
            await self.slack(scope, receive, send, loop)

    async def bounded(self, scope: Scope, receive: Receive, send: Send,
                      app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        """The same body cap and timeout as Slack's requests; the app then reads the body once more."""
        try:
            declared_length(header_lists(scope["headers"]))
            body = await read_body(receive)
        except Refused as refused:
            if refused.status:
                log.info("refused request: %s", refused.reason)
                await answer(send, refused.status, b"", close=refused.status in (408, 413))
            return
        await app(scope, replay(body, receive), send)

    async def teams_request(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One log line per Teams request: method, status, time; never the body or the token."""
        started, status = time.monotonic(), [0]

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.bounded(scope, receive, sending, self.teams)  # type: ignore[arg-type]
        finally:
            log.info("teams %s %s -> %s in %d ms", scope["method"], TEAMS_PATH, status[0] or "no answer",
                     (time.monotonic() - started) * 1000)

    async def slack(self, scope: Scope, receive: Receive, send: Send, loop: asyncio.AbstractEventLoop) -> None:
        arrived = time.monotonic()  # bot/shedding.py counts a command's wait for room from here
        if self.lag is not None:
            self.lag.watch(loop)
        headers = header_lists(scope["headers"])
        try:
            declared_length(headers)
            body = await read_body(receive)
            reason = self.signing.refusal(headers, body)
            if reason is not None:
                raise Refused(401, reason)
        except Refused as refused:
            if refused.status:
                log.info("refused request: %s", refused.reason)
                payload = b'{"error": "invalid request"}' if refused.status == 401 else b""
                await answer(send, refused.status, payload, [(b"content-type", b"application/json")],
                             close=refused.status in (408, 413))
            return
        if self.too_late(headers, body):
            await answer(send, 200, BUSY_REPLY.encode(), [(b"content-type", BUSY_CONTENT_TYPE.encode())])
            return
        query = scope.get("query_string", b"").decode("latin-1")
        response = await loop.run_in_executor(self.pool, self.dispatch_signed, body, query, headers, arrived)
        await answer(send, *bolt_answer(response))

    def too_late(self, headers: dict[str, list[str]], body: bytes) -> bool:
        """A slash command whose ack would come too late (bot/shedding.py late_for_bolt), logged."""
        if self.lag is None or self.timed is None:
            return False
        lag, queued = self.lag.seconds(), self.timed.oldest_wait()
        if not late_for_bolt(lag, queued):
            return False
        fields = command_fields(headers, body)
        if fields is None:
            return False
        log.warning("shed command=%s team=%s user=%s at the edge: the event loop %.0f ms late, the dispatch "
                    "queue's oldest waiting %.0f ms", fields["command"][:40], fields.get("team_id", "")[:40],
                    fields.get("user_id", "")[:40], lag * 1000, queued * 1000)
        return True

    def install(self, path: str, query: str, headers: dict[str, list[str]]) -> BoltResponse:
        """Bolt's OAuth flow (bot/installs/flow.py): the install link, then Slack's redirect back."""
        flow = self.app.oauth_flow
        if flow is None:  # only routed in distribution mode; answer as for any unknown path
            return BoltResponse(status=404, body="Not Found")
        request = BoltRequest(body="", query=query, headers=headers)
        if path == flow.install_path:
            return flow.handle_installation(request)
        return flow.handle_callback(request)

    def dispatch_signed(self, body: bytes, query: str, headers: dict[str, list[str]], arrived: float) -> BoltResponse:
        """Bolt's parsing and dispatch, on a pool thread, of a request whose signature `slack()` has
        checked: marked so (bot/signing.SIGNED_AT_EDGE), Bolt does not check it again. A body Bolt
        cannot parse gets 400, not 500."""
        try:
            request = bolt_request(body.decode("utf-8"), headers, query,
                                   {EDGE_CONTEXT_KEY: SIGNED_AT_EDGE, ARRIVED_AT: arrived})
        except Exception as error:  # noqa: BLE001 - bad JSON, or JSON that is not an object: Bolt assumes one
            log.warning("signed request with an unreadable body: %s", type(error).__name__)
            return BoltResponse(status=400, body="")
        return self.app.dispatch(request)
