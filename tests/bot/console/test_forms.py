"""Forms in the console: fields by label with their hints, refusals keep what was typed, `:cancel`
and Ctrl-D leave the form without saving, `-` clears an optional field."""

from __future__ import annotations

from tests.bot.console.terminal import terminal

KEEP = ""  # Enter keeps the value shown
SCHEDULE = ["Budget talk", KEEP, "2020-01-01", "10:00", KEEP, KEEP, KEEP, KEEP, KEEP]  # date already passed
SHARE = ["Permit kiosks", KEEP, "Permits meant a trip downtown.", "Kiosks in every library.",
         "Half the trips saved.", "E-government services", KEEP, KEEP, KEEP, KEEP]


def test_a_refused_field_names_its_label_and_keeps_what_was_typed(database_url: str) -> None:
    with terminal(database_url, "moderator") as t:
        shown = t.type("/roundtable schedule", *SCHEDULE,
                       ":all",  # the time was refused, but it is the date that needs fixing
                       KEEP, KEEP, "2027-01-12", KEEP, KEEP, KEEP, KEEP, KEEP, KEEP)
        assert "! Time: 2020-01-01 10:00 in America/Detroit has already passed" in shown
        assert "Time [10:00]: " in shown  # asked again with what was typed
        assert "Title [Budget talk]: " in shown and "Date [2020-01-01]: " in shown
        assert "scheduled a roundtable: *Budget talk*, Tue, Jan 12, 2027 at 10:00 AM" in shown


def test_fields_show_their_hints_and_choices(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        shown = t.type("/practice", *SHARE)
        assert "  (What was not working, and for whom.)\nThe problem: " in shown
        assert "Topics (optional) any of: Wireless and broadband" in shown
        assert "City [Detroit]: " in shown  # from the profile; Enter keeps it
        assert "== Permit kiosks ==" in shown


def test_a_choice_not_on_the_list_is_asked_again(database_url: str) -> None:
    answers = [*SHARE[:5], "Snow removal", "E-government services", KEEP, KEEP, KEEP, KEEP]
    with terminal(database_url, "cio") as t:
        shown = t.type("/practice", *answers)
        assert "! Topics: 'Snow removal' is not one of the choices shown." in shown
        assert "== Permit kiosks ==" in shown


def test_cancel_and_ctrl_d_leave_the_form_and_save_nothing(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        assert "(form closed; nothing was saved)" in t.type("/practice", "Permit kiosks", KEEP, ":cancel")
        assert "(form closed; nothing was saved)" in t.type("/practice", "Permit kiosks", EOFError)
        assert "(form closed; nothing was saved)" in t.type("/practice", KeyboardInterrupt)
        listed = t.type("/practice list")
        assert "Permit kiosks" not in listed
        assert "Wireless hotspots" in listed  # the console goes on


def test_an_optional_field_can_be_cleared_and_a_required_one_cannot(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        assert "Derrick Miller, CIO, City of Detroit" in t.type("/practice show 1")
        shown = t.type("/practice edit 1", KEEP, KEEP, "-", KEEP, KEEP, KEEP, KEEP, KEEP, KEEP, "-", KEEP)
        assert "! The problem is required, it cannot be cleared." in shown
        assert "The problem [Downtown emptied out" in shown  # asked again, still holding its text
        assert "Contact (optional) [Derrick Miller, CIO, City of Detroit]: " in shown
        assert "Derrick Miller, CIO, City of Detroit" not in t.type("/practice show 1")
