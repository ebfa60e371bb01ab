"""`python -m bot console --teams`: the console plays a Teams member, cards shown as text, buttons
numbered, dialogs asked field by field, all through signed activities and the Teams handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.console.teams import APP_ID, TeamsConsole
from bot.emulator.teams import TeamsEmulator
from storage.practices import adopting_cities
from tests.bot.console.terminal import Terminal, terminal


class TeamsTerminal(Terminal):
    """The console session's terminal, typed into as a Teams member."""

    __test__ = False

    def __init__(self, teams: TeamsConsole, shown: list[str]) -> None:
        self.console, self.shown, self.emulator = teams, shown, teams.microsoft  # type: ignore[assignment]


@pytest.fixture
def teams_terminal(database_url: str) -> Iterator[TeamsTerminal]:
    with terminal(database_url, "mayor") as slack, TeamsEmulator(APP_ID) as microsoft, TeamsConsole(
            slack.console, microsoft, slack.console.user_id, "Frank Cownie", write=slack.shown.append) as teams:
        yield TeamsTerminal(teams, slack.shown)


def test_search_show_and_adopt_as_a_teams_member(teams_terminal: TeamsTerminal) -> None:
    found = teams_terminal.type("practice search wireless")
    assert "Wireless hotspots that drew young people downtown" in found and "[1] Show details" in found
    shown = teams_terminal.type("1")
    assert "Derrick Miller" in shown and "[2] Adopt this practice" in shown
    adopted = teams_terminal.type("2")
    assert "Des Moines now counts as adopting #1" in adopted
    with teams_terminal.console.console.services.db.read() as session:  # type: ignore[attr-defined]
        assert adopting_cities(session, [1])[1] == ["Des Moines"]


def test_a_dialog_is_asked_field_by_field_and_its_errors_shown(teams_terminal: TeamsTerminal) -> None:
    assert "[1] Share a practice" in teams_terminal.type("practice")
    shown = teams_terminal.type("1", "Permits online", "", "", "Online forms.", "", "", "", "", "", "",
                                "", "", "Lines at city hall.", "", "Half the visits.", "", "", "", "", "")
    assert "Please fill this in." in shown and "Shared Permits online" in shown
    helped = teams_terminal.type("practice help")
    assert "• practice search wireless downtown" in helped and "/practice" not in helped
