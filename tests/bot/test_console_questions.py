"""Console mode shows a question, the bot's suggestion, an answer and the confirmation."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot import demo
from bot.console import Console
from bot.emulator import SlackEmulator
from tests import harness


def test_a_question_answered_in_the_console(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "console.db")  # already migrated
    lines: list[str] = []
    with SlackEmulator() as emulator:
        demo.add_members(emulator)
        settings = harness.test_settings(emulator, f"sqlite:///{tmp_path}/console.db")
        console = Console(settings, emulator, "U0COWNIE", write=lines.append)
        demo.load(console.services)
        for line in ("How did Detroit pay for its wireless hotspots downtown?", ":as cio",
                     ":reply A bond issue, then ads on the city portal.", ":as mayor", "1",
                     ":as cio", "3", ":home"):  # 3: Save as practice
            assert console.handle(line, ask=lambda prompt: "Paid back in two years." if "outcome" in prompt
                                  else "")
        console.services.db.dispose()
    shown = "\n".join(lines)
    assert "Who could help:* @Derrick Miller" in shown  # the suggestion, in the thread
    assert "(only Frank Cownie (Mayor of Des Moines, Des Moines) sees this) @Derrick Miller" in shown
    assert "Answered: @Frank Cownie (Mayor of Des Moines, Des Moines) accepted @Derrick Miller" in shown
    assert "[modal: Share a practice]" in shown  # Save as practice, prefilled
    assert "== How did Detroit pay for its wireless hotspots downtown? ==" in shown  # the shared card
    assert "[Home tab]" in shown
