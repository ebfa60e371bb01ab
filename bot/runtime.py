"""Process set-up shared by every command: logging without secrets, services, the schema."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.config import Settings
from bot.services import Services
from bot.slack import make_client
from storage.db import Database

if TYPE_CHECKING:
    from bot.installs import Installs

SECRET_PATTERN = re.compile(r"(?:xoxe\.)?xox[abpre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Belt and braces: a token that slips into a log message is masked before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SECRET_PATTERN.search(message):
            record.msg = SECRET_PATTERN.sub("[redacted]", message)
            record.args = None
        return True


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
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
