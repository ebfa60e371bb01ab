"""The app factory: one Bolt App wired to Roundtable's services and listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from threading import Lock
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener.custom_listener import CustomListener
from slack_bolt.listener_matcher import ListenerMatcher
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_bolt.logger import get_bolt_app_logger
from slack_sdk import WebClient

import handlers.slack
from bot.keepalive import keep_alive_respond
from bot.services import ListenerExecutor, Services, listener_threads
from bot.shedding import shed_when_busy
from bot.signing import RequestSigning
from bot.wiring import wire
from handlers.slack.middleware import Plain
from handlers.slack.signing import VerifiedRequests

CLIENTS_KEPT = 256  # workspace ids (an Enterprise Grid org's) with a client made; past it, start again


class BodyMatcher(ListenerMatcher):
    """One of Bolt's built-in matchers (a command's name, an action id, a callback id, an event type:
    a function of the body alone) called directly. Bolt's builds every argument a listener could ask
    for, each payload extraction included, for each matcher of each of the ~60 listeners it tries in
    turn until one matches (an event's is among the last)."""

    def __init__(self, func: Callable[[dict], bool]) -> None:
        self.func = func

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        return self.func(req.body)


class DirectListener(CustomListener):
    """A listener that is a function of the request (handlers/slack/errors.py `guarded`), called with
    it. Bolt's CustomListener passes it through build_required_kwargs, which builds every argument any
    listener could ask for (a Say, a Complete, a Fail, each payload extraction...) on every call: about
    200,000 instructions a command (cachegrind), a ninth of what `/practice help` costs in all."""

    def __init__(self, listener: CustomListener) -> None:  # noqa: D107 - the same listener, called directly
        vars(self).update(vars(listener))

    def run_ack_function(self, *, request: BoltRequest, response: BoltResponse) -> BoltResponse | None:
        return self.ack_function(request)


class RoundtableApp(App):
    """Bolt's App, except that with one bot token (single-workspace mode) the Web API client in each
    request's context is made once per workspace id and reused, of the app's own kind (kept-alive
    connections). Bolt makes a new WebClient for every request, because its authorization may set
    that client's token: in distribution mode it does (the workspace's), so there it still does.
    With one token nothing sets it: the one built-in middleware that would, AttachingFunctionToken
    (Slack's custom functions, which Roundtable has none of), is off. tests/bot/test_app_context.py
    pins the rest of the context to what Bolt's own `_init_context` puts in it."""

    def __init__(self, **options: Any) -> None:
        super().__init__(attaching_function_token_enabled=False, **options)
        self._clients: dict[str | None, WebClient] = {}
        self._clients_lock = Lock()

    def _init_context(self, req: BoltRequest) -> None:
        if self._token is None:  # each request's token is its workspace's (distribution mode)
            super()._init_context(req)
            return
        req.context["logger"] = get_bolt_app_logger(app_name=self.name, base_logger=self._base_logger)
        req.context["token"] = self._token
        req.context["client"] = self._client_for(req.context.team_id)
        req.context["listener_runner"] = self.listener_runner

    def match_by_body(self) -> None:
        """Once every listener is registered: their body-only built-in matchers become BodyMatchers, and
        the listeners that are functions of the request alone (every guarded one) DirectListeners."""
        for listener in self._listeners:
            listener.matchers = [BodyMatcher(m.func) if type(m) is BuiltinListenerMatcher and m.arg_names == ["body"]
                                 else m for m in listener.matchers]
        self._listeners[:] = [DirectListener(listener) if type(listener) is CustomListener
                              and listener.arg_names == ["request"] else listener for listener in self._listeners]

    def _client_for(self, team_id: str | None) -> WebClient:
        client = self._clients.get(team_id)
        if client is None:
            base = self._client
            client = type(base)(token=self._token, base_url=base.base_url, timeout=base.timeout, ssl=base.ssl,
                                proxy=base.proxy, headers=base.headers, team_id=team_id, logger=base.logger,
                                retry_handlers=list(base.retry_handlers or []) or None)
            with self._clients_lock:
                if len(self._clients) >= CLIENTS_KEPT:
                    self._clients.clear()
                client = self._clients.setdefault(team_id, client)
        return client


def create_app(
    services: Services,
    *,
    executor: ListenerExecutor | None = None,
    process_before_response: bool = False,
) -> RoundtableApp:
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
    executor = executor or ListenerExecutor(listener_threads(services.db))
    app = RoundtableApp(
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
    app.match_by_body()
    return app
