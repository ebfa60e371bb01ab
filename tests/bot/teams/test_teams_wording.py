"""One wording source, Teams' command words: the slash goes, nothing else changes."""

from __future__ import annotations

from bot import messages as m
from bot.practices.help import HELP
from bot.teams.wording import as_typed, for_teams, inline


def test_commands_lose_their_slash_and_links_and_numbers_do_not() -> None:
    assert as_typed("Type `/practice search wireless` or /roundtable list.") == \
        "Type `practice search wireless` or roundtable list."
    assert as_typed("https://city.gov/practice 24/7 /invite @Roundtable") == "https://city.gov/practice 24/7 /invite @Roundtable"


def test_the_bots_mrkdwn_becomes_segments_and_help_reads_as_typed_in_teams() -> None:
    assert inline("Use `/practice` or *Edit*.") == (m.Text("Use "), m.code("practice"), m.Text(" or "), m.bold("Edit"),
                                                   m.Text("."))
    said = for_teams(HELP)
    text = " ".join(t.text for part in said.parts for t in part.text if isinstance(t, m.Text))  # type: ignore[union-attr]
    assert "practice search wireless downtown" in text and "/practice" not in text


def test_button_labels_are_as_typed_too() -> None:
    message = m.Message(m.line("x"), (m.Actions((m.Button("Run /practice search x", "run", "search x"),)),))
    assert for_teams(message).parts[0].buttons[0].label == "Run practice search x"  # type: ignore[union-attr]
