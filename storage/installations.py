"""Where each workspace's installation lives: slack-sdk's SQLAlchemy stores, tokens encrypted.

The tables are slack-sdk's own (`slack_installations`, `slack_bots`, `slack_oauth_states`),
created by migration 0012, so Bolt's OAuth flow and uninstall listeners use the stores as they
are. Only the token columns differ: they hold Fernet tokens (MultiFernet: the first key of
ROUNDTABLE_SECRET_KEY encrypts, every key decrypts, so a key can be rotated), as TEXT.

`locked_bot` is the one place a bot row is read for rotation: under a row lock on PostgreSQL
(SELECT ... FOR UPDATE) and inside BEGIN IMMEDIATE on SQLite (storage.db), so when several
processes find a token about to expire, one refreshes it and the others read what it saved.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Connection, Engine, Text, TypeDecorator, delete, desc, func, select, update

BOTS_TABLE = "slack_bots"
INSTALLATIONS_TABLE = "slack_installations"
STATES_TABLE = "slack_oauth_states"
TABLES = (INSTALLATIONS_TABLE, BOTS_TABLE, STATES_TABLE)
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
STATE_SECONDS = 600  # an install link works for ten minutes, once

log = logging.getLogger("roundtable.installations")


class UnreadableToken(Exception):  # noqa: N818 - what it is, not that it failed
    """A stored token no key in ROUNDTABLE_SECRET_KEY can decrypt (a key was dropped too early)."""


def cipher(keys: Sequence[str]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


class EncryptedToken(TypeDecorator[str]):
    """A token column: encrypted on the way in, decrypted on the way out."""

    impl = Text
    cache_ok = False  # holds the keys

    def __init__(self, fernet: MultiFernet) -> None:
        super().__init__()
        self.fernet = fernet

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else self.fernet.encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        if value is None:
            return None
        try:
            return self.fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            raise UnreadableToken("a stored Slack token cannot be decrypted with ROUNDTABLE_SECRET_KEY") from None


class InstallationStore(SQLAlchemyInstallationStore):
    """slack-sdk's store with its token columns encrypted at rest."""

    def __init__(self, client_id: str, engine: Engine, keys: Sequence[str]) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=log)
        token = EncryptedToken(cipher(keys))
        for table in (self.bots, self.installations):
            for name in TOKEN_COLUMNS:
                if name in table.c:
                    table.c[name].type = token

    def teams(self) -> list[str]:
        """Every workspace with a bot installed (org-wide installs aside), oldest install first."""
        c = self.bots.c
        query = (select(c.team_id).where(c.client_id == self.client_id, c.team_id.is_not(None),
                                          c.bot_token.is_not(None))
                 .group_by(c.team_id).order_by(func.min(c.installed_at)))
        with self.engine.connect() as conn:
            return [str(team) for team in conn.scalars(query)]

    @contextmanager
    def locked_bot(self, team_id: str, enterprise_id: str | None = None) -> Iterator[LockedBot | None]:
        """The latest bot of a workspace, locked until the block ends; `save` there replaces its tokens."""
        c = self.bots.c
        query = (self.bots.select()
                 .where(c.client_id == self.client_id, c.enterprise_id == enterprise_id, c.team_id == team_id,
                        c.bot_token.is_not(None))
                 .order_by(desc(c.installed_at)).limit(1).with_for_update())
        with self.engine.begin() as conn:
            row = conn.execute(query).mappings().first()
            yield None if row is None else LockedBot(self, conn, row["id"], self.build_bot_entity(row))



class LockedBot:
    def __init__(self, store: InstallationStore, conn: Connection, row_id: int, bot: Bot) -> None:
        self.store, self.conn, self.row_id, self.bot = store, conn, row_id, bot

    def save(self, refreshed: Bot) -> None:
        """New tokens on the locked row, and on the installation rows of the same bot."""
        expires = (datetime.fromtimestamp(refreshed.bot_token_expires_at, tz=UTC).replace(tzinfo=None)
                   if refreshed.bot_token_expires_at is not None else None)
        values = {"bot_token": refreshed.bot_token, "bot_refresh_token": refreshed.bot_refresh_token,
                  "bot_token_expires_at": expires}
        self.conn.execute(update(self.store.bots).where(self.store.bots.c.id == self.row_id).values(**values))
        i = self.store.installations.c
        self.conn.execute(update(self.store.installations)
                          .where(i.client_id == self.store.client_id, i.team_id == self.bot.team_id,
                                 i.enterprise_id == self.bot.enterprise_id, i.bot_id == self.bot.bot_id)
                          .values(**values))


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """Single-use OAuth states that expire after STATE_SECONDS (Bolt binds them to a browser cookie)."""
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine, logger=log)


def forget_expired_states(states: SQLAlchemyOAuthStateStore, now: datetime) -> int:
    """Install links nobody finished leave a row each; drop the expired ones."""
    table = states.oauth_states
    with states.engine.begin() as conn:
        done = conn.execute(delete(table).where(table.c.expire_at <= now.astimezone(UTC).replace(tzinfo=None)))
    return int(done.rowcount or 0)
