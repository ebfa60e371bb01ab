"""The Home tab's limit: whatever the workspace holds, every section shows within Slack's 100 blocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import messages as m
from bot.home import (
    EXPERT_QUESTIONS,
    MODERATOR_QUESTIONS,
    MY_QUESTIONS,
    PRACTICES,
    HomeContext,
    HomeData,
    build_home,
    home_parts,
)
from bot.render.slack_limits import VIEW_BLOCKS as MAX_HOME_BLOCKS  # Slack's limit, written once
from storage import conversations
from storage.db import Database
from storage.practices import Practice
from storage.questions import OPEN, Question, SuggestedExpert
from tests.faults.blockkit import assert_view

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)
MODERATOR, TEAM = "U0MOD", "T1"
HEADERS = ["Roundtable", "Your open questions", "Waiting for your expertise", "Newest practices", "Next roundtable",
           "Open questions (moderator)"]


def test_a_moderators_home_tab_with_hundreds_of_everything_keeps_every_section(db: Database) -> None:
    with db.begin() as session:
        conversations.record(session, TEAM, "C1", True, NOW)  # a public channel: its questions are shown
        for n in range(150):
            asked = NOW - timedelta(hours=n + 1)
            session.add(Question(id=n + 1, team_id=TEAM, channel_id="C1", ts=f"17000{n:05d}.000100",
                                 user_id=MODERATOR if n % 2 else "U0MAYOR", text=f"Question {n}?", status=OPEN,
                                 asked_at=asked, updated_at=asked))
            session.add(Practice(team_id=TEAM, user_id="U0CIO", city="Detroit", title=f"Practice {n}",
                                 created_at=asked, updated_at=asked))
        session.flush()
        session.add_all(SuggestedExpert(question_id=n + 1, user_id=MODERATOR, team_id=TEAM) for n in range(0, 150, 2))
    with db.begin() as session:
        home = build_home(session, HomeContext(TEAM, MODERATOR, NOW, is_moderator=True))
    assert_view(home)
    blocks = home["blocks"]
    assert len(blocks) <= MAX_HOME_BLOCKS
    assert [b["text"]["text"] for b in blocks if b["type"] == "header"] == HEADERS  # none pushed out
    buttons = [b["accessory"]["text"]["text"] for b in blocks if b.get("accessory")]
    assert buttons == ["Mark answered"] * MY_QUESTIONS + ["Close this question"] * MODERATOR_QUESTIONS
    shown = sum(1 for b in blocks if b["type"] == "section" and "Practice " in b["text"]["text"])
    assert shown == PRACTICES
    waiting = blocks[blocks.index(next(b for b in blocks if b.get("text", {}).get("text") == HEADERS[2])) + 1:]
    assert sum(1 for b in waiting[:EXPERT_QUESTIONS + 1] if "Question" in b["text"].get("text", "")) == EXPERT_QUESTIONS


def test_the_home_tab_is_arranged_from_gathered_data_without_a_database() -> None:
    asked = NOW - timedelta(hours=1)
    question = Question(id=7, team_id=TEAM, channel_id="C1", ts="1700000000.000100", user_id="U0MAYOR",
                        text="Who runs 311 on Salesforce?", status=OPEN, asked_at=asked, updated_at=asked)
    data = HomeData(mine=[], wanted=[question], practices=[], roundtable=None, every_open=[question])
    member = home_parts(data, HomeContext(TEAM, "U0MAYOR", NOW))
    moderator = home_parts(data, HomeContext(TEAM, MODERATOR, NOW, is_moderator=True))
    headings = [p.text for p in member if isinstance(p, m.Heading)]
    assert headings == HEADERS[:-1]  # a member never sees the moderators' list, even when it was gathered
    assert [p.text for p in moderator if isinstance(p, m.Heading)] == HEADERS
    texts = repr(member)
    assert "Who runs 311 on Salesforce?" in texts and "None scheduled" in texts and "Nothing shared yet" in texts
