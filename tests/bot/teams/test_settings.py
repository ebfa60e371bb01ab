"""Teams settings: both credentials or neither; the test-only overrides refuse http:// off loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_serving_teams_needs_both_the_app_id_and_the_password() -> None:
    with pytest.raises(ConfigError, match="TEAMS_APP_PASSWORD is not set"):
        load_settings({"TEAMS_APP_ID": "app"}, dotenv=False).require_teams()
    with pytest.raises(ConfigError, match="TEAMS_APP_ID is not set"):
        load_settings({"TEAMS_APP_PASSWORD": "pw"}, dotenv=False).require_teams()
    assert not load_settings({"TEAMS_APP_ID": "app"}, dotenv=False).teams  # the package needs only the id
    settings = load_settings({"TEAMS_APP_ID": "app", "TEAMS_APP_PASSWORD": "pw", "TEAMS_TENANT_ID": "t1"},
                             dotenv=False)
    settings.require_teams()
    assert settings.teams and settings.teams_tenant_id == "t1"
    assert "pw" not in repr(settings)


@pytest.mark.parametrize("command", ["serve", "scheduler"])
def test_serve_and_the_scheduler_refuse_half_the_teams_credentials(tmp_path: Path, command: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SLACK_BOT_TOKEN": "xoxb-1",
           "SLACK_SIGNING_SECRET": "s", "TEAMS_APP_ID": "app"}
    done = subprocess.run([sys.executable, "-m", "bot", command], env=env, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and "TEAMS_APP_PASSWORD is not set" in done.stderr


@pytest.mark.parametrize("name", ["TEAMS_OPENID_METADATA_URL", "TEAMS_TOKEN_ISSUER"])
def test_the_test_overrides_refuse_plain_http_outside_loopback(name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: "http://login.example.org/openidconfiguration"}, dotenv=False)
    assert getattr(load_settings({name: "http://127.0.0.1:9/x"}, dotenv=False), name.lower()) == "http://127.0.0.1:9/x"
    assert getattr(load_settings({name: "https://login.example.org/x"}, dotenv=False), name.lower())
