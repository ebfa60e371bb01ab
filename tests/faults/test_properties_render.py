"""Properties of the seam: any composed message, whatever members typed, renders for Slack within
its limits with nothing unescaped, survives storage (`to_data`/`from_data`) unchanged, and reads
the same in the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import event, example, given
from hypothesis import strategies as st

from bot import messages as m
from bot.render import slack
from bot.render import text as terminal
from bot.render.slack_limits import MESSAGE_BLOCKS, SECTION_TEXT, message_problems
from tests.faults.blockkit import assert_message
from tests.faults.strategies import channel_ids, modest, piece, user_ids, user_text

# cut 0 (none) often: a paragraph of uncut member text is what overflows a section
texts = st.builds(m.Text, user_text, st.sampled_from(["", "bold", "italic", "code"]),
                  st.one_of(st.just(0), st.integers(0, 400)), st.booleans())
instants = st.integers(0, 4_000_000_000).map(lambda s: datetime.fromtimestamp(s, UTC))
segments = st.one_of(
    texts, texts, st.builds(m.Mention, st.one_of(user_ids, user_text)), st.builds(m.ChannelRef, channel_ids),
    st.builds(m.Link, st.one_of(st.just("https://roundtable.slack.com/archives/C1/p1"), user_text), texts),
    st.builds(m.LocalTime, instants, user_text, st.sampled_from(["short", "short_pretty", "long_pretty"]),
              st.booleans()),
)
segments = st.one_of(segments, st.builds(m.Styled, st.sampled_from(["", "bold", "italic", "code"]),
                                          st.lists(segments, max_size=3).map(tuple)))
inlines = st.lists(segments, max_size=6).map(tuple)
# a whole paragraph as the bot composes one (a digest's body, a practice's field): member text with
# short sequences; a sequence longer than a section is tests/bot/test_messages.py's xfail
long_text = st.integers(2000, 9000).map(lambda n: m.Text(("Hotspots <!channel> & fiber\n" * 400)[:n]))
plain_inlines = st.lists(st.one_of(st.builds(m.Text, user_text, st.just(""), st.one_of(st.just(0), st.integers(0, 400)),
                                             st.booleans()), long_text, st.builds(m.Mention, user_ids),
                                   st.builds(m.ChannelRef, channel_ids)), min_size=1, max_size=6).map(tuple)
buttons = st.builds(m.Button, user_text, st.from_regex(r"[a-z_]{1,40}", fullmatch=True), user_text,
                    st.sampled_from(["", "primary", "danger"]))
parts = st.one_of(
    st.builds(m.Heading, user_text),
    st.builds(m.Paragraph, inlines, st.none() | buttons, st.one_of(st.just(()), inlines)),
    st.builds(m.Paragraph, plain_inlines, st.none() | buttons, st.just(()), st.just(True)),
    st.builds(m.Items, user_text, st.lists(inlines, max_size=12).map(tuple), st.integers(0, 10**6), inlines),
    st.builds(m.Context, st.lists(inlines, min_size=1, max_size=11).map(tuple)), st.just(m.Divider()),
    st.builds(m.Actions, st.lists(buttons, min_size=1, max_size=5).map(tuple)),
)
# many parts (past 50 blocks) must be small ones: 49 to 55 of `parts` ran hypothesis out of data, so no
# example ever had more than 8 parts
short_parts = st.one_of(st.just(m.Divider()), st.builds(m.Heading, st.text(max_size=20)),
                        st.builds(m.Paragraph, st.lists(st.builds(m.Text, piece), max_size=2).map(tuple)),
                        st.builds(m.Items, st.text(max_size=20), st.lists(inlines, max_size=3).map(tuple)),
                        long_text.map(lambda text: m.Paragraph((text,), whole=True)))
fallbacks = st.builds(lambda words, rest: (m.Text(words), *rest), st.from_regex(r"[A-Za-z][A-Za-z ]{0,40}", fullmatch=True),
                      inlines)
many_parts = st.integers(49, 60).flatmap(lambda n: st.lists(short_parts, min_size=n, max_size=n))
messages = st.builds(m.Message, fallbacks, st.one_of(st.lists(parts, max_size=8), many_parts).map(tuple),
                     st.sampled_from([None, True, False]))


@modest
@given(messages)
@example(m.Message(m.line("A"), (m.Paragraph((m.Text("A"), m.Mention("00"))),)))  # found by hypothesis: <@00>
def test_any_composed_message_fits_slack_and_escapes_what_members_typed(message: m.Message) -> None:
    rendered = slack.message(message)
    past = [p for p in message.parts if isinstance(p, m.Paragraph) and len(slack.mrkdwn(p.text)) > SECTION_TEXT]
    event("a whole paragraph past a section" if any(p.whole for p in past) else
          "a paragraph cut to a section" if past else "every paragraph fits a section")
    event("more parts than 50 blocks" if len(message.parts) > MESSAGE_BLOCKS else "50 parts or fewer")
    assert message_problems(rendered.get("blocks", [])) == []  # the emulator's check: the same numbers
    assert_message(rendered)


@modest
@given(messages)
def test_a_stored_message_comes_back_the_same(message: m.Message) -> None:
    assert m.from_data(json.loads(json.dumps(m.to_data(message)))) == message


@modest
@given(inlines, st.integers(1, 3000))
def test_a_cut_line_stays_within_its_limit_and_keeps_its_start(inline: tuple, limit: int) -> None:
    whole, cut = slack.mrkdwn(inline), slack.mrkdwn(inline, limit)
    assert len(cut) <= limit
    if len(whole) <= limit:
        assert cut == whole
    assert_message({"text": cut or "x"})


@modest
@given(messages)
def test_the_terminal_shows_text_as_typed(message: m.Message) -> None:
    shown = terminal.text(message)
    for part in message.parts:
        if isinstance(part, m.Heading):
            assert part.text in shown


def reference_blocks(parts: tuple[m.Part, ...], limit: int = MESSAGE_BLOCKS) -> list[dict]:
    """bot/render/slack.py's blocks() as it was before it wrote each paragraph once (commit b567970):
    blank parts filtered out first (a paragraph's mrkdwn written to look), then each part rendered."""
    def shown(part: m.Part) -> m.Part | None:
        if isinstance(part, m.Paragraph) and not slack.mrkdwn(part.text).strip():
            return m.Actions((part.button,)) if part.button else None
        if (isinstance(part, m.Items) and not slack.items_text(part).strip()
                or isinstance(part, m.Heading) and not part.text.strip()):
            return None
        return part

    out: list[dict] = []
    for part in [p for p in (shown(part) for part in parts) if p is not None]:
        rendered = slack.part_blocks(part)
        if len(out) + len(rendered) > limit:
            break
        out += rendered
    while out and out[-1]["type"] == "divider":
        out.pop()
    return out


@modest
@given(messages)
@example(m.Message(m.line("A"), (m.Paragraph((m.Text(" " * 3001), m.Text("x"))),)))  # blank within the section
@example(m.Message(m.line("A"), (m.Paragraph((), m.Button("Edit", "edit")), m.Paragraph((m.Text(" \n "),)),
                                 m.Items("", ()), m.Heading(" "))))
def test_blocks_are_byte_for_byte_what_they_were_before_paragraphs_were_written_once(message: m.Message) -> None:
    assert json.dumps(slack.blocks(message.parts)) == json.dumps(reference_blocks(message.parts))


@modest
@given(inlines, st.integers(0, 3000))
@example((m.Text("<!here> & <http://x|y>"), m.Text("a", cut=0), m.Text(" \n ", fold=False)), 0)
def test_plain_text_written_directly_is_what_its_segment_renders_to(inline: tuple, limit: int) -> None:
    """mrkdwn() escapes plain, uncut text itself (no mrkdwn_text call): the same pieces, cut the same way."""
    whole = "".join(slack.mrkdwn_segment(segment) for segment in inline)
    assert slack.mrkdwn(inline) == whole
    if len(whole) <= limit:
        assert slack.mrkdwn(inline, limit) == whole
