"""The topic taxonomy and free #topics."""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.topics import (
    HASHTAG,
    LABELS,
    MAX_TOPIC_LENGTH,
    MAX_TOPICS,
    TOPICS,
    extract_topics,
    normalize_topic,
    topic_label,
)


def test_the_agenda_topics_are_all_there() -> None:
    assert [label for _, label in TOPICS] == [
        "Wireless and broadband", "Integration and standardization", "Outsourcing", "Technology and jobs",
        "CIO-mayor relationship", "E-government services", "Revenue and tax systems", "Cybersecurity",
        "Open data", "Public safety technology",
    ]


@pytest.mark.parametrize(("typed", "slug"), [
    ("#Wireless", "wireless-broadband"), ("broadband", "wireless-broadband"), ("#OpenData", "open-data"),
    ("Open data", "open-data"), ("#taxes", "revenue-tax"), ("Revenue and tax systems", "revenue-tax"),
    ("#e-gov", "e-government"), ("#CIO-Mayor", "cio-mayor"), ("cybersecurity", "cybersecurity"),
    ("#Snow_Removal", "snow-removal"), ("#311", "e-government"),
])
def test_typed_topics_land_on_one_slug(typed: str, slug: str) -> None:
    assert normalize_topic(typed) == slug


@pytest.mark.parametrize("typed", ["#", "", "#🎉", "#---", "   "])
def test_nothing_left_is_no_topic(typed: str) -> None:
    assert normalize_topic(typed) is None


def test_hashtags_come_out_of_free_text() -> None:
    text, topics = extract_topics("Hotspots drew young people downtown #wireless #jobs #Wireless #snow")
    assert text == "Hotspots drew young people downtown"
    assert topics == ["wireless-broadband", "technology-jobs", "snow"]


def test_channel_links_and_entities_are_not_topics() -> None:
    assert extract_topics("see <#C0GENERAL|general> and &#60;")[1] == []


def test_labels() -> None:
    assert topic_label("revenue-tax") == "Revenue and tax systems"
    assert topic_label("snow-removal") == "#snow-removal"


# Text as members write it around #topics: agenda words and their aliases, free words past the
# length limit, repeats, more than MAX_TOPICS, and tags that leave nothing (`#`, `#🎉`, `#---`).
words = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,50}", fullmatch=True)
tags = st.one_of(st.sampled_from(["#wireless", "#WiFi", "#Open-Data", "#ransomware", "#snow", "#", "#🎉", "#---",
                                  "#311", "<#C0GENERAL|general>", "&#60;"]), words.map("#".__add__))
texts_with_tags = st.one_of(st.lists(st.one_of(words, tags, tags, st.text(max_size=6)), max_size=30),
                            st.lists(tags, min_size=8, max_size=25)).map(" ".join)


@given(st.one_of(texts_with_tags, st.text()))
def test_any_text_gives_short_distinct_slugs(text: str) -> None:
    rest, topics = extract_topics(text)
    typed = HASHTAG.findall(text)
    kept = [t for t in dict.fromkeys(normalize_topic(raw) for raw in typed) if t]
    event("more #topics than are kept" if len(kept) > MAX_TOPICS else f"#topics kept: {min(len(kept), 3)}"
          + ("+" if len(kept) >= 3 else ""))
    assert topics == kept[:MAX_TOPICS]  # distinct, in the order typed, at most MAX_TOPICS
    for topic in topics:
        assert topic in LABELS or (0 < len(topic) <= MAX_TOPIC_LENGTH and "#" not in topic and " " not in topic)
    assert not set(rest.split()) & {f"#{raw}" for raw in typed}  # every tag leaves the text, kept or not
