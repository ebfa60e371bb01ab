"""The Slack Web API client shared by listeners and scheduled jobs."""

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

API_TIMEOUT_SECONDS = 10


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
