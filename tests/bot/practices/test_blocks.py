"""Every practice and profile message stays within Block Kit's limits and shows typed text as text.

A property test: whatever members type (mentions, links, `&`, 20,000 characters, emoji,
right-to-left scripts), no builder emits `<!channel>`, `<@U...>` or `<http...|...>` from it,
and Slack would accept every message and view.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import payloads
from bot.messages import bold, italic, line
from bot.practices import blocks
from bot.practices.modal import read_share, share_form, share_state
from bot.practices.rules import parse_quick_share
from bot.profiles import profile_form
from bot.render import slack_forms
from bot.render.slack import message as render
from bot.render.slack_limits import message_problems, view_problems
from bot.text import escape, fit
from bot.topics import TOPICS
from storage.digests import Digest
from storage.practices import Practice, PracticeTopic
from storage.profiles import Profile
from tests.faults.blockkit import text_objects

HOSTILE = ["<!channel>", "<!everyone>", "<!here>", "<@U0MOD>", "<#C0GENERAL>", "<http://evil.example|bank>",
           "&", "&amp;", "&lt;", "<", ">", "*bold*", "`code`", "🎉", "👩🏽‍💻", "مدينة", "שלום", "\u202e", "\n",
           "'; DROP TABLE practice; --", "%s", "\\", '"']
SHARER_MENTION = re.compile(r"<@U0MILLER>|<!date\^\d+\^\{date_short_pretty\}\|[A-Za-z0-9, ]+>")  # ours, not typed
typed = st.one_of(
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=12).map("".join),
    st.tuples(st.sampled_from(HOSTILE), st.integers(1, 2500)).map(lambda p: p[0] * p[1]),  # up to 20,000+ characters
)
topics = st.lists(st.one_of(st.sampled_from([slug for slug, _ in TOPICS]),
                            st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12})?", fullmatch=True)),
                  max_size=10, unique=True)


def make_practice(title: str, text: str, slugs: list[str]) -> Practice:
    when = datetime(2004, 7, 12, tzinfo=UTC)
    practice = Practice(id=12, team_id="T0ROUNDTBL", user_id="U0MILLER", city=text[:120], title=title,
                        problem=text, solution=text[::-1], outcome=text, cost=text[:500], contact=text[:300],
                        channel_id="C0GENERAL", message_ts="1.2", created_at=when, updated_at=when)
    practice.topics = [PracticeTopic(topic=t) for t in slugs]
    return practice


def texts(node: Any) -> list[str]:
    """Every text object's text in a message or view (what Slack renders)."""
    return text_objects(node)


def assert_safe_message(message: dict[str, Any]) -> None:
    assert message_problems(message["blocks"]) == []
    assert len(message["text"]) <= 40_000
    for text in [message["text"], *texts(message["blocks"])]:
        assert "<" not in SHARER_MENTION.sub("", text) and ">" not in SHARER_MENTION.sub("", text), text[:200]


def assert_safe_view(view: dict[str, Any]) -> None:
    assert view_problems(view) == []
    for text in texts(view["blocks"]):
        assert "<" not in re.sub(r"<@U0[A-Z]+>", "", SHARER_MENTION.sub("", text)), text[:200]


@settings(max_examples=80, deadline=None)
@given(title=typed, text=typed, name=typed, slugs=topics, cities=st.lists(typed, max_size=30))
def test_every_practice_message_is_within_limits_and_escaped(title: str, text: str, name: str,
                                                              slugs: list[str], cities: list[str]) -> None:
    practice = make_practice(title, text, slugs)
    sharer = blocks.Sharer(name=name, role="cio", city=text[:120], user_id="U0MILLER")
    assert_safe_message(render(blocks.build_card(practice, sharer, cities)))
    assert_safe_message(render(blocks.build_removed_card(practice)))
    assert_safe_message(render(blocks.build_show(practice, sharer, cities)))
    assert_safe_message(render(blocks.build_shared(practice, posted=False)))
    heading = line(bold("3 practices"), " for ", italic(text, cut=200))
    assert_safe_message(render(blocks.build_results(heading, [practice] * 20, {12: cities}, line("none"), line("hint"))))
    assert_safe_view(slack_forms.view(blocks.build_details_form(practice, sharer, cities)))


