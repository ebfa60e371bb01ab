"""The Teams SDK's App, built from Settings, and its ASGI app for bot/web.py to mount.

Incoming activities are checked by the SDK's own JWT validation (RS256 against the cloud's
OpenID keys, issuer, audience = TEAMS_APP_ID, `serviceurl` claim = the activity's serviceUrl);
TEAMS_OPENID_METADATA_URL / TEAMS_TOKEN_ISSUER point that check at the tests' emulator through
the SDK's cloud overrides. `token` replaces MSAL for the bot's own token (tests only: MSAL can't
be pointed at a fake).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.apps import App

from bot.config import Settings

MESSAGES_PATH = "/api/messages"


def cloud_for(settings: Settings) -> Any:
    overrides = {name: value for name, value in (("openid_metadata_url", settings.teams_openid_metadata_url),
                                                  ("token_issuer", settings.teams_token_issuer)) if value}
    return with_overrides(PUBLIC, **overrides) if overrides else PUBLIC


def build_teams_app(settings: Settings, token: Callable[..., Any] | None = None) -> App:
    """The App for TEAMS_APP_ID; with `token`, the bot's own token comes from it instead of MSAL."""
    options: dict[str, Any] = {"client_id": settings.teams_app_id, "cloud": cloud_for(settings),
                               "tenant_id": settings.teams_tenant_id or None}
    if token is not None:
        options["token"] = token
    else:
        options["client_secret"] = settings.teams_app_password
    return App(**options)


class TeamsASGI:
    """The SDK's FastAPI app serving POST /api/messages, after `app.initialize()` on the serving loop
    (done on the first request, so the worker's own event loop owns whatever the SDK opens)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._inner: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._inner is None:
            await self.app.initialize()
            self._inner = self.app.server.adapter.app
        await self._inner(scope, receive, send)
