"""Properties of the question messages (suggestion, prompt, resolution, nudge), their button values,
and the Home tab's question and practice lines."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import event, given
from hypothesis import strategies as st

from bot import home
from bot.messages import Heading, Message, Paragraph, Part
from bot.questions.blocks import (
    RelatedPractice,
    build_answer_prompt,
    build_nudge,
    build_resolution,
    build_suggestion,
    mark_answered_button,
    parse_button_value,
)
from bot.render import slack
from bot.text import MAX_ID
from storage.practices import Practice
from storage.questions import ANSWERED, OPEN, PENDING, Answer, Question
from tests.faults.blockkit import assert_message, assert_view
from tests.faults.strategies import NOW, channel_ids, crowds, modest, user_ids, user_text

slack_ts = st.builds(lambda s, u: f"{s}.{u:06d}", st.integers(1_500_000_000, 2_000_000_000), st.integers(0, 999_999))
links = st.one_of(st.just(""), st.builds(lambda c, t: f"https://roundtable.slack.com/archives/{c}/p{t.replace('.', '')}",
                                         channel_ids, slack_ts))
questions = st.builds(
    lambda i, channel, ts, user, text, status, days: Question(
        id=i, team_id="T1", channel_id=channel, ts=ts, user_id=user, text=text, status=status,
        asked_at=NOW - timedelta(days=days), updated_at=NOW),
    st.integers(1, 10**9), channel_ids, slack_ts, user_ids, user_text, st.sampled_from([OPEN, PENDING, ANSWERED]),
    st.integers(0, 400))
answers = st.builds(lambda ts, user, text: Answer(team_id="T1", question_id=1, ts=ts, user_id=user, text=text,
                                                  created_at=NOW),
                    slack_ts, user_ids, user_text)
related = st.builds(RelatedPractice, user_text.map(lambda t: t[:300]), user_text.map(lambda t: t[:120]), user_ids,
                    links)
experts = st.lists(user_ids, max_size=8)


def message(composed: Message) -> dict:
    return slack.message(composed)


@modest
@given(questions, crowds(related, 8), experts, answers, links, st.booleans(), st.integers(0, 400))
def test_every_question_message_fits_slack_and_pings_nobody(question: Question, practices: list[RelatedPractice],
                                                            who: list[str], answer: Answer, link: str,
                                                            save: bool, days: int) -> None:
    assert_message(message(build_suggestion(question, practices, who)))
    assert_message(message(build_answer_prompt(question, answer)))
    assert_message(message(build_resolution(question, answer, who[0] if who else "U1", link, save_as_practice=save)))
    assert_message(message(build_resolution(question, None, "U1")))
    assert_message(message(build_nudge(question, who, days)))


@modest
@given(st.integers(1, MAX_ID), st.one_of(st.just(""), slack_ts))
def test_a_mark_answered_button_reads_back_as_its_question_and_answer(question_id: int, answer_ts: str) -> None:
    button = mark_answered_button(Question(id=question_id), answer_ts)
    value = slack.button(button)["value"]
    assert len(value) <= 2000
    assert parse_button_value(value) == (question_id, answer_ts)


@modest
@given(st.one_of(st.integers(-10**12, 0), st.integers(MAX_ID + 1, 10**30)), st.one_of(st.just(""), slack_ts))
def test_a_button_naming_no_possible_row_reads_as_nothing(question_id: int, answer_ts: str) -> None:
    """No id column holds these (PostgreSQL's int4, SQLite's int64): looking one up would fail."""
    assert parse_button_value(f"{question_id}:{answer_ts}") is None


@modest
@given(st.one_of(
    st.tuples(st.integers(1, MAX_ID), st.one_of(st.just(""), slack_ts)).map(
        lambda t: (f"{t[0]}:{t[1]}" if t[1] else str(t[0]), t)),  # what the bot's own buttons carry
    st.integers(1, 10**6).map(lambda n: (f"{n}:", (n, ""))),
    st.tuples(st.sampled_from(["", "-1", "1.5", "x1", "١٢", "0x1", "1e3"]), st.text(max_size=20)).map(
        lambda t: (f"{t[0]}:{t[1]}" if t[1] else t[0], None)),
    st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=60).map(lambda v: (v, None)),
))
def test_a_button_value_is_its_question_reference_or_nothing(case: tuple[str, tuple[int, str] | None]) -> None:
    value, expected = case
    event("a question reference" if expected else "not one")
    assert parse_button_value(value) == expected


@modest
@given(crowds(questions, 12), st.one_of(st.just(""), st.just("https://roundtable.slack.com/")), user_text,
       user_text.map(lambda t: t[:120]))
def test_home_lines_fit_slack_and_ping_nobody(asked: list[Question], url: str, title: str, city: str) -> None:
    practice = Practice(id=3, team_id="T1", user_id="U1", title=title[:300] or "x", city=city, channel_id="C1",
                        message_ts="1700000000.000100")
    parts: list[Part] = [Heading("Roundtable")]
    parts += [home._asked(q, url, "Close this question", show_asker=True) for q in asked]
    parts += [Paragraph(home.practice_line(practice, url))]
    assert_view(slack.home_view(tuple(parts)))
