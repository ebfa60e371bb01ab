"""Slack as a platform: the Web API client shared by listeners and jobs, and `SlackChat`, the
bot's one implementation of `bot.chat.Chat` on it."""

from __future__ import annotations

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

from bot.chat import ChatError, DeliveryKey, FormView, Member, Outgoing, Workspace
from bot.config import Settings
from bot.messages import Message, Part
from bot.render import slack

log = logging.getLogger("roundtable.slack")
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


METADATA_EVENT = "roundtable_delivery"
HISTORY_PAGES = 5  # up to 1000 recent messages are searched for a post whose outcome is unknown
HISTORY_PAGE_SIZE = 200


def _payload(message: Outgoing) -> dict[str, Any]:
    return slack.message(message) if isinstance(message, Message) else dict(message)


def chat_error(error: SlackApiError) -> ChatError:
    status = error.response.status_code
    body = error.response.data if isinstance(error.response.data, dict) else {}
    retry_after = float(error.response.headers.get("Retry-After", "1") or 1) if status == 429 else 0.0
    return ChatError(str(body.get("error") or f"HTTP {status}"), status=status, retry_after=retry_after)


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

    def _call(self, method: Callable[..., Any], **args: Any) -> Any:
        try:
            return method(**args)
        except SlackApiError as error:
            raise chat_error(error) from error

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

    def open_form(self, trigger: str, form: FormView) -> str:
        return str(self._call(self.client.views_open, trigger_id=trigger, view=form)["view"]["id"])

    def update_form(self, form_id: str, form: FormView) -> None:
        self._call(self.client.views_update, view_id=form_id, view=form)

    def publish_home(self, user_id: str, parts: tuple[Part, ...]) -> None:
        self._call(self.client.views_publish, user_id=user_id, view=slack.home_view(parts))

    def send_file(self, user_id: str, filename: str, content: str, title: str, comment: str) -> None:
        self._call(self.client.files_upload_v2, channel=self.direct_channel(user_id), filename=filename,
                   content=content, title=title, initial_comment=comment)

    def member(self, user_id: str) -> Member | None:
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            log.warning("users.info %s failed: %s", user_id, error.response.get("error"))
            return None
        profile = user.get("profile") or {}
        name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
                or user.get("name") or "")
        return Member(user_id, str(name), str(user.get("tz") or ""), bool(user.get("is_admin") or user.get("is_owner")))
