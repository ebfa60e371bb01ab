"""The app factory: one Bolt App wired to Roundtable's services and listeners."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

import handlers.slack
from bot.keepalive import keep_alive_respond
from bot.services import ListenerExecutor, Services
from bot.shedding import shed_when_busy
from bot.signing import RequestSigning
from bot.wiring import wire
from handlers.slack.middleware import Plain
from handlers.slack.signing import VerifiedRequests


def create_app(
    services: Services,
    *,
    executor: ListenerExecutor | None = None,
    process_before_response: bool = False,
) -> App:
    """Build the Bolt app. Construction calls `auth.test` on the configured Web API (single-workspace
    mode; in distribution mode each request's bot comes from the installation store)."""
    settings = services.settings
    options: dict[str, Any] = {}
    if services.installs is not None:  # distribution mode: OAuth installs, a bot per workspace
        from bot.exchange import admit_installed
        from bot.installs.flow import NOT_INSTALLED, InstalledBotAuthorize, install_flow

        options = {"oauth_flow": install_flow(settings, services.installs, services.client,
                                              on_installed=lambda team_id: admit_installed(services, team_id)),
                   "authorize": InstalledBotAuthorize(services.installs),
                   "user_facing_authorize_error_message": NOT_INSTALLED}
    wire(services)
    executor = executor or ListenerExecutor()
    app = App(
        signing_secret=settings.signing_secret,
        client=services.client,
        logger=logging.getLogger("slack_bolt"),
        request_verification_enabled=False,  # replaced, before authorization:
        before_authorize=VerifiedRequests(RequestSigning(settings.signing_secret)),
        listener_executor=executor,
        process_before_response=process_before_response,
        **options,
    )
    app.use(Plain(shed_when_busy(executor)))  # after verification and authorization
    app.use(Plain(keep_alive_respond))  # respond() reuses connections to response_url's host
    handlers.slack.register(app, services)
    return app
