"""The roundup's content: every section, honest figures, Slack's limits whatever the week held."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from slack_sdk.models.blocks import Block

from bot.emulator import TEAM_ID
from bot.messages import line
from bot.roundup.content import Roundup, build_roundup, render_blocks, render_message, render_text
from bot.roundup.sections import Section
from storage.db import Database
from tests import week
from tests.harness import flatten
from tests.week import IN_WEEK, LAST_MONTH, NOW

# Block Kit limits (shared/reference/slack-platform.md)
MAX_BLOCKS, SECTION_CHARS, HEADER_CHARS = 50, 3000, 150
ZONE = "America/New_York"
QUIET_TEXT = ("A quiet week: no practices were shared or adopted, and no questions were asked or answered. "
              "Share what worked in your city with `/practice`, or ask the exchange with `/ask &lt;your question&gt;`.")


def assert_fits_slack(blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        Block.parse(block).validate_json()  # slack_sdk's own checks
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_CHARS
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= SECTION_CHARS


def roundup_of(db: Database, team_id: str = TEAM_ID) -> Any:
    with db.begin() as session:
        return build_roundup(session, team_id, NOW, ZONE)


def test_a_week_with_300_new_practices_stays_within_slacks_limits(db: Database) -> None:
    long_title = "<!channel> " + "Municipal wireless & broadband " * 9  # 290 characters: past any line's share
    with db.begin() as session:
        for i in range(300):
            row = week.practice(session, f"{long_title} {i}", at=IN_WEEK + timedelta(seconds=i),
                                city="Detroit-" * 15)
            if i % 3 == 0:
                week.adoption(session, row, f"City {i}")
                week.adoption(session, row, f"Town {i}")
    roundup = roundup_of(db)
    blocks = render_blocks(roundup)
    assert_fits_slack(blocks)
    text = json.dumps(blocks)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    new = next(b["text"]["text"] for b in blocks if "New practices this week" in b.get("text", {}).get("text", ""))
    assert new.count("\n• ") == 10 and new.endswith("and 290 more: `/practice list`")
    assert "adopted by 2 cities" in new
    most = next(b["text"]["text"] for b in blocks if "*Most adopted*" in b.get("text", {}).get("text", ""))
    assert most.endswith("and 95 more: `/practice list`")
    assert roundup.figures.line().startswith("300 practices shared")
    assert len(render_message(roundup)["text"]) < 40_000


def test_lines_that_do_not_fit_3000_characters_are_counted_not_cut(db: Database) -> None:
    """Titles of angle brackets escape to four times their length: ten lines are far past 3000."""
    with db.begin() as session:
        for i in range(30):
            week.practice(session, "<" * 150 + f" {i}", at=IN_WEEK + timedelta(seconds=i), city="&" * 120)
    blocks = render_blocks(roundup_of(db))
    assert_fits_slack(blocks)
    new = next(b["text"]["text"] for b in blocks if "New practices this week" in b.get("text", {}).get("text", ""))
    shown = new.count("\n• ")
    assert 0 < shown < 10 and len(new) <= SECTION_CHARS
    assert new.endswith(f"and {30 - shown} more: `/practice list`")  # whole lines dropped, and counted
    assert all(line.count("&lt;") >= 100 for line in new.split("\n")[1:-1])  # none cut in half


def test_more_sections_than_50_blocks_hold_are_left_out_whole() -> None:
    """Today's builders make a handful of sections; the 50-block guard holds for any number."""
    start = NOW - timedelta(days=7)
    roundup = Roundup("T1", start, NOW, [Section(f"Section {n}", (line(f"• line {n}"),)) for n in range(40)])
    blocks = render_blocks(roundup)
    assert len(blocks) <= MAX_BLOCKS and blocks[-1]["type"] == "section"
    assert_fits_slack(blocks)


def test_an_empty_week_gets_a_short_honest_roundup(db: Database) -> None:
    with db.begin() as session:
        week.practice(session, "Shared last month", at=LAST_MONTH)
    roundup = roundup_of(db)
    assert roundup.quiet and roundup.sections == []
    blocks = render_blocks(roundup)
    assert_fits_slack(blocks)
    assert len(blocks) == 3 and blocks[2]["text"]["text"] == QUIET_TEXT
    assert roundup.title == "Roundtable roundup, week of Mon, Nov 16, 2026 – Mon, Nov 23, 2026"
    assert "0 practices shared · 0 questions asked · 0 answered · 0 cities active" in render_text(roundup)


