"""Properties of practice sharing and search: the one-line share, the search box, the FTS query, the
share modal, and every practice message (card, details, results, confirmation)."""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot import messages as m
from bot import payloads
from bot.practices import blocks
from bot.practices.modal import read_share, share_form, share_state
from bot.practices.rules import (
    LIMITS,
    PracticeDraft,
    parse_id,
    parse_quick_share,
    parse_search,
    parse_topic,
    validate,
)
from bot.render import slack, slack_forms
from bot.topics import LABELS, MAX_TOPIC_LENGTH, normalize_topic
from storage import search
from storage.db import Database
from storage.digests import Digest
from storage.practices import Practice, PracticeTopic
from tests.faults.blockkit import assert_message, assert_view
from tests.faults.strategies import NOW, channel_ids, crowds, modest, user_ids, user_text

SLUG = re.compile(r"[^\W_]+(-[^\W_]+)*")
TERM = re.compile(r"[^\W_]+")
topics = st.lists(st.one_of(st.sampled_from(sorted(LABELS)), st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8})?",
                                                                              fullmatch=True)), max_size=10)


def limited(name: str) -> st.SearchStrategy[str]:
    """A field as it is stored: whatever was typed, within the field's limit (rules.validate)."""
    return user_text.map(lambda t: t.strip()[: LIMITS[name]].strip())


# `#topics` typed among the words: known slugs and free ones ("zz..." is no known topic's alias)
hashtags = st.one_of(st.sampled_from(sorted(LABELS)), st.from_regex(r"zz[a-z0-9]{1,8}(-[a-z0-9]{1,6})?", fullmatch=True))
shares = st.lists(st.one_of(user_text, hashtags.map(lambda slug: f" #{slug} ")), max_size=16).map(
    lambda parts: "".join(parts)[:3000])


@modest
@given(shares, limited("city"))
def test_a_quick_share_keeps_a_short_title_and_everything_that_was_said(text: str, city: str) -> None:
    draft = parse_quick_share(text, city)
    typed = list(dict.fromkeys(re.findall(r"(?<![\w<&])#((?:zz)?[a-z0-9]+(?:-[a-z0-9]+)*)(?=\s)", text)))
    typed = [t for t in typed if t in LABELS or t.startswith("zz")]
    event(f"#topics typed: {min(len(typed), 3)}{'+' if len(typed) >= 3 else ''}")
    assert len(draft.topics) == len(set(draft.topics)) <= 10
    if text.count("#") <= 10:  # room for every one
        assert set(typed) <= set(draft.topics)
    assert not any(re.search(rf"(?<![\w<&])#{re.escape(t)}(?=\s|$)", draft.title + " " + draft.solution) for t in typed)
    assert len(draft.title) <= LIMITS["title"] and "\n" not in draft.title
    assert all(SLUG.fullmatch(t) and len(t) <= MAX_TOPIC_LENGTH for t in draft.topics)
    assert draft.city == city
    said = " ".join(re.sub(r"(?<![\w<&])#[^\s#<>]+", " ", text).split())
    for word in draft.solution.split():
        assert word in said
    assert said.startswith(" ".join(draft.title.removesuffix("…").split()))
    assert set(validate(draft, required=("title",))) <= {"title", "solution"}


@modest
@given(st.lists(st.one_of(user_text, st.sampled_from(['city:"Des Moines"', "city:detroit", "city:'San José'",
                                                     "#open-data", "#Wireless", 'NEAR(a b)', '"', "*", "-x", "AND",
                                                     "title:x", "^", "(", ")"])), max_size=10).map(" ".join))
def test_whatever_is_typed_in_the_search_box_becomes_plain_words(text: str) -> None:
    request = parse_search(text)
    assert request.city is None or (request.city and request.city == request.city.strip())
    assert all(normalize_topic(t) == t for t in request.topics)
    terms = search.search_terms(request.query)
    assert len(terms) <= search.MAX_TERMS and len(set(terms)) == len(terms)
    for term in terms:
        assert TERM.fullmatch(term) and len(term) <= search.MAX_TERM_CHARS and term not in search.STOPWORDS


def practice(draw: st.DrawFn, practice_id: int | None = None) -> Practice:
    p = Practice(id=practice_id or draw(st.integers(1, 10**9)), team_id="T1", user_id=draw(user_ids),
                 city=draw(limited("city")), title=draw(limited("title")) or "Untitled",
                 problem=draw(limited("problem")), solution=draw(limited("solution")),
                 outcome=draw(limited("outcome")), cost=draw(limited("cost")), contact=draw(limited("contact")),
                 channel_id="", message_ts="", created_at=NOW - timedelta(days=draw(st.integers(0, 3000))),
                 updated_at=NOW)
    p.topics = [PracticeTopic(topic=t) for t in dict.fromkeys(draw(topics))]
    return p


practices = st.composite(practice)
sharers = st.builds(blocks.Sharer, name=user_text.map(lambda t: t[:200]),
                    role=st.sampled_from(["", "mayor", "cio", "other"]), city=user_text.map(lambda t: t[:120]),
                    user_id=st.one_of(user_ids, st.text(max_size=10)))
