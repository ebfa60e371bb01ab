"""Checks of the settings' values, one per variable: each returns the value to use or raises
ConfigError with a sentence naming the variable and the fix (bot/config.py reads them)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
KEYGEN = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""


def validate_client(client_id: str, client_secret: str) -> tuple[str, str]:
    if client_id and not client_secret:
        raise ConfigError("SLACK_CLIENT_SECRET is not set: copy the Client Secret from your Slack app's "
                          "Basic Information page, or unset SLACK_CLIENT_ID for a single workspace")
    if client_secret and not client_id:
        raise ConfigError("SLACK_CLIENT_ID is not set: copy the Client ID from your Slack app's "
                          "Basic Information page, or unset SLACK_CLIENT_SECRET for a single workspace")
    return client_id, client_secret


def validate_secret_keys(value: str) -> tuple[str, ...]:
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


def url_refusal(value: str, *, loopback_http: bool) -> str:
    """Why `value` is not a usable endpoint ("" if it is): parsed, not prefix-matched, so
    `http://127.0.0.1:80@evil.example.org/` is evil's host. https anywhere; with `loopback_http`, http
    on a loopback host (the tests' emulators: localhost, 127.0.0.0/8, [::1]) too."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "is not a URL"
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or re.search(r"[\s\x00-\x1f]", value):
        return "is not an http(s) URL with a host"
    if parts.username is not None:
        return "must not carry a user name or password"
    if parts.scheme == "http" and loopback_http and not is_loopback(host):
        return "must be an https URL (http only on a loopback host such as 127.0.0.1, for tests)"
    return ""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_endpoint(name: str, value: str, example: str) -> str:
    """A URL the bot calls or sends people to: https, http only on loopback; one line naming `name`."""
    refusal = url_refusal(value, loopback_http=True) if value else ""
    if refusal:
        raise ConfigError(f"{name}={value!r} {refusal}; {example}")
    return value


def validate_authorize_url(value: str) -> str:
    return validate_endpoint("SLACK_AUTHORIZE_URL", value, f"e.g. {DEFAULT_AUTHORIZE_URL} (GovSlack's for GovSlack)")


def validate_test_url(name: str, value: str) -> str:
    """A test-only override (the Teams endpoints): unset in production."""
    return validate_endpoint(name, value, "unset it in production")


def normalize_database_url(url: str) -> str:
    """Accept Heroku's postgres:// and plain postgresql://, and use psycopg 3 for both."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def validate_cron(value: str) -> str:
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


def validate_timezone(value: str) -> str:
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


def validate_port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"PORT={value!r} is not a TCP port number (1-65535)")
    return int(value)


def validate_nudge_days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 365:
        raise ConfigError(f"QUESTION_NUDGE_DAYS={value!r} must be a whole number of days from 1 to 365")
    return int(value)


def validate_database_url(value: str) -> str:
    url = normalize_database_url(value)
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError(
            "DATABASE_URL must be a sqlite:/// or postgres:// URL, "
            "e.g. sqlite:///roundtable.db or postgres://user@host/db"
        )
    return url


def validate_api_url(value: str) -> str:
    value = validate_endpoint("SLACK_API_URL", value, f"e.g. {DEFAULT_API_URL}")
    return value if value.endswith("/") else value + "/"


def validate_user_ids(value: str) -> frozenset[str]:
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [i for i in ids if not i.isalnum() or i[0] not in "UW"]
    if bad:
        raise ConfigError(
            f"MODERATOR_USER_IDS has {bad[0]!r}, which is not a Slack user ID (like U0123ABCD)"
        )
    return frozenset(ids)


def validate_team_ids(value: str) -> frozenset[str]:
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [i for i in ids if not i.replace("-", "").isalnum()]
    if bad:
        raise ConfigError(f"EXCHANGE_TEAM_IDS has {bad[0]!r}, which is not a workspace ID (like T0123ABCD)")
    return frozenset(ids)


def validate_log_level(value: str) -> str:
    level = value.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"LOG_LEVEL={value!r} must be one of DEBUG, INFO, WARNING, ERROR")
    return level


def validate_url(name: str, value: str) -> str:
    refusal = url_refusal(value, loopback_http=False) if value else ""
    if refusal:
        raise ConfigError(f"{name}={value!r} {refusal}, e.g. https://roundtable.example.org")
    return value


def validate_flag(name: str, value: str) -> bool:
    if value not in ("0", "1"):
        raise ConfigError(f"{name}={value!r} must be 0 or 1")
    return value == "1"