DIGEST_LINE = re.compile(r"• (<https://[^\s|<>]+\|[^<>]*>|\*[^<>]*\*) · <#C0GENERAL> · "
                         r"<!date\^\d+\^\{date_short_pretty\}\|[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{4}>")
permalinks = st.one_of(typed, st.sampled_from([
    "", "https://roundtable.slack.com/archives/C0GENERAL/p1795000000000100?thread_ts=1795000000.000100",
    "https://x.example/a|<!channel>", "https://x.example/a>b", "javascript:alert(1)", "https://x.example/a b"]))


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(typed, min_size=1, max_size=5), links=st.lists(permalinks, min_size=5, max_size=5))
def test_digests_under_search_results_link_only_their_thread(titles: list[str], links: list[str]) -> None:
    when = datetime(2004, 7, 12, tzinfo=UTC)
    found = [Digest(id=n, team_id="T0ROUNDTBL", channel_id="C0GENERAL", thread_ts="1.2", title=title[:150],
                    body="", saved_by="U0MILLER", permalink=links[n][:300], created_at=when, updated_at=when)
             for n, title in enumerate(titles)]
    practice = make_practice("Wireless", "downtown", [])
    for practices in ([practice] * 20, []):
        message = render(blocks.build_results(line(bold("20 practices")), practices, {}, line("No practices."),
                                              line("hint"), found))
        assert message_problems(message["blocks"]) == []
        [section] = [t for t in texts(message["blocks"]) if t.startswith("*From saved discussions:*")]
        lines = section.split("\n")[1:]
        bullets = [line for line in lines if line.startswith("• ")]
        assert len(bullets) == min(len(found), blocks.DIGESTS_SHOWN)
        assert all(DIGEST_LINE.fullmatch(line) for line in bullets), bullets
        assert (len(lines) > len(bullets)) == (len(found) > blocks.DIGESTS_SHOWN)


@settings(max_examples=60, deadline=None)
@given(text=typed, slugs=topics)
def test_forms_are_within_limits_and_give_back_what_was_typed(text: str, slugs: list[str]) -> None:
    draft = parse_quick_share(text[:3000], city=text[:120])
    view = slack_forms.view(share_form(draft, channel_id="C0GENERAL", practice_id=12))
    assert_safe_view(view)
    submitted = slack_forms.submitted({**view, "state": payloads.view_state(view)})
    read, carried = read_share(submitted.values), share_state(submitted.state)
    assert (carried.practice_id, carried.channel_id) == (12, "C0GENERAL")
    assert read.title == draft.title[:150] and read.solution == draft.solution[:3000]
    profile = Profile(team_id="T0ROUNDTBL", user_id="U0NEFF", role="cio", city=text[:120], state=text[:60],
                      title=text[:200], expertise=slugs)
    assert_safe_view(slack_forms.view(profile_form(profile, user_id="U0NEFF", own=False, channel_id="C0GENERAL",
                                                   may_grant_moderator=True)))


@given(st.text())
def test_escape_leaves_no_control_sequences_and_fit_keeps_entities_whole(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
    cut = fit(text, 50, "…")
    assert len(cut) <= 50
    assert not re.search(r"&(?!amp;|lt;|gt;)", cut)


def test_long_fields_are_shown_whole_across_sections() -> None:
    practice = make_practice("Title", "", [])
    practice.problem = "&<>" * 1000  # the form's 3,000 characters, 13,000 once escaped
    shown = render(blocks.build_show(practice, blocks.Sharer(name="Derrick Miller"), []))
    assert message_problems(shown["blocks"]) == []
    sections = [b["text"]["text"] for b in shown["blocks"][2:] if b["type"] == "section"]
    assert "".join(sections).removeprefix("*The problem*\n") == escape(practice.problem)


def test_the_card_points_to_the_rest_of_a_long_outcome() -> None:
    card = render(blocks.build_card(make_practice("Title", "word " * 1000, []), blocks.Sharer(name="D"), []))
    assert "`/practice show 12`" in json.dumps(card)
