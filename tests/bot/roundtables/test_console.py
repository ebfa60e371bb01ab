"""Roundtables in console mode, typed the way the README says: schedule, tick, RSVP, calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.bot.test_console import console


def test_a_moderator_schedules_and_members_answer_in_the_console(tmp_path) -> None:
    now = datetime.now(UTC)
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=49)  # 48-49 hours ahead
    lines = [
        f"/roundtable schedule {start:%Y-%m-%d %H:%M} UTC weekly Wireless downtown",
        "1",  # Schedule and announce: what the one-line form understood is right
        ":as cio", "/roundtable schedule 2030-01-01 10:00 UTC Not allowed",
        ":tick 47h",  # past the 24-hour reminder, before the 1-hour one
        "3",  # Going (buttons are numbered across the session: 1 and 2 were the confirmation)
        ":tick 1h",
        "/roundtable ics 1",
        ":quit",
    ]
    result = console(lines, "--as", "moderator", cwd=tmp_path)  # no demo roundtable to interleave
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "(only you) Scheduled roundtable #1 *Wireless downtown*" in out
    assert "Only moderators can schedule, edit or cancel roundtables." in out
    assert out.count("== Wireless downtown ==") == 3  # 24-hour reminder, its update, 1-hour reminder
    assert "*Going (1)*: Derrick Miller" in out
    assert "(Roundtable sent you a file: Wireless downtown (calendar))" in out
    assert "Traceback" not in result.stderr
