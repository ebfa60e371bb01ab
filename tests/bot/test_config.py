from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings
from bot.settings_checks import normalize_database_url


def test_defaults_need_nothing() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite:///roundtable.db"
    assert settings.api_url == "https://slack.com/api/"
    assert settings.roundup_cron == "0 9 * * mon"
    assert settings.timezone == "America/New_York"
    assert (settings.host, settings.port) == ("0.0.0.0", 3000)


@pytest.mark.parametrize("url", ["postgres://u:p@db:5432/rt", "postgresql://u:p@db:5432/rt"])
def test_heroku_and_plain_postgres_urls_use_psycopg3(url: str) -> None:
    assert normalize_database_url(url) == "postgresql+psycopg://u:p@db:5432/rt"
    assert load_settings({"DATABASE_URL": url}).database_url.startswith("postgresql+psycopg://")


def test_moderators_are_a_set_of_ids() -> None:
    settings = load_settings({"MODERATOR_USER_IDS": "U01, U02 ,,"})
    assert settings.moderator_user_ids == {"U01", "U02"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROUNDUP_CRON", "every monday"),
        ("ROUNDUP_CRON", "0 9 * * 8"),  # crontab days are 0-7
        ("ROUNDUP_CRON", "0 9 * * 5-1"),
        ("BOT_TIMEZONE", "Mars/Olympus"),
        ("PORT", "http"),
        ("DATABASE_URL", "mysql://x"),
        ("SLACK_API_URL", "slack.com/api"),
        ("MODERATOR_USER_IDS", "U01,<!everyone>"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_malformed_setting_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_tokens_are_not_in_the_settings_repr() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-secret-1", "SLACK_SIGNING_SECRET": "shh"})
    assert "xoxb-secret-1" not in repr(settings)
    assert "shh" not in repr(settings)


@pytest.mark.parametrize(
    ("value", "place"),
    [("EST", "America/New_York"), ("est", "America/New_York"), ("EST5EDT", "America/New_York"),
     ("CST", "America/Chicago"), ("CST6CDT", "America/Chicago"), ("MST", "America/Denver"),
     ("PST8PDT", "America/Los_Angeles"), ("HST", "Pacific/Honolulu"), ("PDT", "America/Los_Angeles"),
     ("Etc/GMT+5", "America/New_York")],
)
def test_a_fixed_offset_zone_is_refused_with_the_iana_name_to_use(value: str, place: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"BOT_TIMEZONE": value})
    assert f"BOT_TIMEZONE={place}" in str(refused.value)
    assert "fixed offset" in str(refused.value)


@pytest.mark.parametrize("value", ["America/Chicago", "UTC", "Europe/Paris", "Pacific/Honolulu"])
def test_places_and_utc_are_accepted(value: str) -> None:
    assert load_settings({"BOT_TIMEZONE": value}).timezone == value


ENDPOINTS = ["SLACK_API_URL", "SLACK_AUTHORIZE_URL", "SLACK_OPENID_AUTHORIZE_URL", "TEAMS_OPENID_METADATA_URL",
             "TEAMS_TOKEN_ISSUER", "TEAMS_TOKEN_URL", "TEAMS_GRAPH_URL", "TEAMS_LOGIN_URL"]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("value", [
    "http://slack.example.org/api/",  # plain http off loopback
    "http://127.0.0.1:80@evil.example.org/x",  # loopback only in the user part: the host is evil's
    "http://127.0.0.1.evil.example.org/x", "http://localhost.evil.example.org:8080/x",
    "https:///api/", "https://", "ftp://127.0.0.1/x", "127.0.0.1:9/x", "https://host:port/x", "https://a b/x",
])
def test_an_endpoint_is_https_or_loopback_http_and_a_bad_one_is_one_line_naming_it(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({name: value})
    message = str(refused.value)
    assert message.startswith(f"{name}=") and "\n" not in message


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("value", ["https://login.example.org/x", "http://127.0.0.1:9/x", "http://localhost:9/x",
                                   "http://[::1]:9/x", "http://127.0.0.2:9/x", "HTTPS://Slack.com/api/"])
def test_https_anywhere_and_http_on_loopback_are_accepted(name: str, value: str) -> None:
    loaded = getattr(load_settings({name: value}), {"SLACK_API_URL": "api_url", "SLACK_AUTHORIZE_URL": "authorize_url"}
                     .get(name, name.lower().removeprefix("slack_")))
    assert loaded.rstrip("/") == value.rstrip("/")


def test_the_library_url_needs_a_host() -> None:
    for value in ("https://", "http://:80/x", "library.example.org"):
        with pytest.raises(ConfigError, match="^LIBRARY_URL="):
            load_settings({"LIBRARY_URL": value})
    assert load_settings({"LIBRARY_URL": "https://roundtable.example.org"}).library_url
