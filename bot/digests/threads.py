"""Reading a whole Slack thread, page by page, and the member names a digest quotes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.chat import ChatError
from bot.slack import call

MAX_THREAD_MESSAGES = 1000  # a digest of a longer thread reads its first thousand messages
PAGE_LIMIT = 200  # conversations.replies' documented maximum page size
MAX_NAMED_PEOPLE = 20  # users.info calls per digest; the rest are named by their user id


@dataclass
class Thread:
    channel_id: str
    thread_ts: str
    messages: list[dict[str, Any]]
    complete: bool  # False when the thread was longer than MAX_THREAD_MESSAGES


def read_thread(client: WebClient, channel_id: str, thread_ts: str,
                max_messages: int = MAX_THREAD_MESSAGES) -> Thread:
    """Every message of the thread, parent first, following `next_cursor` until the end.

    ChatError when Slack refuses (`not_in_channel`, ...) or the connection drops."""
    messages: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = call(client.conversations_replies, channel=channel_id, ts=thread_ts, limit=PAGE_LIMIT,
                    cursor=cursor or None)
        messages.extend(page.get("messages") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
        if not (page.get("has_more") and cursor) or len(messages) >= max_messages:
            break
    complete = len(messages) <= max_messages and not (page.get("has_more") and cursor)
    return Thread(channel_id, thread_ts, messages[:max_messages], complete)


def member_names(client: WebClient, user_ids: list[str], limit: int = MAX_NAMED_PEOPLE) -> dict[str, str]:
    """Display names for the first `limit` people; unknown people are left out (callers show the id)."""
    names: dict[str, str] = {}
    for user_id in user_ids[:limit]:
        try:
            user = call(client.users_info, user=user_id)["user"]
        except ChatError as error:
            if error.dropped:
                break  # Slack unreachable: the rest are named by their id too, without waiting on each
            continue
        profile = user.get("profile") or {}
        name = (user.get("real_name") or profile.get("real_name") or profile.get("display_name")
                or user.get("name"))
        if name:
            names[user_id] = str(name)
    return names
