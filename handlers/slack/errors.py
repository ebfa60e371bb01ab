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

from slack_bolt import App

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


def guarded(func: Callable[..., None]) -> Callable[..., None]:
    """Run a listener; report what it raises instead of letting Bolt see it.

    Bolt injects arguments by the listener's parameter names, so the wrapper asks for the
    common ones and passes the function the ones it declares; `services` is the app's own
    (handlers/slack/middleware.py puts it in the request's context).
    """
    wanted = list(inspect.signature(func).parameters)

    def listener(ack: Any, body: dict[str, Any], payload: dict[str, Any], respond: Any, say: Any,
                 client: Any, context: Any, logger: Any) -> None:
        available = {"ack": ack, "body": body, "payload": payload, "respond": respond, "say": say,
                     "client": client, "context": context, "logger": logger,
                     "services": context.get("services")}
        available.update(dict.fromkeys(PAYLOAD_ALIASES, payload))
        try:
            func(**{name: available[name] for name in wanted})
        except Exception as error:  # noqa: BLE001 - reported to the user and the log
            report(error, body, respond)

    listener.__name__ = listener.__qualname__ = func.__name__
    return listener


def on_error(error: Exception, body: dict, context: dict, respond: Callable[..., object] | None) -> None:
    if not is_verified(context):  # its response_url is anyone's choice: never post to it
        log.warning("unverified request failed: %s", type(error).__name__)
        return
    report(error, body, respond)


def register(app: App) -> None:
    app.error(on_error)
