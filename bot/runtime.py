"""Process set-up shared by every command: logging without secrets, services, the schema."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.config import ConfigError, Settings
from bot.logs import SECRET_PATTERN, Redactor, SafeFormatter
from bot.services import Services, utc_now
from bot.slack import CONNECTION_ERRORS, make_client
from bot.wiring import wire
from storage.db import Database

if TYPE_CHECKING:
    from bot.installs import Installs

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """One line per record, secrets masked in messages and tracebacks alike (bot/logs.py)."""
    redact = Redactor(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter(LOG_FORMAT, redact))  # masks the whole line: no RedactSecrets filter
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def open_database(settings: Settings) -> Database:
    """The database, created or upgraded to the current schema (so a first run needs no extra step).

    A database that cannot be opened is a ConfigError naming DATABASE_URL, never a traceback."""
    url = make_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).resolve().parent
        if not folder.is_dir():
            raise ConfigError(f"DATABASE_URL={shown} is in {folder}, which does not exist: "
                              "create the folder or point DATABASE_URL at an existing one")
    db = Database(settings.database_url)
    try:
        db.upgrade()
    except DBAPIError as exc:
        db.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise ConfigError(f"DATABASE_URL={shown} cannot be opened ({SECRET_PATTERN.sub('[redacted]', reason)}): "
                          "check that the server is running and the URL, user and password") from None
    return db


REFUSED_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


def check_slack_token(settings: Settings) -> str:
    """Ask Slack who the bot token belongs to (`auth.test`; a 429 or 5xx is retried); the team id.

    A refused token or an unreachable Slack is a ConfigError with the fix, before anything listens."""
    quiet = logging.getLogger("roundtable.startup.auth_test")
    quiet.disabled = True  # slack_sdk logs each failed attempt; the ConfigError says it once
    retries = [RateLimitErrorRetryHandler(max_retry_count=2), ServerErrorRetryHandler(max_retry_count=2)]
    client = WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10, retry_handlers=retries,
                       logger=quiet)
    try:
        return str(client.auth_test()["team_id"])
    except SlackApiError as exc:
        error = exc.response.get("error", "") if exc.response is not None else ""
        if error in REFUSED_TOKEN:
            raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({error}): copy the Bot User OAuth "
                              "Token from your app's OAuth & Permissions page into .env again") from None
        raise ConfigError(f"SLACK_API_URL={settings.api_url} answered auth.test with "
                          f"{error or exc.response.status_code}: check SLACK_API_URL") from None
    except (*CONNECTION_ERRORS, ValueError) as exc:  # refused, DNS, timeout, a dropped or cut answer; not JSON
        reason = getattr(exc, "reason", exc)
        raise ConfigError(f"SLACK_API_URL={settings.api_url} cannot be reached ({reason}): check the "
                          "network, proxy settings or SLACK_API_URL") from None


def build_services(settings: Settings) -> Services:
    db = open_database(settings)
    client = make_client(settings)
    return wire(Services(settings=settings, db=db, client=client, installs=make_installs(settings, db, client)))


def make_installs(settings: Settings, db: Database, client: WebClient) -> Installs | None:
    """Distribution mode's installations (None for a single workspace), the host's kept installed."""
    if not settings.distribution:
        return None
    from bot.installs import Installs
    from bot.installs.host import keep_host_installed

    installs = Installs(settings, db.engine, client)
    if settings.bot_token:
        host = keep_host_installed(installs, client)
        if host:  # the host is in the exchange, approved (bot/exchange.py)
            from bot.exchange import admit

            with db.begin() as session:
                admit(session, settings, host, utc_now(), as_host=True)
    return installs
