from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings, normalize_database_url
from tests.harness import ROOT


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


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=60)


def test_bad_setting_stops_with_one_line_and_status_2(tmp_path) -> None:
    result = run_cli("db", "upgrade", BOT_TIMEZONE="Nowhere/Else",
                     DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "BOT_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_token_stops_with_status_2() -> None:
    result = run_cli("serve", SLACK_SIGNING_SECRET="x")
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_schema_and_roundup_prints_on_an_empty_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    assert run_cli("db", "upgrade", DATABASE_URL=url).returncode == 0
    result = run_cli("roundup", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "Roundtable roundup, week of" in result.stdout
