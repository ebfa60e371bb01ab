"""Names and card links the library shows, asked of Slack and remembered for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient

from bot.chat import ChatError
from bot.members import member_name
from bot.slack import call

KEEP_SECONDS = 600


class Names:
    """Each workspace's members and cards are asked of Slack with that workspace's token (`client_for`,
    Services.client_for): the host's token cannot see another workspace's people or channels."""

    def __init__(self, client_for: Callable[[str], WebClient]) -> None:
        self.client_for = client_for
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

    def name(self, team_id: str, user_id: str) -> str:
        key = ("name", team_id, user_id)
        found = self._remembered(key)
        if found is not None:
            return found
        try:
            client = self.client_for(team_id)
        except LookupError:  # the workspace uninstalled: its members go unnamed
            return ""
        return self._remember(key, member_name(client, user_id))

    def permalink(self, team_id: str, channel_id: str, message_ts: str) -> str:
        """The card's https link (chat.getPermalink); "" when Slack cannot give one."""
        key = ("link", team_id, channel_id, message_ts)
        found = self._remembered(key)
        if found is not None:
            return found
        try:
            client = self.client_for(team_id)
            link = str(call(client.chat_getPermalink, channel=channel_id, message_ts=message_ts)["permalink"])
        except (ChatError, LookupError):  # refused, unreachable or uninstalled: no link
            return ""
        return self._remember(key, link if link.startswith("https://") else "")
