"""The app factory: one Bolt App wired to Roundtable's services and listeners."""

from __future__ import annotations

import logging

from slack_bolt import App

import handlers
from bot.services import ListenerExecutor, Services
from bot.signing import RequestSigning
from bot.wiring import wire
from handlers.signing import VerifiedRequests


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
        request_verification_enabled=False,  # replaced, before authorization:
        before_authorize=VerifiedRequests(RequestSigning(settings.signing_secret)),
        listener_executor=executor or ListenerExecutor(),
        process_before_response=process_before_response,
    )
    handlers.register(app, services)
    return app
