"""Global middleware: the app's services in each request's context, one log line per request, text
without NUL characters, and each Slack event handled once.

Each is a function of the request and `next`, registered through `Plain`: Bolt wraps a plain
function middleware in CustomMiddleware, which inspects the function's parameters and builds every
argument it names (each payload extraction included) on every request: together about a tenth of a
command's dispatch thread time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.services import Services
from storage.events import claim_event

log = logging.getLogger("roundtable.requests")


class Plain(Middleware):
    """A middleware `func(req, next)`, called as it is (see the module's docstring)."""

    def __init__(self, func: Callable[[BoltRequest, Callable[[], None]], BoltResponse | None]) -> None:
        self.func = func
        self._name = f"Plain({func.__name__})"  # Bolt asks for it for every request (its debug line)

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
        return self.func(req, next)  # type: ignore[arg-type]

    @property
    def name(self) -> str:
        return self._name


class ProvideServices(Middleware):
    """Puts this app's services (and its cache of workspace URLs) in every request's context, so
    listeners are plain functions of the request: two apps in one process keep their own."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.workspace_urls: dict[str, str] = {}  # team_id -> https://NAME.slack.com/, learned once

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002 - Bolt's name
        req.context["services"] = self.services
        req.context["workspace_urls"] = self.workspace_urls
        return next()


def describe(body: dict) -> str:
    """A short, secret-free description of a Slack payload for the request log."""
    kind = body.get("type") or ("command" if "command" in body else "unknown")
    if "command" in body:
        return f"command {body['command']}"
    if kind == "event_callback":
        return f"event {body.get('event', {}).get('type', '?')} {body.get('event_id', '')}"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"action {actions[0].get('action_id', '?')}"
    if kind in ("view_submission", "view_closed"):
        return f"{kind} {body.get('view', {}).get('callback_id', '?')}"
    if kind in ("shortcut", "message_action"):
        return f"{kind} {body.get('callback_id', '?')}"
    return str(kind)


def team_of(body: dict) -> str:
    team = body.get("team_id") or body.get("team") or {}
    return team.get("id", "") if isinstance(team, dict) else str(team)


def user_of(body: dict) -> str:
    user = body.get("user_id") or body.get("user") or body.get("event", {}).get("user") or ""
    return user.get("id", "") if isinstance(user, dict) else str(user)


def log_request(req: BoltRequest, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
    retry = req.headers.get("x-slack-retry-num", ["0"])[0]
    log.info("request %s team=%s user=%s retry=%s", describe(req.body), team_of(req.body), user_of(req.body), retry)
    next()


def without_nul(value: Any) -> Any:
    """A NUL character (U+0000) is valid in Slack's JSON but PostgreSQL's text columns refuse it, so a
    share, a question or a modal field holding one would fail the whole unit of work. A value with
    none comes back as the same object (no copy built, none to compare)."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        copied = None
        for key, item in value.items():
            cleaned = without_nul(item)
            if cleaned is not item:
                copied = copied if copied is not None else dict(value)
                copied[key] = cleaned
        return value if copied is None else copied
    if isinstance(value, list):
        items = [without_nul(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def strip_nul(req: BoltRequest, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
    """Text as members typed it, minus what no database column can hold: once, before any listener."""
    cleaned = without_nul(req.body)
    if cleaned is not req.body:
        req.body.clear()
        req.body.update(cleaned)
    next()


def skip_redelivered_events(req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002
    body = req.body
    if body.get("type") != "event_callback" or not body.get("event_id"):
        next()
        return None
    services: Services = req.context["services"]
    with services.db.begin() as session:
        first_time = claim_event(session, team_of(body), body["event_id"], services.clock())
    if first_time:
        next()
        return None
    log.info("event %s already handled, skipping re-delivery", body["event_id"])
    return BoltResponse(status=200, body="")


def register(app: App, services: Services) -> None:
    app.use(ProvideServices(services))
    for middleware in (log_request, skip_redelivered_events, strip_nul):
        app.use(Plain(middleware))
