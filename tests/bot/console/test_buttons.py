"""Button numbers are unique on screen and earlier messages' buttons stay pressable."""

from __future__ import annotations

import re

from tests.bot.console.terminal import terminal


def numbers(shown: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\] ", shown)]


def test_the_private_edit_button_does_not_hide_the_cards_adopted_button(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        shared = t.type("/practice Kiosks for permits. Residents print permits at the library. #e-gov")
        assert "[1] Adopt this practice" in shared  # the card in #general
        assert re.search(r"\[\d+\] Edit", shared)  # the sharer's private Edit has a number of its own
        assert len(numbers(shared)) == len(set(numbers(shared)))
        t.type(":as mayor")
        adopted = t.type("1")
        assert "Des Moines now counts as adopting #3" in adopted
        assert "Adopted in 1 city: Des Moines" in adopted  # the card, updated in place


def test_a_nudge_does_not_hide_the_reminders_rsvp_buttons(database_url: str) -> None:
    with terminal(database_url, "mayor") as t:
        t.type("Has anyone moved permits online?")
        t.type(":as moderator")
        reminder = t.type(":tick 55h")  # Wednesday: the 24-hour reminder of Thursday's roundtable
        assert "[1] I'm going  [2] I might go  [3] I can't go" in reminder
        nudge = t.type(":tick 17h")  # Thursday: the question has waited three days
        assert "[4] Mark answered" in nudge
        going = t.type("1")
        assert "*Going (1)*: Michael A. Guido" in going
        assert "Marked" not in going


def test_buttons_of_a_replaced_message_are_refused_with_a_pointer(database_url: str) -> None:
    with terminal(database_url, "mayor") as t:
        t.type(":as moderator")
        t.type(":tick 55h")
        updated = t.type("1")  # Going: the reminder is updated in place, with new buttons
        assert "(message updated, m1)" in updated
        assert "[4] I'm going" in updated
        again = t.type("2")
        assert "No button [2] on screen any more" in again
        assert "(Slack would show an error" not in again
        assert "No button [99] on screen." in t.type("99")
