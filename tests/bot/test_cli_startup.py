"""The IT person's first five minutes: `serve` with a setting that cannot work says so in one line.

Each mistake stops with exit status 2 and one line naming the setting and the fix, no traceback,
and nothing is listening: gunicorn's "Listening at" only comes after the token and database checks.
"""

from __future__ import annotations

import socket
import threading
from types import SimpleNamespace

import pytest

from bot.config import ConfigError
from bot.emulator import SlackEmulator
from bot.runtime import check_slack_token
from tests.bot.test_cli import run_cli
from tests.harness import BOT_TOKEN, SIGNING_SECRET, free_port, test_settings


def serve(emulator_url: str, database_url: str, **env: str):
    return run_cli("serve", SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                   SLACK_API_URL=emulator_url, DATABASE_URL=database_url, HOST="127.0.0.1",
                   PORT=str(free_port()), **env)


def assert_one_line_refusal(result, setting: str, fix: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    line = result.stderr.strip()
    assert "\n" not in line, line
    assert line.startswith("roundtable: ") and setting in line and fix in line, line
    assert "Traceback" not in result.stderr + result.stdout
    assert "Listening" not in result.stderr + result.stdout
    assert BOT_TOKEN not in result.stderr + result.stdout


def test_a_token_slack_refuses(tmp_path, emulator: SlackEmulator) -> None:
    emulator.fail("auth.test", error="invalid_auth", times=5)
    result = serve(emulator.api_url, f"sqlite:///{tmp_path}/rt.db")
    assert_one_line_refusal(result, "SLACK_BOT_TOKEN", "OAuth & Permissions")


def test_slack_unreachable(tmp_path) -> None:
    result = serve(f"http://127.0.0.1:{free_port()}/api/", f"sqlite:///{tmp_path}/rt.db")
    assert_one_line_refusal(result, "SLACK_API_URL", "cannot be reached")


def test_a_database_url_in_a_missing_folder(tmp_path, emulator: SlackEmulator) -> None:
    result = serve(emulator.api_url, f"sqlite:///{tmp_path}/no/such/folder/rt.db")
    assert_one_line_refusal(result, "DATABASE_URL", "create the folder")
    assert not (tmp_path / "no").exists()


def test_a_database_that_cannot_be_reached(emulator: SlackEmulator) -> None:
    url = f"postgresql://postgres:hunter2@127.0.0.1:{free_port()}/roundtable"
    result = serve(emulator.api_url, url)
    assert_one_line_refusal(result, "DATABASE_URL", "check that the server is running")
    assert "hunter2" not in result.stderr


@pytest.mark.parametrize("command", [("scheduler",), ("roundup", "--post", "--channel", "C0ROUNDUP")])
def test_the_other_slack_commands_check_the_token_too(tmp_path, emulator: SlackEmulator, command) -> None:
    emulator.fail("auth.test", error="invalid_auth", times=5)
    result = run_cli(*command, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=emulator.api_url,
                     DATABASE_URL=f"sqlite:///{tmp_path}/rt.db")
    assert_one_line_refusal(result, "SLACK_BOT_TOKEN", "OAuth & Permissions")


def test_listening_is_printed_after_the_checks(tmp_path, emulator: SlackEmulator) -> None:
    """The good path still serves: the checks run once, then gunicorn listens."""
    from tests.harness import ServeProcess, bot_env

    server = ServeProcess(bot_env(emulator, f"sqlite:///{tmp_path}/rt.db", free_port()))
    try:
        server.wait_healthy()
    finally:
        code, output = server.stop()
    assert code == 0, output
    assert "Listening at" in output


def test_a_passing_slack_hiccup_at_start_is_retried(tmp_path, emulator: SlackEmulator) -> None:
    from bot.config import load_settings
    from bot.runtime import check_slack_token

    emulator.fail("auth.test", status=503, times=1)
    settings = load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.api_url}, dotenv=False)
    assert check_slack_token(settings) == "T0ROUNDTBL"
    assert [c.status for c in emulator.calls_to("auth.test")] == [503, 200]


def answer_with_a_cut_body(server: socket.socket) -> None:
    """A Web API that promises 100 bytes of JSON, sends one and hangs up (http.client's IncompleteRead)."""
    conn, _ = server.accept()
    with conn:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")


def test_slack_cutting_its_answer_short_is_a_refusal_naming_the_setting() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        answering = threading.Thread(target=answer_with_a_cut_body, args=(server,))
        answering.start()
        url = f"http://127.0.0.1:{server.getsockname()[1]}/api/"
        with pytest.raises(ConfigError, match="SLACK_API_URL=.* cannot be reached"):
            check_slack_token(test_settings(SimpleNamespace(api_url=url), "sqlite://"))  # type: ignore[arg-type]
        answering.join(timeout=10)
