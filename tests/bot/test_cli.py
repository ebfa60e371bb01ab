"""The CLI as an operator runs it: exit codes, one-line errors, commands on an empty database."""

from __future__ import annotations

import subprocess
import sys

from bot.emulator import SlackEmulator
from tests.harness import BOT_TOKEN, ROOT


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


def test_roundup_post_reaches_the_web_api(tmp_path, emulator: SlackEmulator) -> None:
    result = run_cli("roundup", "--post", "--channel", "C0ROUNDUP", DATABASE_URL=f"sqlite:///{tmp_path}/r.db",
                     SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=emulator.api_url)
    assert result.returncode == 0, result.stderr
    posted = emulator.wait_for("chat.postMessage")[0].args
    assert posted["channel"] == "C0ROUNDUP"
    assert "Roundtable roundup" in posted["text"]
    assert BOT_TOKEN not in result.stderr + result.stdout


def test_roundup_post_without_a_channel_says_which_setting(tmp_path, emulator: SlackEmulator) -> None:
    result = run_cli("roundup", "--post", DATABASE_URL=f"sqlite:///{tmp_path}/r.db",
                     SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=emulator.api_url)
    assert result.returncode == 2
    assert "ROUNDUP_CHANNEL" in result.stderr


def test_socket_mode_needs_an_app_token() -> None:
    result = run_cli("serve", "--socket", SLACK_BOT_TOKEN=BOT_TOKEN)
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr


def test_scheduler_stops_cleanly_on_sigterm(tmp_path, emulator: SlackEmulator) -> None:
    """SIGTERM right as the first tick submits every job (where a raising handler used to be lost)."""
    import signal as signals

    from tests.harness import wait_until

    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DATABASE_URL": f"sqlite:///{tmp_path}/s.db",
           "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.api_url, "LOG_LEVEL": "INFO"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "scheduler"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        wait_until(lambda: lines.append(process.stdout.readline()) or "scheduler running" in lines[-1],
                   timeout=30)
        process.send_signal(signals.SIGTERM)
        output = process.communicate(timeout=30)[0]
    finally:  # a test that fails or times out never leaves its scheduler running
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, "".join(lines) + output
    assert "scheduler stopped" in output
    assert "Error submitting job" not in output


def test_every_configured_secret_is_masked_teams_password_included() -> None:
    from bot.cli import secrets
    from bot.config import load_settings

    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "signing-secret-1",
                              "TEAMS_APP_ID": "app", "TEAMS_APP_PASSWORD": "Tz8Q~teams.app-password"}, dotenv=False)
    assert {"signing-secret-1", "Tz8Q~teams.app-password"} <= set(secrets(settings))
