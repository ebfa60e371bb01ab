"""Which bot token speaks for a workspace: distribution mode's installations, refreshed before use.

Requests (bot.installs.flow.InstalledBotAuthorize) and scheduled jobs (Services.client_for) both
ask `Installs.bot_for(team_id)`, so a token is found, rotated and cached the same way for both:

- the latest bot of the workspace from slack-sdk's installation store (tokens decrypted);
- when it expires within ROTATE_BEFORE, it is refreshed with slack-sdk's TokenRotator under the
  row's lock (storage.installations.locked_bot): with several processes, one asks Slack and the
  others read the token it saved (Slack's refresh tokens are single-use);
- kept for CACHE_SECONDS per process; a workspace that uninstalled is forgotten at once here
  (handlers/slack/events/installs.py) and within CACHE_SECONDS elsewhere, or as soon as Slack refuses its token.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.config import Settings
from bot.slack import with_token
from storage.installations import InstallationStore, state_store

log = logging.getLogger("roundtable.installs")

ROTATE_BEFORE_MINUTES = 120  # as Bolt: a token expiring within two hours is refreshed before use
CACHE_SECONDS = 60.0


class NotInstalled(LookupError):
    """The workspace has no installation: never installed, or uninstalled."""


@dataclass
class _Cached:
    bot: Bot
    at: float


class Installs:
    def __init__(self, settings: Settings, engine: Engine, api_client: WebClient) -> None:
        self.store = InstallationStore(settings.client_id, engine, settings.secret_keys)
        self.states = state_store(engine)
        self.rotator = TokenRotator(client_id=settings.client_id, client_secret=settings.client_secret,
                                    client=api_client)
        self._cache: dict[str, _Cached] = {}
        self._rotating: dict[str, threading.Lock] = {}  # per workspace: this process's threads queue here
        self._locks = threading.Lock()

    def bot_for(self, team_id: str | None, enterprise_id: str | None = None) -> Bot:
        """The workspace's bot with a token good for at least ROTATE_BEFORE_MINUTES (or none to expire)."""
        if not team_id:
            raise NotInstalled("org-wide installs are not supported yet")
        now = time.time()
        cached = self._cache.get(team_id)
        if cached is not None and now - cached.at < CACHE_SECONDS and _fresh(cached.bot, now):
            return cached.bot
        bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None:
            self.forget(team_id)
            raise NotInstalled(team_id)
        if not _fresh(bot, now):
            bot = self._rotate(team_id, enterprise_id)
        self._cache[team_id] = _Cached(bot, now)
        return bot

    def client_for(self, team_id: str, base: WebClient) -> WebClient:
        """`base` (its URL, timeout, retries) with the workspace's bot token; cheap, as the bot is cached."""
        return with_token(base, self.bot_for(team_id).bot_token)

    def forget(self, team_id: str) -> None:
        self._cache.pop(team_id, None)

    def teams(self) -> list[str]:
        return self.store.teams()

    def _rotate(self, team_id: str, enterprise_id: str | None) -> Bot:
        with self._locks:
            rotating = self._rotating.setdefault(team_id, threading.Lock())
        with rotating, self.store.locked_bot(team_id, enterprise_id) as locked:
            if locked is None:
                raise NotInstalled(team_id)
            refreshed = self.rotator.perform_bot_token_rotation(
                bot=locked.bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES)
            if refreshed is None:  # another process refreshed it while this one waited for the lock
                return locked.bot
            locked.save(refreshed)
        log.info("bot token of %s refreshed; good for %d min", team_id,
                 (int(refreshed.bot_token_expires_at or 0) - int(time.time())) // 60)
        return refreshed


def _fresh(bot: Bot, now: float) -> bool:
    expires = bot.bot_token_expires_at
    return expires is None or expires > now + ROTATE_BEFORE_MINUTES * 60
