"""Roundtables in console mode, typed the way the README says: schedule, tick, RSVP, calendar file.

The console runs in-process on a fixed clock (the suite never depends on the day it runs);
tests/bot/test_console.py runs `python -m bot console` itself."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot import demo
from bot.config import load_settings
from bot.console import Console
from bot.emulator import SlackEmulator

NOW = datetime(2026, 11, 23, 14, 20, tzinfo=UTC)


def type_lines(lines: list[str], as_user: str, database: Path) -> str:
    out: list[str] = []
    settings = load_settings({"DATABASE_URL": f"sqlite:///{database}"})
    with SlackEmulator() as emulator:
        demo.add_members(emulator)
        console = Console(settings, emulator, demo.resolve_user(as_user) or as_user, write=out.append)
        console.services.clock = lambda: NOW + console.offset

        def ask(prompt: str) -> str:
            raise AssertionError(f"the console asked {prompt!r}")

        for line in lines:
            assert console.handle(line, ask=ask)
        console.services.db.dispose()
    return "\n".join(out)


def test_a_moderator_schedules_and_members_answer_in_the_console(tmp_path: Path) -> None:
    lines = [
        "/roundtable schedule 2026-11-25 15:00 UTC weekly Wireless downtown",  # 48 h 40 min ahead
        "1",  # Schedule and announce: what the one-line form understood is right
        ":as cio", "/roundtable schedule 2030-01-01 10:00 UTC Not allowed",
        ":tick 47h",  # past the 24-hour reminder, before the 1-hour one
        "3",  # Going (buttons are numbered across the session: 1 and 2 were the confirmation)
        ":tick 1h",
        "/roundtable ics 1",
    ]
    out = type_lines(lines, "moderator", tmp_path / "roundtable.db")  # no demo roundtable to interleave
    assert "(only you) Scheduled roundtable #1 *Wireless downtown*" in out
    assert "Only moderators can schedule, edit or cancel roundtables." in out
    assert "(clock: 2026-11-25 13:20 UTC)" in out and "(clock: 2026-11-25 14:20 UTC)" in out
    assert out.count("== Wireless downtown ==") == 3  # 24-hour reminder, its update, 1-hour reminder
    assert "*Going (1)*: Derrick Miller" in out
    assert "(Roundtable sent you a file: Wireless downtown (calendar))" in out
