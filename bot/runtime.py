"""Process set-up shared by every command: logging without secrets, services, the schema."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.config import Settings
from bot.logs import Redactor, RedactSecrets, SafeFormatter
from bot.services import Services
from bot.slack import make_client
from storage.db import Database

if TYPE_CHECKING:
    from bot.installs import Installs

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """One line per record, secrets masked in messages and tracebacks alike (bot/logs.py)."""
    redact = Redactor(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter(LOG_FORMAT, redact))
    handler.addFilter(RedactSecrets(redact))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def open_database(settings: Settings) -> Database:
    """The database, created or upgraded to the current schema (so a first run needs no extra step)."""
    db = Database(settings.database_url)
    db.upgrade()
    return db


def build_services(settings: Settings) -> Services:
    db = open_database(settings)
    client = make_client(settings)
    return Services(settings=settings, db=db, client=client, installs=make_installs(settings, db, client))


def make_installs(settings: Settings, db: Database, client: WebClient) -> Installs | None:
    """Distribution mode's installations (None for a single workspace), the host's kept installed."""
    if not settings.distribution:
        return None
    from bot.installs import Installs
    from bot.installs.host import keep_host_installed

    installs = Installs(settings, db.engine, client)
    if settings.bot_token:
        keep_host_installed(installs, client)
    return installs
