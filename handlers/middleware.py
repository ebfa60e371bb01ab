"""Global middleware: one log line per request, and each Slack event handled once."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse

from bot.services import Services
from storage.events import claim_event

log = logging.getLogger("roundtable.requests")


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


def register(app: App, services: Services) -> None:
    @app.middleware
    def log_request(req: BoltRequest, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
        retry = req.headers.get("x-slack-retry-num", ["0"])[0]
        log.info(
            "request %s team=%s user=%s retry=%s",
            describe(req.body), team_of(req.body), user_of(req.body), retry,
        )
        next()

    @app.middleware
    def skip_redelivered_events(req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002
        body = req.body
        if body.get("type") != "event_callback" or not body.get("event_id"):
            next()
            return None
        with services.db.begin() as session:
            first_time = claim_event(session, team_of(body), body["event_id"], services.clock())
        if first_time:
            next()
            return None
        log.info("event %s already handled, skipping re-delivery", body["event_id"])
        return BoltResponse(status=200, body="")
