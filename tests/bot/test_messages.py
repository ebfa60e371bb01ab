"""The seam's pieces one by one: a composed message as Block Kit and as terminal text."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.messages import (
    ChannelRef,
    Items,
    Link,
    LocalTime,
    Mention,
    Message,
    Paragraph,
    Text,
    bold,
    code,
    line,
)
from bot.render import slack
from bot.render import text as terminal

AT = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)


def test_member_text_is_escaped_by_the_renderer_and_sequences_are_the_bots_own() -> None:
    said = line(bold("<!channel> & co", cut=9), " by ", Mention("U0MILLER"), " in ", ChannelRef("C0MAYORS"), " at ",
                LocalTime(AT, "Thu Dec 3, 3:00 PM CST"), " ", Link("https://x.example/p?a=1&b=2", Text("<b>")))
    assert slack.mrkdwn(said) == ("*&lt;!channe…* by <@U0MILLER> in <#C0MAYORS> at "
                                  "<!date^1796331600^{date_short_pretty} at {time}|Thu Dec 3, 3:00 PM CST> "
                                  "<https://x.example/p?a=1&amp;b=2|&lt;b&gt;>")


def test_what_only_looks_like_an_id_or_a_link_stays_text() -> None:
    said = line(Mention("<!here>"), ChannelRef("C1|x"), Link("javascript:alert(1)>", Text("label")))
    assert slack.mrkdwn(said) == "&lt;!here&gt;C1|xlabel"


def test_a_cut_never_splits_an_entity_or_a_sequence() -> None:
    assert slack.mrkdwn(line("ab", Text("&&&&")), 8) == "ab&amp;…"
    assert slack.mrkdwn(line("abc", Mention("U0MILLER")), 8) == "abc…"


def test_a_list_that_does_not_fit_counts_what_it_leaves_out() -> None:
    items = Items("New practices", tuple(line(Text("x" * 1000)) for _ in range(5)), more=7, hint=line(code("/practice list")))
    text = slack.items_text(items)
    assert len(text) <= 3000 and text.count("x" * 1000) == 2 and text.endswith("and 10 more: `/practice list`")


def test_the_terminal_reads_people_links_and_times_as_a_reader_would() -> None:
    message = Message(line("fallback"), (Paragraph(line("Hi ", Mention("U0MILLER"), " ",
                                                        Link("https://x.example", Text("notes")), " ",
                                                        LocalTime(AT, "Dec 3"))),))
    assert terminal.text(message) == "Hi @U0MILLER notes (https://x.example) Dec 3"
    assert terminal.text(message, {"U0MILLER": "Derrick"}.get) == "Hi @Derrick notes (https://x.example) Dec 3"


def test_a_styled_word_cut_to_almost_nothing_stays_within_the_limit() -> None:
    """Found by the property test: `*…*` is three characters, more than a limit of one or two."""
    assert [slack.mrkdwn(line(bold("0" * 5)), n) for n in (1, 2, 3, 4)] == ["…", "0…", "00…", "*0…*"]


def test_a_paragraph_past_a_section_is_cut_and_a_whole_one_is_spread_over_sections() -> None:
    typed = "<!channel> " + "wireless " * 800  # 7,211 characters typed, 7,217 once escaped
    escaped = typed.replace("<", "&lt;").replace(">", "&gt;")
    [cut] = slack.blocks((Paragraph(line(typed), quote=line("said before")),))
    assert len(cut["text"]["text"]) <= 3000 and cut["text"]["text"].startswith("&lt;!channel&gt; wireless")
    spread = [b["text"]["text"] for b in slack.blocks((Paragraph(line(typed), whole=True),))]
    assert len(spread) == 3 and all(len(text) <= 3000 for text in spread)
    assert "".join("".join(spread).split()) == "".join(escaped.split())  # nothing lost, nothing unescaped


def test_a_whole_paragraph_never_cuts_a_link_or_a_style_in_half() -> None:
    """Found by the property test: spread keeps sequences whole, unless one is longer than a section."""
    label = "x" * 3100
    for segment in (Link("https://x.example/p", Text(label)), bold(label)):
        texts = [b["text"]["text"] for b in slack.blocks((Paragraph(line(segment), whole=True),))]
        assert all(t.count("<") == t.count(">") and t.count("*") % 2 == 0 for t in texts), [t[:20] for t in texts]
