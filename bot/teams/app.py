"""The Teams SDK's App, built from Settings, and its ASGI app for bot/web.py to mount.

Incoming activities are checked by the SDK's own JWT validation (RS256 against the cloud's
OpenID keys, issuer, audience = TEAMS_APP_ID, `serviceurl` claim = the activity's serviceUrl);
TEAMS_OPENID_METADATA_URL / TEAMS_TOKEN_ISSUER point that check at the tests' emulator through
the SDK's cloud overrides. The bot's own token (for replies through the Bot Connector) comes from
the bot's one token source (`Services.teams_token_source()`: bot/teams/tokens.py, the same
client-credentials request MSAL makes, at TEAMS_TOKEN_URL in tests), never from the SDK's MSAL: one
cache for the SDK and the outbox, and a token endpoint tests can play (MSAL insists on https and
asks login.microsoftonline.com first).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.apps import App

from bot.config import Settings
from bot.teams.tokens import SCOPE

MESSAGES_PATH = "/api/messages"


def cloud_for(settings: Settings) -> Any:
    overrides = {name: value for name, value in (("openid_metadata_url", settings.teams_openid_metadata_url),
                                                  ("token_issuer", settings.teams_token_issuer)) if value}
    return with_overrides(PUBLIC, **overrides) if overrides else PUBLIC


def sdk_token(source: Callable[[], str]) -> Callable[[str, str | None], Awaitable[str | None]]:
    """`source` as the SDK's token provider: the Bot Connector's scope only (Roundtable asks Graph for
    nothing), fetched on a worker thread so the serving loop never waits on the token endpoint."""

    async def token(scope: str, tenant_id: str | None = None) -> str | None:
        return await asyncio.to_thread(source) if scope == SCOPE else None

    return token


def build_teams_app(settings: Settings, token: Callable[[], str]) -> App:
    """The App for TEAMS_APP_ID, its own token from `token` (a source of bearer tokens)."""
    return App(client_id=settings.teams_app_id, cloud=cloud_for(settings), tenant_id=settings.teams_tenant_id or None,
               token=sdk_token(token))


class TeamsASGI:
    """The SDK's FastAPI app serving POST /api/messages, after `app.initialize()` on the serving loop
    (done on the first request, so the worker's own event loop owns whatever the SDK opens; a lock
    makes concurrent first requests wait for the one initialization)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._inner: Any = None
        self._lock: asyncio.Lock | None = None  # made on the serving loop, not at import

    async def ready(self) -> Any:
        if self._inner is None:
            if self._lock is None:
                self._lock = asyncio.Lock()
            async with self._lock:
                if self._inner is None:
                    await self.app.initialize()
                    self._inner = self.app.server.adapter.app
        return self._inner

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await (await self.ready())(scope, receive, send)
