"""A Graph message's HTML body as the text a digest's draft reads (bot/teams/graph_text.py): text
only, mentions as names, links as the draft's links, nothing a member typed turned into markup."""

from __future__ import annotations

from bot.digests.draft import plain_text
from bot.teams.graph_text import draft_text


def test_markup_is_dropped_and_typed_text_stays_text() -> None:
    html = (
        '<p>Hi <at id="0">Ana Ruiz</at>, see <a href="https://detroit.example.gov/wifi?a=1&amp;b=2">the '
        "<b>plan</b></a></p><script>steal()</script><div>&lt;@U123&gt; &lt;https://evil.example|x&gt; "
        '<img src="x.png" alt="chart"><emoji alt="👍"></emoji></div>'
    )
    text = draft_text(html)
    assert "steal" not in text and "chart" not in text and "<b>" not in text
    read = plain_text(text)
    assert read == (
        "Hi @Ana Ruiz, see the plan (https://detroit.example.gov/wifi?a=1&b=2) "
        "<@U123> <https://evil.example|x> 👍"
    )  # typed look-alikes stay as typed


def test_links_without_a_web_address_keep_only_their_label_and_plain_bodies_are_escaped() -> None:
    assert (
        plain_text(draft_text('<a href="javascript:alert(1)">click</a> <a href="mailto:a@b.org">a@b.org</a>'))
        == "click a@b.org"
    )
    assert draft_text("a < b & c", "text") == "a &lt; b &amp; c"
