"""Properties of digests: the thread reference carried in the modal, the extractive draft of any
thread, the draft modal, the digest posted in its thread, `/digest list`, and digest search."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.digests.blocks import (
    ThreadRef,
    build_digest_list,
    build_digest_message,
    build_draft_form,
    build_problem_form,
    build_reading_form,
)
from bot.digests.draft import BODY_LIMIT, TITLE_LIMIT, Person, PracticeRef, draft_digest, plain_text
from bot.messages import Text, line
from bot.render import slack, slack_forms
from bot.text import escape
from storage.db import Database
from storage.digests import Digest, search_digests
from tests.faults.blockkit import assert_message, assert_view
from tests.faults.strategies import NOW, channel_ids, crowds, modest, user_ids, user_text
from tests.faults.test_properties_text import CONTROL

people_ids = st.sampled_from(["U0MOD", "U0NEFF", "U0MILLER", "U0GUIDO", "U0CHEN"])
slack_text = st.lists(st.one_of(user_text.map(escape), st.sampled_from([
    *CONTROL, "Has anyone tried this?", "<https://roundtable.slack.com/archives/C0MAYORS/p1700000000000100>",
    "Wireless hotspots downtown"])), max_size=8).map("".join)


@st.composite
def threads(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A thread as conversations.replies gives it: the parent first, replies in order."""
    messages = []
    for n in range(draw(st.integers(1, 60))):
        message: dict[str, Any] = {"ts": f"{1_700_000_000 + n}.000100", "text": draw(slack_text),
                                   "user": draw(people_ids)}
        if draw(st.booleans()):
            message["reactions"] = [{"name": "+1", "count": draw(st.integers(1, 9)), "users": []}]
        if draw(st.integers(0, 9)) == 0:
            message.update(bot_id="B0ROUNDBOT", subtype="bot_message")
        messages.append(message)
    return messages


people = st.dictionaries(people_ids, st.builds(lambda name, role, city: (name, role, city), user_text.map(lambda t: t[:80]),
                                               st.sampled_from(["", "mayor", "cio"]), user_text.map(lambda t: t[:120])))
practices = st.lists(st.builds(PracticeRef, st.integers(1, 99), st.sampled_from(["Wireless hotspots downtown",
                     "One tax system for twelve", "Open data portal"]), user_text.map(lambda t: t[:60]),
                     st.just("C0MAYORS"), st.just("1700000000.000100")), max_size=4)


@settings(modest, max_examples=40)
@given(threads(), people, practices, channel_ids, st.booleans())
def test_any_thread_drafts_a_digest_that_fits_the_modal_and_the_thread(
    messages: list[dict[str, Any]], known: dict[str, tuple[str, str, str]], mentioned: list[PracticeRef],
    channel: str, complete: bool,
) -> None:
    persons = {uid: Person(uid, *details) for uid, details in known.items()}
    draft = draft_digest(messages, persons, mentioned)
    assert 0 < len(draft.title) <= TITLE_LIMIT and len(draft.body) <= BODY_LIMIT
    assert set(draft.participant_ids) <= {m["user"] for m in messages}
    ref = ThreadRef(channel, messages[0]["ts"], tuple(draft.participant_ids), len(messages))
    assert_view(slack_forms.view(build_draft_form(draft, ref, complete)))
    assert_view(slack_forms.view(build_reading_form(ref)))
    assert_view(slack_forms.view(build_problem_form(line("Can't read: ", plain_text(messages[-1]["text"])))))  # never empty
    digest = Digest(id=1, team_id="T1", channel_id=channel, thread_ts=ref.thread_ts, title=draft.title,
                    body=draft.body, participant_ids=draft.participant_ids, message_count=len(messages),
                    saved_by="U0MOD", created_at=NOW, updated_at=NOW)
    assert_message(slack.message(build_digest_message(digest)))


digests = st.builds(
    lambda title, body, channel, link, days: Digest(
        id=1, team_id="T1", channel_id=channel, thread_ts="1700000000.000100", title=title, body=body,
        participant_ids=[], message_count=3, saved_by="U0MOD", permalink=link,
        created_at=NOW - timedelta(days=days), updated_at=NOW),
    user_text.map(lambda t: " ".join(t.split())[:TITLE_LIMIT] or "Digest"),  # the modal's limit
    user_text.map(lambda t: t[:BODY_LIMIT]), channel_ids,
    st.one_of(st.just(""), st.just("https://roundtable.slack.com/archives/C0MAYORS/p1700000000000100")),
    st.integers(0, 900))


