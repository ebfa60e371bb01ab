"""bot/render/teams.py: mentions, links, local times and buttons as Teams expects them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import messages as m
from bot.render import teams
from bot.render import teams_limits as limits


def test_mentions_links_times_and_buttons() -> None:
    at = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)
    message = m.Message(m.line("reminder"), (
        m.Paragraph(m.line(m.Mention("aad-1"), " shared ", m.Link("https://example.org/p", m.plain("a [practice]")),
                           " and ", m.Link("javascript:alert(1)", m.plain("bad")), " at ",
                           m.LocalTime(at, "Dec 3"))),
        m.Actions((m.Button("Going", "rsvp_yes", "r1", "primary"),)),
    ))
    activity = teams.activity(message, name_of={"aad-1": "Maria <Lopez>"}.get)
    card = activity["attachments"][0]["content"]
    text = card["body"][0]["text"]
    assert text.startswith("<at>Maria &lt;Lopez&gt;</at> shared [a \\[practice\\]](https://example.org/p) and bad at ")
    assert text.endswith("{{DATE(2026-12-03T17:30:00Z, SHORT)}} {{TIME(2026-12-03T17:30:00Z)}}")
    assert activity["entities"] == [{"type": "mention", "text": "<at>Maria &lt;Lopez&gt;</at>",
                                     "mentioned": {"id": "aad-1", "name": "Maria &lt;Lopez&gt;"}}]
    assert card["body"][1]["actions"] == [{"type": "Action.Execute", "title": "Going", "verb": "rsvp_yes",
                                           "data": {"action": "rsvp_yes", "value": "r1"}, "style": "positive"}]
    assert activity["text"] == "reminder" and card["fallbackText"] == "reminder"


def test_member_text_that_looks_like_a_mention_or_a_function_stays_text() -> None:
    card = teams.card(m.Message(m.line("x"), (m.Paragraph(m.line("<at>Boss</at> {{DATE(2026-01-01T00:00:00Z)}}")),)))
    text = card["body"][0]["text"]
    assert "<at>" not in text and "{{" not in text and card["msteams"]["entities"] == []


def test_a_message_past_40_kb_leaves_its_last_parts_out_and_counts_them() -> None:
    message = m.Message(m.line("week"), (m.Paragraph(m.line("x" * 3900)),) * 20)  # 78,000 characters
    activity = teams.activity(message)
    assert limits.size(activity) <= limits.MESSAGE_BYTES
    body = activity["attachments"][0]["content"]["body"]
    kept = sum(block["text"] == "x" * 3900 for block in body)
    assert 0 < kept < 20 and body[-1]["text"] == f"and {20 - kept} more"


def test_a_long_list_shows_lines_up_to_its_share_of_the_card_and_counts_the_rest() -> None:
    lines = tuple(m.line("y" * 1000) for _ in range(40))  # 40 KB of lines, fewer than ITEMS_SHOWN
    body = teams.card(m.Message(m.line("list"), (m.Items("Practices", lines),)))["body"]
    shown = sum(block["text"] == "y" * 1000 for block in body)
    assert shown == limits.BODY_BYTES // 1000 and body[-1]["text"] == f"and {40 - shown} more"


def test_a_member_of_another_platform_is_named_as_text_not_a_mention() -> None:
    message = m.Message(m.line("x"), (m.Paragraph(m.line("asked by ", m.Mention("U0ASKER"), " and ",
                                                         m.Mention("29:user-1"))),))
    activity = teams.activity(message, name_of={"U0ASKER": "Nate *Jones*", "29:user-1": "Frank"}.get)
    assert activity["attachments"][0]["content"]["body"][0]["text"] == "asked by Nate \\*Jones\\* and <at>Frank</at>"
    assert [e["mentioned"]["id"] for e in activity["entities"]] == ["29:user-1"]
