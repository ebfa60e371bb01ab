"""Practice rules: one-line shares, search filters, validation, who may change and adopt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.practices.rules import (
    PracticeDraft,
    adoption_refusal,
    can_change,
    parse_id,
    parse_quick_share,
    parse_search,
    validate,
)
from storage.practices import Practice


def test_the_first_sentence_is_the_title_and_hashtags_are_topics() -> None:
    draft = parse_quick_share("Collapsing 12 tax systems into one. One revenue system now. #tax #Integration",
                              city="Philadelphia")
    assert (draft.title, draft.solution, draft.city) == (
        "Collapsing 12 tax systems into one", "One revenue system now.", "Philadelphia")
    assert draft.topics == ["revenue-tax", "integration-standards"]


def test_the_first_line_is_the_title_when_there_is_no_sentence() -> None:
    draft = parse_quick_share("Snow plow tracker\nGPS on every plow\nresidents see the map", city="")
    assert draft.title == "Snow plow tracker"
    assert draft.solution == "GPS on every plow\nresidents see the map"


def test_a_title_too_long_for_a_header_is_cut_and_the_whole_text_kept() -> None:
    text = "word " * 100
    draft = parse_quick_share(text, city="")
    assert len(draft.title) <= 150 and draft.title.endswith("…")
    assert draft.solution == text.strip()


@pytest.mark.parametrize(("typed", "query", "topics", "city"), [
    ('wireless downtown #open-data city:"Des Moines"', "wireless downtown", ["open-data"], "Des Moines"),
    ("tax city:Philadelphia", "tax", [], "Philadelphia"),
    ("tax city:des_moines", "tax", [], "des moines"),
    ("city: AND", "city: AND", [], None),
    ("#wireless", "", ["wireless-broadband"], None),
])
def test_search_filters(typed: str, query: str, topics: list[str], city: str | None) -> None:
    request = parse_search(typed)
    assert (request.query, request.topics, request.city) == (query, topics, city)


def test_validation_names_each_field() -> None:
    assert validate(PracticeDraft(title="x", city="y", problem="p", solution="s", outcome="o")) == {}
    errors = validate(PracticeDraft(title=" ", city="y", problem="p" * 3001, solution="s", outcome=""))
    assert set(errors) == {"title", "problem", "outcome"}


def test_ids_sharers_moderators_and_adopting_cities() -> None:
    assert parse_id("#12") == 12 and parse_id("12") == 12 and parse_id("twelve") is None
    now = datetime(2004, 7, 12, tzinfo=UTC)
    practice = Practice(id=1, user_id="U0MILLER", city="Detroit", created_at=now, updated_at=now)
    assert can_change(practice, "U0MILLER", False) and can_change(practice, "U0OTHER", True)
    assert not can_change(practice, "U0OTHER", False)
    assert adoption_refusal(practice, "DETROIT") is not None
    assert adoption_refusal(practice, "") is not None
    assert adoption_refusal(practice, "Seattle") is None
