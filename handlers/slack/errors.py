"""Failures become one short ephemeral line for the person and a full entry in the log.

Nothing is said back for a request that did not pass signature verification: its body, and so
its `response_url`, is whatever the sender chose.

Every listener is wrapped with `guarded` when it is registered: listeners ack first, so an exception
afterwards must not escape into Bolt (which would answer 500, or race with the ack it already sent).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.request import payload_utils as bolt

from handlers.errors import FAILED, UNAVAILABLE, is_database_down
from handlers.slack.signing import is_verified

log = logging.getLogger("roundtable.errors")

PAYLOAD_ALIASES = ("command", "action", "event", "view", "shortcut", "message", "options")


def report(error: Exception, body: dict[str, Any], respond: Callable[..., object] | None) -> None:
    if is_database_down(error):
        log.warning("database unavailable while handling a request: %s", type(error).__name__)
        message = UNAVAILABLE
    else:
        log.error("listener failed", exc_info=error)
        message = FAILED
    if respond is not None and body.get("response_url"):
        try:
            respond(text=message, response_type="ephemeral", replace_original=False)
        except Exception:  # noqa: BLE001 - the reply is a courtesy; the log has the cause
            log.warning("could not tell the user about the failure")


def payload_of(body: dict[str, Any]) -> dict[str, Any]:
    """Bolt's `payload` argument (slack_bolt.kwargs_injection.build_required_kwargs): the options,
    shortcut, action, view, command, event, message or step the body holds, else the body."""
    return (bolt.to_options(body) or bolt.to_shortcut(body) or bolt.to_action(body) or bolt.to_view(body)
            or bolt.to_command(body) or bolt.to_event(body) or bolt.to_message(body) or bolt.to_step(body) or body)


ARGUMENTS: dict[str, Callable[[BoltRequest], Any]] = {
    "ack": lambda req: req.context.ack,
    "body": lambda req: req.body,
    "payload": lambda req: payload_of(req.body),
    "respond": lambda req: req.context.respond,
    "say": lambda req: req.context.say,
    "client": lambda req: req.context.client,
    "context": lambda req: req.context,
    "logger": lambda req: req.context.logger,
    "services": lambda req: req.context.get("services"),
    **dict.fromkeys(PAYLOAD_ALIASES, lambda req: payload_of(req.body)),
}


def guarded(func: Callable[..., None]) -> Callable[[BoltRequest], None]:
    """Run a listener; report what it raises instead of letting Bolt see it.

    The wrapper is a function of the request (Bolt passes it as `request`; bot/app.py's RoundtableApp
    calls it with the request directly, without Bolt building every argument any listener could ask
    for): it passes the function the arguments it declares by Bolt's names, built from the request
    (`services` is the app's own: handlers/slack/middleware.py puts it in the request's context).
    """
    wanted = [(name, ARGUMENTS[name]) for name in inspect.signature(func).parameters]

    def listener(request: BoltRequest) -> None:
        try:
            func(**{name: argument(request) for name, argument in wanted})
        except Exception as error:  # noqa: BLE001 - reported to the user and the log
            report(error, request.body, request.context.respond)

    listener.__name__ = listener.__qualname__ = func.__name__
    return listener


def on_error(error: Exception, body: dict, context: dict, respond: Callable[..., object] | None) -> None:
    if not is_verified(context):  # its response_url is anyone's choice: never post to it
        log.warning("unverified request failed: %s", type(error).__name__)
        return
    report(error, body, respond)


def register(app: App) -> None:
    app.error(on_error)
