"""The digest draft quotes the thread, never invents, and always fits the modal."""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.digests.blocks import ThreadRef, build_draft_form
from bot.digests.draft import (
    BODY_LIMIT,
    Person,
    PracticeRef,
    draft_digest,
    linked_messages,
    participants,
    plain_text,
)
from bot.messages import Text
from bot.render import slack
from bot.text import escape
from tests.threads import CIO, CIO2, LONG, MAYOR, MODERATOR, PARENT_TS, long_thread, message

PEOPLE = {
    MAYOR: Person(MAYOR, "Frank Cownie", "mayor", "Des Moines"),
    CIO: Person(CIO, "Derrick Miller", "cio", "Detroit"),
    CIO2: Person(CIO2, "Dianah Neff"),
}
TAX = PracticeRef(7, "Consolidated tax billing system", "Philadelphia")
WIFI = PracticeRef(8, "Downtown hotspots", "Detroit", "C0PRACTICE", "1790000000.000200")


def test_draft_names_participants_with_role_and_city_and_skips_the_bot() -> None:
    draft = draft_digest(long_thread(), PEOPLE, [])
    assert draft.participant_ids == [MAYOR, CIO, CIO2, MODERATOR]
    assert draft.message_count == 59  # 60 in the thread, one of them the bot's
    first_line = draft.body.split("\n", 1)[0]
    assert first_line == ("Participants: Frank Cownie (Mayor, Des Moines), Derrick Miller (CIO, Detroit), "
                          f"Dianah Neff, {MODERATOR}")
    assert "Roundtable suggests" not in draft.body


def test_key_points_are_the_most_reacted_and_the_long_replies_quoted() -> None:
    body = draft_digest(long_thread(), PEOPLE, []).body
    key_points = body.split("Key points:\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert key_points[0].startswith(f"• {MODERATOR}: \u201cWe put free wireless hotspots")
    assert "The authority's bond covered it." in key_points[1]
    quoted = key_points[0].split("\u201c", 1)[1].rstrip("\u201d").rstrip("…")
    assert LONG.startswith(quoted)  # extractive: a prefix of what was said


def test_questions_say_whether_and_by_whom_they_were_answered() -> None:
    body = draft_digest(long_thread(), PEOPLE, []).body
    assert "Did anyone measure foot traffic before and after?\u201d (answered by Derrick Miller)" in body
    lonely = [message(MAYOR, "Who runs the network today?", 1)]
    parent = {"type": "message", "user": CIO, "ts": PARENT_TS, "text": "Wireless update."}
    assert "(not answered in the thread)" in draft_digest([parent, *lonely], PEOPLE, []).body


def test_practices_mentioned_by_title_or_by_a_link_to_their_card() -> None:
    thread = long_thread()
    thread.append(message(CIO, "Card: <https://roundtable.slack.com/archives/C0PRACTICE/p1790000000000200>", 70))
    assert linked_messages(thread) == [("C0PRACTICE", "1790000000.000200")]
    draft = draft_digest(thread, PEOPLE, [TAX, WIFI, PracticeRef(9, "Open data", "Seattle")])
    assert "Practices mentioned:\n• Downtown hotspots (Detroit)\n• Consolidated tax billing system (Philadelphia)" \
        in draft.body
    assert draft.practice_ids == [8, 7]


def test_links_and_slack_markup_become_readable_text() -> None:
    body = draft_digest(long_thread(), PEOPLE, []).body
    assert "Links:\n• https://example.org/detroit-wifi.pdf" in body
    assert plain_text("<@U0COWNIE> see <https://x.org|the report> &amp; <#C1|general> <!here>",
                      {MAYOR: "Frank Cownie"}) == "@Frank Cownie see the report (https://x.org) & #general @here"


def test_same_thread_same_draft() -> None:
    assert draft_digest(long_thread(), PEOPLE, [TAX]) == draft_digest(long_thread(), PEOPLE, [TAX])


def test_a_huge_thread_still_fits_the_text_input_and_says_what_it_left_out() -> None:
    thread = long_thread(60)
    crowd = [message(f"U{i:08d}", f"{'Why ' * 80}? " + "x" * 600, 100 + i,
                     reactions=[{"name": "+1", "count": i}]) for i in range(300)]
    draft = draft_digest(thread + crowd, PEOPLE, [])
    assert len(draft.body) <= BODY_LIMIT
    assert "and 294 others" in draft.body
    assert "more" in draft.body.split("Questions raised:", 1)[1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=400), min_size=1, max_size=30))
def test_any_thread_gives_a_draft_the_modal_accepts(texts: list[str]) -> None:
    thread = [message(f"U{i % 5:08d}", text, i) for i, text in enumerate(texts)]
    draft = draft_digest(thread, {}, [])
    assert len(draft.body) <= BODY_LIMIT and len(draft.title) <= 140 and draft.title
    form = build_draft_form(draft, ThreadRef("C1", PARENT_TS, tuple(draft.participant_ids), len(texts)))
    assert len(form.state) <= 3000
    assert participants(thread) == draft.participant_ids


# a digest's body at Slack's section limit: short, or a piece repeated up to 16,000 characters
# (a line far past 3,000, or many lines), `&<>` often among them (each 4-5 characters once escaped)
repeated = st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(["&<>", "wireless ", "hotspots\n", "<!channel>\n\n"]))
times = st.one_of(st.integers(1, 400), st.sampled_from([300, 400]))
long_texts = st.one_of(st.text(max_size=200), st.tuples(repeated, times).map(lambda t: t[0] * t[1]))


@given(long_texts)
def test_a_long_text_is_spread_over_pieces_within_the_limit(text: str) -> None:
    chunks = slack.spread((Text(text),), 3000)
    event("past the limit once escaped" if len(escape(text)) > 3000 else "within the limit")
    event("a line past the limit" if any(len(line) > 3000 for line in escape(text).split("\n")) else "lines fit")
    assert all(0 < len(c) <= 3000 for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(escape(text).split())  # nothing lost but blank lines
