"""A console session from the start: a fresh demo workspace unless --keep, logs in a file named on
start (never in the conversation), links shown as links, context items kept apart."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.console import main
from bot.console.render import Buttons, Names, render_blocks
from tests.bot.test_console import console


def test_demo_starts_fresh_each_time_unless_kept(tmp_path: Path) -> None:
    first = console([":as moderator", "/roundup now", "/roundup last", ":quit"], "--demo", cwd=tmp_path)
    assert "(only you)   Posted " in first.stdout  # /roundup last shows it
    kept = console(["/roundup last", ":quit"], "--demo", "--keep", cwd=tmp_path)
    assert "(kept;" in kept.stdout
    assert "(only you)   Posted " in kept.stdout  # the last session, continued
    fresh = console(["/roundup last", ":quit"], "--demo", cwd=tmp_path)
    assert "(fresh;" in fresh.stdout
    assert "No roundup has been posted yet" in fresh.stdout
    assert not (tmp_path / "roundtable.db").exists()


def test_keep_without_demo_is_refused(tmp_path: Path) -> None:
    result = console([":quit"], "--keep", cwd=tmp_path)
    assert result.returncode == 2
    assert "--keep continues a demo workspace: use it with --demo" in result.stderr


def test_logs_go_to_the_file_named_on_start(tmp_path: Path) -> None:
    result = console(["/practice search wireless", ":quit"], "--demo", cwd=tmp_path)
    assert "logs go to roundtable-console.log" in result.stdout
    log = (tmp_path / "roundtable-console.log").read_text()
    assert "request command /practice" in log
    assert "roundtable.requests" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_a_failure_is_logged_with_its_traceback_not_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    class Broken:
        def handle(self, line: str) -> bool:
            if line == ":quit":
                return False
            raise RuntimeError("the database went away")

    typed = iter(["/practice list", ":quit"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(typed))
    main.log_to_file(tmp_path / "console.log", "INFO")
    try:
        assert main._loop(Broken()) == 0  # type: ignore[arg-type]
    finally:
        logging.getLogger().handlers[:] = []
    shown = capsys.readouterr()
    assert "(something went wrong; the details are in roundtable-console.log)" in shown.out
    assert "Traceback" not in shown.out + shown.err
    written = (tmp_path / "console.log").read_text()
    assert "Traceback" in written and "the database went away" in written


def test_ctrl_d_at_the_prompt_ends_the_session(tmp_path: Path) -> None:
    result = console([], "--demo", cwd=tmp_path)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


def render(blocks: list[dict]) -> str:
    return render_blocks(blocks, names=Names(member={"U0NEFF": "Dianah Neff"}.get), buttons=Buttons())


def test_links_render_as_links() -> None:
    shown = render([{"type": "section", "text": {"type": "mrkdwn", "text": (
        "<https://meet.example.org/mayors|Join the video call> · <https://example.org/plan.pdf> · "
        "<mailto:neff@phila.gov|neff@phila.gov> · <@U0NEFF> in <#C0GENERAL|general>")}}])
    assert shown == ("Join the video call (https://meet.example.org/mayors) · https://example.org/plan.pdf · "
                     "neff@phila.gov · @Dianah Neff in #general")


def test_context_items_stay_apart() -> None:
    shown = render([{"type": "context", "elements": [
        {"type": "mrkdwn", "text": "Not adopted elsewhere yet"}, {"type": "mrkdwn", "text": "Wireless"}]}])
    assert shown == "  Not adopted elsewhere yet  ·  Wireless"