def test_a_full_week_has_every_section_and_its_figures(db: Database) -> None:
    with db.begin() as session:
        week.profile(session, "U0COWNIE", "mayor", "Des Moines")
        week.profile(session, "U0MENINO", "mayor", "Boston")
        week.profile(session, "U0NEFF", "cio", "Philadelphia")
        hotspots = week.practice(session, "Free wireless hotspots downtown")
        taxes = week.practice(session, "One tax system instead of twelve", city="Philadelphia",
                              user_id="U0NEFF", at=LAST_MONTH)
        week.practice(session, "Deleted practice", deleted=True)
        week.adoption(session, hotspots, "Des Moines")
        week.adoption(session, taxes, "Boston")
        week.adoption(session, taxes, "Seattle", at=LAST_MONTH)
        old = week.question(session, "Who has outsourced their data center?", at=NOW - timedelta(days=20),
                            experts=("U0NEFF", "U0SCHRIER"))
        week.question(session, "Anyone using <!here> open data portals?", user_id="U0MENINO",
                      at=NOW - timedelta(days=3))
        answered = week.question(session, "How do you fund hotspots?", at=NOW - timedelta(days=3))
        week.answer(session, answered, "U0MILLER", NOW - timedelta(days=3) + timedelta(hours=2), accept=True)
        replied = week.question(session, "How long did the tax migration take?", user_id="U0MENINO",
                                at=NOW - timedelta(days=2))
        week.answer(session, replied, "U0NEFF", NOW - timedelta(days=2) + timedelta(hours=6))
        week.digest(session, "What Detroit learned about hotspots")
        assert old.id
    roundup = roundup_of(db)
    blocks = render_blocks(roundup)
    assert_fits_slack(blocks)
    text = flatten({"blocks": blocks})
    headings = [s.heading for s in roundup.sections]
    assert headings == ["New practices this week", "Most adopted", "Mayors' questions waiting longest",
                        "Answered this week", "Digests saved"]
    assert "Deleted practice" not in text
    assert "*Free wireless hotspots downtown* · Detroit · shared by <@U0MILLER> · adopted by 1 city" in text
    assert "*One tax system instead of twelve* (Philadelphia): adopted by 1 city this week, 2 cities in all" in text
    waiting = text.split("Mayors' questions waiting longest", 1)[1]
    assert waiting.index("Who has outsourced") < waiting.index("open data portals")
    assert "(Des Moines), waiting 20 days" in waiting and "suggested: <@U0NEFF>, <@U0SCHRIER>" in waiting
    assert "&lt;!here&gt;" in waiting and "<!here>" not in waiting
    assert "How long did the tax migration" not in waiting  # replied to: no longer waiting
    assert "\u201cHow do you fund hotspots?\u201d asked by <@U0COWNIE>, answered by <@U0MILLER>" in text
    assert "<https://roundtable.slack.com/archives/C0GENERAL/p1|What Detroit learned about hotspots>" in text
    figures = roundup.figures.line()
    assert figures == ("1 practice shared · 3 questions asked · 1 answered · "
                       "median time to first answer 4 h · 4 cities active")


def test_other_workspaces_never_show(db: Database) -> None:
    with db.begin() as session:
        week.practice(session, "Someone else's practice", team_id="T0OTHER")
        week.question(session, "Someone else's question?", team_id="T0OTHER")
        week.digest(session, "Someone else's digest", team_id="T0OTHER")
    assert roundup_of(db).quiet


def test_every_date_in_a_roundup_heading_is_shown_the_one_way_dates_are_shown() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.roundup.content import date_range

    chicago = ZoneInfo("America/Chicago")
    assert date_range(datetime(2026, 12, 28, tzinfo=chicago), datetime(2027, 1, 4, tzinfo=chicago)) == (
        "Mon, Dec 28, 2026 – Mon, Jan 4, 2027")
