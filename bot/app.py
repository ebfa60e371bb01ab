"""The app factory: one Bolt App wired to Roundtable's services and listeners."""

from __future__ import annotations

import logging

from slack_bolt import App

import handlers
from bot.services import ListenerExecutor, Services
from bot.wiring import wire


def create_app(
    services: Services,
    *,
    executor: ListenerExecutor | None = None,
    process_before_response: bool = False,
) -> App:
    """Build the Bolt app. Construction calls `auth.test` on the configured Web API."""
    settings = services.settings
    wire(services)
    app = App(
        signing_secret=settings.signing_secret,
        client=services.client,
        logger=logging.getLogger("slack_bolt"),
        listener_executor=executor or ListenerExecutor(),
        process_before_response=process_before_response,
    )
    handlers.register(app, services)
    return app
