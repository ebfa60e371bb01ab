"""The bot's own token for the Bot Connector, for synchronous senders (the outbox, the scheduler).

OAuth 2.0 client credentials (TEAMS_APP_ID / TEAMS_APP_PASSWORD) at Entra ID's token endpoint for
the tenant (TEAMS_TENANT_ID, else Bot Framework's multi-tenant `botframework.com`), scope
`https://api.botframework.com/.default`: what MSAL does for the SDK, as one plain POST, because MSAL
insists on https and instance discovery and so cannot be pointed at the tests' emulator. The token
is kept until five minutes before it expires; one lock, so concurrent senders ask once. It is never
logged. TEAMS_TOKEN_URL (test only) points the request at the emulator.

The same request gives the app-only Microsoft Graph token a digest needs to read a channel thread
(bot/teams/graph.py): one per tenant, at that tenant's endpoint (`graph_token_url`; TEAMS_LOGIN_URL,
test only, in place of `https://login.microsoftonline.com`), scope `https://graph.microsoft.com/.default`.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import quote

import httpx

from bot.chat import ChatError
from bot.config import Settings

log = logging.getLogger("roundtable.teams")
SCOPE = "https://api.botframework.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
LOGIN_URL = "https://login.microsoftonline.com"
EARLY = 300  # seconds before expiry that a token is renewed
TIMEOUT = 10.0


def token_url(settings: Settings) -> str:
    if settings.teams_token_url:
        return settings.teams_token_url
    return f"https://login.microsoftonline.com/{settings.teams_tenant_id or 'botframework.com'}/oauth2/v2.0/token"


def graph_token_url(settings: Settings, tenant_id: str) -> str:
    """The tenant's own token endpoint: RSC grants are the tenant's, so its Graph token is too."""
    return f"{settings.teams_login_url or LOGIN_URL}/{quote(tenant_id, safe='')}/oauth2/v2.0/token"


class ClientCredentials:
    """A callable giving a valid bearer token; ChatError (busy) when Entra cannot give one now."""

    def __init__(self, settings: Settings, clock: object = time.time, *, url: str = "",
                 scope: str = SCOPE) -> None:
        self.url, self.client_id = url or token_url(settings), settings.teams_app_id
        self._secret = settings.teams_app_password
        self.scope, self._clock = scope, clock
        self._token, self._until = "", 0.0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            if not self._token or self._clock() >= self._until:  # type: ignore[operator]
                self._token, self._until = self._fetch()
            return self._token

    def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._secret,
                "scope": self.scope}
        try:
            answer = httpx.post(self.url, data=form, timeout=TIMEOUT)
        except httpx.HTTPError as error:
            raise ChatError(f"token endpoint unreachable: {type(error).__name__}", status=503) from error
        if answer.status_code != 200:
            log.warning("teams token refused: HTTP %s", answer.status_code)
            raise ChatError(f"token refused: HTTP {answer.status_code}", status=answer.status_code)
        body = answer.json()
        lifetime = float(body.get("expires_in") or 3600)
        return str(body["access_token"]), self._clock() + max(0.0, lifetime - EARLY)  # type: ignore[operator]
