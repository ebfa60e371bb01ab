"""One settings object, read once from the environment and `.env`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
KEYGEN = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
DEFAULT_DATABASE_URL = "sqlite:///roundtable.db"
DEFAULT_OPENID_AUTHORIZE_URL = "https://slack.com/openid/connect/authorize"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    moderator_user_ids: frozenset[str] = frozenset()
    roundup_channel: str = ""
    roundup_cron: str = "0 9 * * mon"
    timezone: str = "America/New_York"
    log_level: str = "INFO"
    host: str = "0.0.0.0"
    port: int = 3000
    question_nudge_days: int = 3
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    authorize_url: str = DEFAULT_AUTHORIZE_URL
    secret_keys: tuple[str, ...] = field(default=(), repr=False)
    library_public: bool = False
    library_url: str = ""
    openid_authorize_url: str = DEFAULT_OPENID_AUTHORIZE_URL
    teams_app_id: str = ""
    teams_app_password: str = field(default="", repr=False)
    teams_tenant_id: str = ""  # "" = multi-tenant
    teams_openid_metadata_url: str = ""  # test only: "" = Bot Framework's
    teams_token_issuer: str = ""  # test only: "" = https://api.botframework.com

    @property
    def teams(self) -> bool:
        """Serving Microsoft Teams at POST /api/messages (TEAMS_APP_ID and TEAMS_APP_PASSWORD set)."""
        return bool(self.teams_app_id and self.teams_app_password)
    exchange_team_ids: frozenset[str] = frozenset()  # approved on install
    exchange_host_team_id: str = ""  # default: the first workspace installed

    @property
    def distribution(self) -> bool:
        """Installed by many workspaces through OAuth (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set)."""
        return bool(self.client_id and self.client_secret)

    def require_slack(self, *, socket_mode: bool = False, receives_requests: bool = True) -> None:
        """Fail fast when a command that talks to Slack lacks its credentials."""
        if self.distribution:
            _require_distribution(self, socket_mode=socket_mode)
        else:
            _require_token("SLACK_BOT_TOKEN", self.bot_token, "xoxb-")
        if socket_mode:
            _require_token("SLACK_APP_TOKEN", self.app_token, "xapp-")
        elif receives_requests and not self.signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's "
                "Basic Information page into .env"
            )


def _require_token(name: str, value: str, prefix: str) -> None:
    if not value:
        raise ConfigError(f"{name} is not set: put the app's {prefix}... token into .env (see README)")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} must start with {prefix!r}: check that you copied the right token")


def _require_distribution(settings: Settings, *, socket_mode: bool) -> None:
    if not settings.secret_keys:
        raise ConfigError("ROUNDTABLE_SECRET_KEY is not set: distribution mode (SLACK_CLIENT_ID) encrypts "
                          f"the workspaces' tokens with it; make one with {KEYGEN}")
    if socket_mode:
        raise ConfigError("SLACK_APP_TOKEN is set, but distribution mode (SLACK_CLIENT_ID) installs over "
                          "HTTP (/slack/install): unset SLACK_APP_TOKEN and serve HTTP")
    if settings.bot_token:  # optional here: the host workspace's token, kept from single-workspace mode
        _require_token("SLACK_BOT_TOKEN", settings.bot_token, "xoxb-")


def _validate_client(client_id: str, client_secret: str) -> tuple[str, str]:
    if client_id and not client_secret:
        raise ConfigError("SLACK_CLIENT_SECRET is not set: copy the Client Secret from your Slack app's "
                          "Basic Information page, or unset SLACK_CLIENT_ID for a single workspace")
    if client_secret and not client_id:
        raise ConfigError("SLACK_CLIENT_ID is not set: copy the Client ID from your Slack app's "
                          "Basic Information page, or unset SLACK_CLIENT_SECRET for a single workspace")
    return client_id, client_secret


def _validate_secret_keys(value: str) -> tuple[str, ...]:
    """Fernet keys, newest first; the message never repeats a key."""
    from cryptography.fernet import Fernet

    keys = tuple(part.strip() for part in value.split(",") if part.strip())
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise ConfigError(
                f"ROUNDTABLE_SECRET_KEY: key {number} of {len(keys)} is not a Fernet key "
                f"(32 url-safe base64-encoded bytes); make one with {KEYGEN}"
            ) from None
    return keys


def _validate_authorize_url(value: str) -> str:
    loopback = value.startswith(("http://127.0.0.1:", "http://localhost:"))  # the tests' emulator
    if not (value.startswith("https://") or loopback):
        raise ConfigError(f"SLACK_AUTHORIZE_URL={value!r} must be an https URL, e.g. {DEFAULT_AUTHORIZE_URL}")
    return value


def _validate_teams(app_id: str, password: str) -> tuple[str, str]:
    if bool(app_id) != bool(password):
        missing = "TEAMS_APP_PASSWORD" if app_id else "TEAMS_APP_ID"
        raise ConfigError(f"{missing} is not set: Teams needs both TEAMS_APP_ID and TEAMS_APP_PASSWORD "
                          "(the bot's Microsoft app id and client secret), or neither")
    return app_id, password


def _validate_test_url(name: str, value: str) -> str:
    """A test-only override: https anywhere, http only on loopback (the tests' emulator)."""
    loopback = value.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:"))
    if value and not (value.startswith("https://") or loopback):
        raise ConfigError(f"{name}={value!r} must be an https URL (http only on 127.0.0.1, for tests); "
                          "unset it in production")
    return value


def normalize_database_url(url: str) -> str:
    """Accept Heroku's postgres:// and plain postgresql://, and use psycopg 3 for both."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _validate_cron(value: str) -> str:
    from bot.roundup.crontab import crontab_trigger

    try:
        crontab_trigger(value)
    except ValueError as exc:
        raise ConfigError(
            f"ROUNDUP_CRON={value!r} is not a 5-field crontab ({exc}); e.g. '0 9 * * mon'"
        ) from None
    return value


# Abbreviations and POSIX-style zones name a fixed offset (or US rules frozen in 1970s tables),
# not a place: a roundup set in EST stays at UTC-5 all summer. Each maps to the place to use.
ZONE_FOR_ABBREVIATION = {
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "EST5EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
    "CT": "America/Chicago", "CST6CDT": "America/Chicago", "MST": "America/Denver",
    "MDT": "America/Denver", "MT": "America/Denver", "MST7MDT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "PST8PDT": "America/Los_Angeles", "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
}


def _validate_timezone(value: str) -> str:
    place = ZONE_FOR_ABBREVIATION.get(value.upper())
    if place is None and re.fullmatch(r"(?i)(etc/)?gmt[+-]\d+", value):
        place = "America/New_York"
    if place is not None:
        note = " (or America/Phoenix, which keeps standard time)" if value.upper() == "MST" else ""
        raise ConfigError(
            f"BOT_TIMEZONE={value!r} is a fixed offset, not a place: use its IANA name, "
            f"BOT_TIMEZONE={place}{note}, so daylight saving is followed"
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory such as America/Indiana
        raise ConfigError(
            f"BOT_TIMEZONE={value!r} is not an IANA time zone; e.g. 'America/New_York'"
        ) from None
    return value


def _validate_port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"PORT={value!r} is not a TCP port number (1-65535)")
    return int(value)


def _validate_nudge_days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 365:
        raise ConfigError(f"QUESTION_NUDGE_DAYS={value!r} must be a whole number of days from 1 to 365")
    return int(value)


def _validate_database_url(value: str) -> str:
    url = normalize_database_url(value)
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError(
            "DATABASE_URL must be a sqlite:/// or postgres:// URL, "
            "e.g. sqlite:///roundtable.db or postgres://user@host/db"
        )
    return url


def _validate_api_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_URL={value!r} must be an http(s) URL, e.g. {DEFAULT_API_URL}")
    return value if value.endswith("/") else value + "/"


def _validate_user_ids(value: str) -> frozenset[str]:
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [i for i in ids if not i.isalnum() or i[0] not in "UW"]
    if bad:
        raise ConfigError(
            f"MODERATOR_USER_IDS has {bad[0]!r}, which is not a Slack user ID (like U0123ABCD)"
        )
    return frozenset(ids)


def _validate_team_ids(value: str) -> frozenset[str]:
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [i for i in ids if not i.replace("-", "").isalnum()]
    if bad:
        raise ConfigError(f"EXCHANGE_TEAM_IDS has {bad[0]!r}, which is not a workspace ID (like T0123ABCD)")
    return frozenset(ids)


def _validate_log_level(value: str) -> str:
    level = value.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"LOG_LEVEL={value!r} must be one of DEBUG, INFO, WARNING, ERROR")
    return level


def _validate_url(name: str, value: str) -> str:
    if value and not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={value!r} must be an http(s) URL, e.g. https://roundtable.example.org")
    return value


def _validate_flag(name: str, value: str) -> bool:
    if value not in ("0", "1"):
        raise ConfigError(f"{name}={value!r} must be 0 or 1")
    return value == "1"


def load_settings(environ: Mapping[str, str] | None = None, dotenv: bool = True) -> Settings:
    """Build Settings from `environ` (default: the process environment plus `.env`)."""
    if environ is None:
        if dotenv:
            load_dotenv(override=False)
        environ = os.environ

    def get(name: str, default: str = "") -> str:
        return environ.get(name, default).strip() or default

    teams_id, teams_password = _validate_teams(get("TEAMS_APP_ID"), get("TEAMS_APP_PASSWORD"))
    client_id, client_secret = _validate_client(get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET"))
    return Settings(
        bot_token=get("SLACK_BOT_TOKEN"),
        signing_secret=get("SLACK_SIGNING_SECRET"),
        app_token=get("SLACK_APP_TOKEN"),
        api_url=_validate_api_url(get("SLACK_API_URL", DEFAULT_API_URL)),
        database_url=_validate_database_url(get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        moderator_user_ids=_validate_user_ids(get("MODERATOR_USER_IDS")),
        roundup_channel=get("ROUNDUP_CHANNEL"),
        roundup_cron=_validate_cron(get("ROUNDUP_CRON", "0 9 * * mon")),
        timezone=_validate_timezone(get("BOT_TIMEZONE", "America/New_York")),
        log_level=_validate_log_level(get("LOG_LEVEL", "INFO")),
        host=get("HOST", "0.0.0.0"),
        port=_validate_port(get("PORT", "3000")),
        question_nudge_days=_validate_nudge_days(get("QUESTION_NUDGE_DAYS", "3")),
        client_id=client_id,
        client_secret=client_secret,
        authorize_url=_validate_authorize_url(get("SLACK_AUTHORIZE_URL", DEFAULT_AUTHORIZE_URL)),
        secret_keys=_validate_secret_keys(get("ROUNDTABLE_SECRET_KEY")),
        library_public=_validate_flag("LIBRARY_PUBLIC", get("LIBRARY_PUBLIC", "0")),
        library_url=_validate_url("LIBRARY_URL", get("LIBRARY_URL")),
        openid_authorize_url=_validate_url("SLACK_OPENID_AUTHORIZE_URL",
                                           get("SLACK_OPENID_AUTHORIZE_URL", DEFAULT_OPENID_AUTHORIZE_URL)),
        teams_app_id=teams_id,
        teams_app_password=teams_password,
        teams_tenant_id=get("TEAMS_TENANT_ID"),
        teams_openid_metadata_url=_validate_test_url("TEAMS_OPENID_METADATA_URL", get("TEAMS_OPENID_METADATA_URL")),
        teams_token_issuer=_validate_test_url("TEAMS_TOKEN_ISSUER", get("TEAMS_TOKEN_ISSUER")),
        exchange_team_ids=_validate_team_ids(get("EXCHANGE_TEAM_IDS")),
        exchange_host_team_id=get("EXCHANGE_HOST_TEAM_ID").strip(),
    )