@modest
@given(digests)
def test_a_saved_digest_posts_within_slacks_limits_whatever_it_says(digest: Digest) -> None:
    assert_message(slack.message(build_digest_message(digest)))


@settings(modest, max_examples=30)
@given(crowds(digests, 20), st.integers(0, 500))
def test_the_digest_list_fits_slack(found: list[Digest], more: int) -> None:
    assert_message(slack.message(build_digest_list(found, len(found) + more)))


@modest
@given(channel_ids, st.from_regex(r"\d{10}\.\d{6}", fullmatch=True), st.lists(user_ids, max_size=400),
       st.integers(0, 10**6))
def test_a_thread_reference_fits_private_metadata_and_reads_back(channel: str, ts: str, who: list[str],
                                                                 count: int) -> None:
    ref = ThreadRef(channel, ts, tuple(who), count)
    encoded = ref.encode()
    assert len(encoded) <= 3000
    decoded = ThreadRef.decode(encoded)
    assert decoded is not None and (decoded.channel_id, decoded.thread_ts, decoded.message_count) == (channel, ts, count)
    assert decoded.participant_ids == ref.participant_ids[: len(decoded.participant_ids)]


refs = st.builds(ThreadRef, channel_ids, st.from_regex(r"\d{10}\.\d{6}", fullmatch=True),
                 st.lists(user_ids, max_size=5).map(tuple), st.integers(0, 10**6))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                           max_leaves=8)
# what could come back as private_metadata: ours, ours cut short, ours with a field of any JSON, or junk
metadata = st.one_of(
    refs.map(lambda r: ("ours", r.encode())),
    st.tuples(refs, st.integers(1, 40)).map(lambda t: ("cut", t[0].encode()[: -t[1]])),
    st.tuples(refs, st.sampled_from(["c", "t", "p", "n"]), json_values).map(
        lambda t: ("odd field", json.dumps({**json.loads(t[0].encode()), t[1]: t[2]}))),
    st.sampled_from(['{"c": "C1", "t": "1.2", "n": Infinity}', '{"c": "C1", "t": "1.2", "n": NaN}', "[" * 5000,
                     '{"c": "C1", "t": "1.2", "p": "U1"}', "null", "[]", '""']).map(lambda d: ("hostile", d)),
    st.text(max_size=200).map(lambda d: ("junk", d)),
)


@modest
@given(metadata)
def test_any_private_metadata_is_its_thread_reference_or_nothing(case: tuple[str, str]) -> None:
    shape, data = case
    decoded = ThreadRef.decode(data)  # never raises, whatever came back
    event(f"{shape}: {'decoded' if decoded else 'refused'}")
    if shape == "ours":
        assert decoded is not None and decoded.encode() == data
    if decoded is not None:
        assert isinstance(decoded.channel_id, str) and isinstance(decoded.thread_ts, str)
        assert all(isinstance(p, str) for p in decoded.participant_ids) and isinstance(decoded.message_count, int)


# digest bodies: many lines, some far longer than the limit, some exactly at it, some blank
body_lines = st.one_of(user_text, st.integers(0, 400).map(lambda n: "w" * n), st.just(""),
                       st.integers(1, 60).map(lambda n: ("word " * n).strip()))


@modest
@given(st.lists(body_lines, max_size=40).map("\n".join), st.integers(5, 300))  # 5: the longest entity, &amp;
def test_a_long_text_spreads_over_pieces_between_lines(typed: str, limit: int) -> None:
    chunks = slack.spread((Text(typed),), limit)
    text = escape(typed)  # as Slack is given it
    longest = max((len(line) for line in text.split("\n")), default=0)
    event("a line longer than the limit" if longest > limit else "every line fits")
    event("several chunks" if len(chunks) > 1 else "one chunk or none")
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())
    if longest <= limit:  # cut only between lines: every chunk is whole lines of the text
        lines = text.split("\n")
        for chunk in chunks:
            assert "\n".join(lines).find(chunk) >= 0 and all(line in lines for line in chunk.split("\n"))


@settings(modest, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.lists(st.one_of(user_text, st.sampled_from(['"', "*", "NEAR", "AND", "OR", "NOT", "title:", "^",
                                                          "(", ")", "-", ":", "'", "\\"])), max_size=12).map(" ".join))
def test_searching_digests_for_anything_never_fails_on_either_engine(db: Database, text: str) -> None:
    with db.begin() as session:
        found = search_digests(session, "T1", text)
    assert found == []
