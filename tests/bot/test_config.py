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
