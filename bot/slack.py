"""The Slack Web API client shared by listeners and scheduled jobs."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

API_TIMEOUT_SECONDS = 10
# Slack's answers for a token that no longer works (uninstalled, revoked, expired)
DEAD_TOKEN_ERRORS = frozenset({"token_revoked", "token_expired", "invalid_auth", "account_inactive",
                               "not_authed", "team_not_found"})


def make_client(settings: Settings, *, retry_connection_errors: bool = True) -> WebClient:
    """A WebClient on `SLACK_API_URL` that waits out 429s (Retry-After) and retries 500/503.

    Deliveries whose outcome must be known exactly (chat.postMessage from the outbox) pass
    `retry_connection_errors=False`: a dropped connection after the request was sent may have posted.
    """
    handlers = [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    if retry_connection_errors:
        handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return WebClient(
        token=settings.bot_token or None,
        base_url=settings.api_url,
        timeout=API_TIMEOUT_SECONDS,
        retry_handlers=handlers,
    )


def with_token(client: WebClient, token: str | None) -> WebClient:
    """A copy of `client` (URL, timeout, retry handlers) that speaks with `token`."""
    return WebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=list(client.retry_handlers),
    )
