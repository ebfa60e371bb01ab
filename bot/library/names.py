"""Names and card links the library shows, asked of Slack and remembered for a while."""

from __future__ import annotations

import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.members import member_name

KEEP_SECONDS = 600


class Names:
    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._cache: dict[tuple[str, ...], tuple[float, str]] = {}
        self._lock = threading.Lock()

    def _remembered(self, key: tuple[str, ...]) -> str | None:
        with self._lock:
            found = self._cache.get(key)
        return found[1] if found and found[0] > time.monotonic() else None

    def _remember(self, key: tuple[str, ...], value: str) -> str:
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (time.monotonic() + KEEP_SECONDS, value)
        return value

    def name(self, user_id: str) -> str:
        found = self._remembered(("name", user_id))
        return found if found is not None else self._remember(("name", user_id), member_name(self.client, user_id))

    def permalink(self, channel_id: str, message_ts: str) -> str:
        """The card's https link (chat.getPermalink); "" when Slack cannot give one."""
        key = ("link", channel_id, message_ts)
        found = self._remembered(key)
        if found is not None:
            return found
        try:
            link = str(self.client.chat_getPermalink(channel=channel_id, message_ts=message_ts)["permalink"])
        except (SlackApiError, OSError):  # refused or unreachable: the page shows no link
            return ""
        return self._remember(key, link if link.startswith("https://") else "")
