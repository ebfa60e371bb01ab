"""Slack as a platform: the Web API client shared by listeners and jobs, and `SlackChat`, the
bot's one implementation of `bot.chat.Chat` on it."""

from __future__ import annotations

import http.client
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.chat import ChatError, DeliveryKey, Member, Outgoing, Workspace
from bot.config import Settings
from bot.forms import Form
from bot.keepalive import KeptAliveWebClient
from bot.messages import Message, Part
from bot.render import slack, slack_forms

log = logging.getLogger("roundtable.slack")
API_TIMEOUT_SECONDS = 10


# Slack's answers for a token that no longer works (uninstalled, revoked, expired)
DEAD_TOKEN_ERRORS = frozenset({"token_revoked", "token_expired", "invalid_auth", "account_inactive",
                               "not_authed", "team_not_found"})


def with_token(client: WebClient, token: str | None) -> WebClient:
    """A copy of `client` (its class, URL, timeout, retry handlers) that speaks with `token`."""
    return type(client)(token=token, base_url=client.base_url, timeout=client.timeout,
                     retry_handlers=list(client.retry_handlers))


def make_client(settings: Settings, *, retry_connection_errors: bool = True) -> WebClient:
    """A WebClient on `SLACK_API_URL` that waits out 429s (Retry-After) and retries 500/503.

    Deliveries whose outcome must be known exactly (chat.postMessage from the outbox) pass
    `retry_connection_errors=False`: a dropped connection after the request was sent may have posted.
    Connections are kept alive between calls (bot/keepalive.py).
    """
    handlers = [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    if retry_connection_errors:
        handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return KeptAliveWebClient(
        token=settings.bot_token or None,
        base_url=settings.api_url,
        timeout=API_TIMEOUT_SECONDS,
        retry_handlers=handlers,
    )


METADATA_EVENT = "roundtable_delivery"
HISTORY_PAGES = 5  # up to 1000 recent messages are searched for a post whose outcome is unknown
HISTORY_PAGE_SIZE = 200


def _payload(message: Outgoing) -> dict[str, Any]:
    return slack.message(message) if isinstance(message, Message) else dict(message)


# what urllib (under slack-sdk) raises when a connection is refused, reset, cut short or times out:
# URLError, TimeoutError and ConnectionError are OSErrors; IncompleteRead and BadStatusLine are not
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


def chat_error(error: SlackApiError | OSError | http.client.HTTPException) -> ChatError:
    if not isinstance(error, SlackApiError):
        return ChatError(f"connection failed: {type(error).__name__}", status=0, dropped=True)
    status = error.response.status_code
    body = error.response.data if isinstance(error.response.data, dict) else {}
    retry_after = float(error.response.headers.get("Retry-After", "1") or 1) if status == 429 else 0.0
    return ChatError(str(body.get("error") or f"HTTP {status}"), status=status, retry_after=retry_after)


def call(method: Callable[..., Any], **args: Any) -> Any:
    """A Web API call whose every failure is a ChatError: Slack's refusal, or a dropped connection."""
    try:
        return method(**args)
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        raise chat_error(error) from error


def metadata_for(key: DeliveryKey) -> dict[str, Any]:
    """The message metadata by which a post whose outcome was unknown is recognised."""
    return {"event_type": METADATA_EVENT, "event_payload": {"kind": key.kind, "key": key.key, "team_id": key.team_id}}


def _carries(posted: dict[str, Any], key: DeliveryKey) -> bool:
    metadata = posted.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return (metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key.key
            and payload.get("kind") == key.kind)


class SlackChat:
    """`bot.chat.Chat` on Slack's Web API: messages rendered as Block Kit (bot/render/slack.py)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    _call = staticmethod(call)

    def post(self, channel: str, message: Outgoing, *, thread: str = "", key: DeliveryKey | None = None) -> str:
        args = _payload(message)
        if thread:
            args["thread_ts"] = thread
        if key is not None:
            args["metadata"] = metadata_for(key)
        return str(self._call(self.client.chat_postMessage, channel=channel, **args)["ts"])

    def update(self, channel: str, ref: str, message: Outgoing) -> None:
        self._call(self.client.chat_update, channel=channel, ts=ref, **_payload(message))

    def post_private(self, channel: str, user_id: str, message: Outgoing, *, thread: str = "") -> None:
        args = _payload(message) | ({"thread_ts": thread} if thread else {})
        self._call(self.client.chat_postEphemeral, channel=channel, user=user_id, **args)

    def delete(self, channel: str, ref: str) -> None:
        self._call(self.client.chat_delete, channel=channel, ts=ref)

    def react(self, channel: str, ref: str, name: str) -> None:
        self._call(self.client.reactions_add, channel=channel, timestamp=ref, name=name)

    def send_direct(self, user_id: str, message: Outgoing) -> str:
        return self.post(user_id, message)

    def permalink(self, channel: str, ref: str) -> str:
        return str(self._call(self.client.chat_getPermalink, channel=channel, message_ts=ref).get("permalink") or "")

    def direct_channel(self, user_id: str) -> str:
        return str(self._call(self.client.conversations_open, users=user_id)["channel"]["id"])

    def find_posted(self, channel: str, key: DeliveryKey, since: datetime, *, thread: str = "") -> str | None:
        cursor = None
        for _ in range(HISTORY_PAGES):
            if thread:
                page = self._call(self.client.conversations_replies, channel=channel, ts=thread,
                                  limit=HISTORY_PAGE_SIZE, include_all_metadata=True, cursor=cursor)
            else:
                page = self._call(self.client.conversations_history, channel=channel,
                                  oldest=f"{since.timestamp():.6f}", limit=HISTORY_PAGE_SIZE,
                                  include_all_metadata=True, cursor=cursor)
            for posted in page.get("messages") or []:
                if _carries(posted, key):
                    return str(posted.get("ts"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None
        return None

    def workspace(self) -> Workspace:
        found = self._call(self.client.auth_test)
        return Workspace(str(found["team_id"]), str(found.get("url") or ""))

    def open_form(self, trigger: str, form: Form) -> str:
        view = slack_forms.view(form)
        return str(self._call(self.client.views_open, trigger_id=trigger, view=view)["view"]["id"])

    def update_form(self, form_id: str, form: Form) -> None:
        self._call(self.client.views_update, view_id=form_id, view=slack_forms.view(form))

    def publish_home(self, user_id: str, parts: tuple[Part, ...]) -> None:
        self._call(self.client.views_publish, user_id=user_id, view=slack.home_view(parts))

    def send_file(self, user_id: str, filename: str, content: str, title: str, comment: str) -> None:
        self._call(self.client.files_upload_v2, channel=self.direct_channel(user_id), filename=filename,
                   content=content, title=title, initial_comment=comment)

    def member(self, user_id: str) -> Member | None:
        try:
            user = self._call(self.client.users_info, user=user_id)["user"]
        except ChatError as error:
            log.warning("users.info %s failed: %s", user_id, error.code)
            return None
        profile = user.get("profile") or {}
        name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
                or user.get("name") or "")
        return Member(user_id, str(name), str(user.get("tz") or ""), bool(user.get("is_admin") or user.get("is_owner")))
