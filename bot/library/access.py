"""Who may read the whole library: members of an approved workspace.

Today the approved workspace is the one the bot is installed in (auth.test's team). The
exchange-approval model (a later issue) replaces `approved_workspaces` alone: every page and the
sign-in ask it, and nothing else decides.
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient

from bot.chat import ChatError
from bot.slack import call

log = logging.getLogger("roundtable.library")


class Workspaces:
    """The approved workspaces, asked of Slack once and then remembered (auth.test is per process)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._teams: frozenset[str] | None = None
        self._lock = threading.Lock()

    def approved_workspaces(self) -> frozenset[str]:
        with self._lock:
            if self._teams is None:
                try:
                    self._teams = frozenset({str(call(self.client.auth_test)["team_id"])})
                except ChatError as error:
                    log.warning("library: cannot tell the bot's workspace yet (%s)", error.code)
                    return frozenset()
            return self._teams
