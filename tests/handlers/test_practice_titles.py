"""A one-line share's title is its first sentence, and abbreviations, initials, numbers and URLs
do not end a sentence. Typed as `/practice ...`, read back from the card, on both engines."""

from __future__ import annotations

import pytest

from tests.harness import TestBot
from tests.practice_steps import card_text, members, practice, share


@pytest.mark.parametrize(("typed", "title", "rest"), [
    ("Wi-Fi in St. Louis parks. We lit 40 parks.", "Wi-Fi in St. Louis parks", "We lit 40 parks."),
    ("U.S. DOT grant for smart signals. It paid for 200.", "U.S. DOT grant for smart signals", "It paid for 200."),
    ("Dr. Martin Luther King Jr. Blvd. lighting. LEDs on every pole.", "Dr. Martin Luther King Jr. Blvd. lighting",
     "LEDs on every pole."),
    ("Ft. Worth permits online! Two days instead of ten.", "Ft. Worth permits online!", "Two days instead of ten."),
    ("3.5 million saved on 311 calls. One system.", "3.5 million saved on 311 calls", "One system."),
    ("Shared services, e.g. payroll, across counties. Saved money.", "Shared services, e.g. payroll, across counties",
     "Saved money."),
    ("Open data at https://data.example.gov/v2.1/index.html for everyone. All public.",
     "Open data at https://data.example.gov/v2.1/index.html for everyone", "All public."),
    ("Mt. Vernon and J. Smith's 24/7 help desk. It works.", "Mt. Vernon and J. Smith's 24/7 help desk", "It works."),
])
def test_abbreviations_and_numbers_do_not_cut_the_title(bot: TestBot, typed: str, title: str, rest: str) -> None:
    members(bot)
    practice_id = share(bot, typed)
    assert practice_id is not None
    shared = practice(bot, practice_id)
    assert (shared.title, shared.solution) == (title, rest)
    assert title in card_text(bot, practice_id)