cities = crowds(user_text.map(lambda t: t[:120]), 40)


@modest
@given(practices(), sharers, cities)
def test_every_practice_message_fits_slack_and_pings_nobody(p: Practice, sharer: blocks.Sharer,
                                                           adopted: list[str]) -> None:
    assert_message(slack.message(blocks.build_card(p, sharer, adopted)))
    assert_message(slack.message(blocks.build_removed_card(p)))
    assert_message(slack.message(blocks.build_show(p, sharer, adopted)))
    assert_view(slack_forms.view(blocks.build_details_form(p, sharer, adopted)))
    assert_message(slack.message(blocks.build_shared(p, posted=False)))
    assert_message(slack.message(blocks.build_shared(p, posted=True, verb="Updated")))


saved_digests = st.lists(st.builds(
    lambda title, channel, link, days: Digest(id=1, team_id="T1", channel_id=channel, thread_ts="1700000000.000100",
                                              title=title, body="", saved_by="U1", permalink=link,
                                              created_at=NOW - timedelta(days=days), updated_at=NOW),
    user_text.map(lambda t: t[:150]), channel_ids,
    st.sampled_from(["", "https://roundtable.slack.com/archives/C0MAYORS/p1700000000000100", "javascript:x|<!here>"]),
    st.integers(0, 900)), max_size=5)


@settings(modest, max_examples=30)
@given(crowds(practices(), 25), user_text, saved_digests)
def test_search_results_fit_slack_however_many(found: list[Practice], typed: str, digests: list[Digest]) -> None:
    heading = m.line(m.bold("Practices matching"), " ", m.Text(typed, cut=200))
    message = blocks.build_results(heading, found, {p.id: ["Detroit", "<!here>"] for p in found},
                                   m.line("Nothing found."), hint=m.line(m.code("/practice search <words>")),
                                   digests=digests)
    assert_message(slack.message(message))


@modest
@given(st.one_of(st.integers(0, 10**12).map(lambda n: (str(n), n if 0 < n < 2**31 else None)),
                 st.integers(1, 10**9 - 1).map(lambda n: (f" #{n} ", n)),
                 st.integers(1, 999).map(lambda n: (f"#{n:05d}", n)),
                 st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=20).map(lambda t: (t, None)),
                 st.tuples(st.integers(0, 99), st.sampled_from(["x", " 2", "#", "-", ".5"])).map(
                     lambda t: (f"{t[0]}{t[1]}", None))))
def test_a_practice_number_reads_as_its_number_and_anything_else_as_nothing(case: tuple[str, int | None]) -> None:
    text, expected = case
    event("a number" if expected is not None else "not a number")
    assert parse_id(text) == expected
    topic = parse_topic(text)
    assert topic is None or SLUG.fullmatch(topic)


@modest
@given(practices(), channel_ids, st.one_of(st.none(), st.integers(1, 10**9)))
def test_the_share_modal_fits_slack_and_reads_back_what_it_showed(p: Practice, channel: str,
                                                                  practice_id: int | None) -> None:
    draft = PracticeDraft.of(p)
    view = slack_forms.view(share_form(draft, channel_id=channel, practice_id=practice_id))
    assert_view(view)
    submitted = slack_forms.submitted({**view, "state": payloads.view_state(view)})
    read, carried = read_share(submitted.values), share_state(submitted.state)
    assert (carried.practice_id, carried.channel_id) == (practice_id, channel)
    assert read.fields() == draft.fields()
    assert sorted(read.topics) == sorted(draft.topics)


@settings(modest, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.lists(st.one_of(user_text, st.sampled_from(['"', "*", "NEAR", "AND", "OR", "NOT", "title:", "^",
                                                          "(", ")", "-", ":", "'", "\\", "🏙", "%", "_",
                                                          "wireless", "Hotspots", "downtown"])),
                     max_size=12).map(" ".join)
            | st.tuples(user_text, st.sampled_from(["wireless", "Hotspots", "downtown"]), user_text).map(" ".join))
def test_searching_for_anything_never_fails_on_either_engine(db: Database, text: str) -> None:
    with db.begin() as session:
        if session.get(Practice, 1) is None:
            for n, team in ((1, "T1"), (2, "T2")):  # the same practice in another workspace: never found from T1
                session.add(Practice(id=n, team_id=team, user_id="U1", city="Detroit", title="Wireless hotspots downtown",
                                     problem="no wifi", solution="free wifi", outcome="young people came", cost="",
                                     contact="", created_at=NOW, updated_at=NOW))
    request = parse_search(text)
    with db.begin() as session:
        found = search.search_practices(session, "T1", request.query, topics=request.topics, city=request.city)
        assert [p.id for p in found] in ([], [1])
        event("found the practice" if found else "found nothing")
        words = search.search_terms(request.query)
        if not request.topics and request.city is None and any(w in ("wireless", "hotspots") for w in words):
            assert [p.id for p in found] == [1]  # one of its words typed: found (any word, at worst)
