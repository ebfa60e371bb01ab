"""Console mode: the README's main command, the real app on SQLite, no Slack account."""

from __future__ import annotations

import subprocess
import sys

from tests.harness import ROOT


def console(lines: list[str], *args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args], cwd=cwd, input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT)},
    )


def test_console_runs_commands_on_a_fresh_sqlite_file(tmp_path) -> None:
    result = console(["/roundup", "/roundup nonsense", ":as mayor", ":quit"], "--demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "== Roundtable roundup, week of" in result.stdout
    assert "(only you) Usage: `/roundup preview`" in result.stdout
    assert "You are now Frank Cownie" in result.stdout
    assert (tmp_path / "roundtable-demo.db").exists()
    assert not (tmp_path / "roundtable.db").exists()  # the demo never writes into your database
    assert "Traceback" not in result.stderr


def test_console_refuses_an_unknown_member(tmp_path) -> None:
    result = console([":quit"], "--as", "U0NOBODY", cwd=tmp_path)
    assert result.returncode == 2
    assert "--as" in result.stdout + result.stderr


def test_as_takes_a_members_name(tmp_path) -> None:
    result = console([":quit"], "--demo", "--as", "Neff", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "You are Dianah Neff" in result.stdout


def test_the_console_escapes_mentions_for_the_commands_slack_escapes() -> None:
    """Slack sends `<@U…|name>` only for commands with should_escape: the console does the same."""
    import re

    from bot.console import ESCAPED_COMMANDS

    manifest = (ROOT / "manifest.yml").read_text()
    escaped = set(re.findall(r"- command: (/[a-z]+)\n(?:      (?!- ).*\n)*?      should_escape: true", manifest))
    assert escaped == ESCAPED_COMMANDS


def test_a_command_whose_words_hold_payload_is_answered(tmp_path) -> None:
    """Bolt reads any form holding the word "payload" as an interaction (bot/web.py bolt_request)."""
    result = console(["/roundup payload", ":quit"], "--demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(only you) Usage: `/roundup preview`" in result.stdout
