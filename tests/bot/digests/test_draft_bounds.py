"""Drafting is linear in the thread's size: no pattern scans past the next "<", and each message
is read up to READ_LIMIT characters (bench/digest_draft.py times the worst case)."""

from __future__ import annotations

import pytest

from bot.digests.draft import (
    CHANNEL,
    FALLBACK,
    LINK,
    MENTION,
    READ_LIMIT,
    SPECIAL,
    PracticeRef,
    draft_digest,
    plain_text,
)


@pytest.mark.parametrize(("pattern", "opened"), [
    (LINK, "<http:unclosed"), (LINK, "<https://a.example|label"), (MENTION, "<@U1|name"),
    (CHANNEL, "<#C1|name"), (SPECIAL, "<!here|x"), (FALLBACK, "<!date^1^x|fallback"),
])
def test_no_control_sequence_match_spans_another_one(pattern, opened: str) -> None:
    """An unclosed sequence ends at the next "<": a match never re-scans the rest of the text,
    which is what made 40,000 characters of "<http:" take seconds."""
    text = f"{opened} and then <https://b.example|B> <@U2> <#C2> <!channel> <!date^2^y|z>"
    for match in pattern.finditer(text):
        assert "<" not in match.group(0)[1:], match.group(0)


def test_an_unclosed_link_leaves_the_next_one_intact() -> None:
    assert plain_text("<http:unclosed see <https://b.example|the report>") == (
        "<http:unclosed see the report (https://b.example)")


def _reply(n: int, text: str) -> dict:
    return {"type": "message", "user": f"U{n % 3}", "ts": f"{1_795_000_001 + n}.000100",
            "thread_ts": "1795000000.000100", "text": text}


def test_each_message_is_read_up_to_its_first_read_limit_characters() -> None:
    parent = {"type": "message", "user": "U0", "ts": "1795000000.000100", "text": "How do we pay for it?"}
    title = "Free wireless hotspots downtown"
    early = _reply(1, f"We did {title} last year.")
    late = _reply(2, "x" * READ_LIMIT + f" and {title} again. Who paid? <https://late.example>")
    practices = [PracticeRef(1, title)]
    assert draft_digest([parent, early], {}, practices).practice_ids == [1]
    draft = draft_digest([parent, late], {}, practices)
    assert draft.practice_ids == [] and "late.example" not in draft.body and "Who paid" not in draft.body


def test_a_question_is_answered_by_the_next_message_from_someone_else() -> None:
    parent = {"type": "message", "user": "U0", "ts": "1795000000.000100", "text": "Who runs the wifi downtown?"}
    thread = [parent, _reply(3, "Also: is it free for visitors?"), _reply(6, "still me"), _reply(4, "Yes it is.")]
    thread[1]["user"] = thread[2]["user"] = "U0"
    body = draft_digest(thread, {}, []).body
    assert "U0: \u201cWho runs the wifi downtown?\u201d (answered by U1)" in body
    assert "U0: \u201cAlso: is it free for visitors?\u201d (answered by U1)" in body
