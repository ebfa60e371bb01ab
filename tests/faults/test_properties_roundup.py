"""The weekly roundup and the Home tab built from whatever a week held, straight from the database:
however many practices, questions, digests and meetings, and whatever members typed, they fit Slack
(50 blocks a message, 100 a Home tab, 3000 characters a section) and ping nobody."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.home import HomeContext, build_home
from bot.roundtables import meetings
from bot.roundtables.plans import MeetingPlan
from bot.roundup.content import build_roundup, render_message
from storage.db import Database
from storage.digests import Digest
from storage.practices import Adoption, Practice, city_key
from storage.profiles import Profile
from storage.questions import ANSWERED, OPEN, Answer, Question, SuggestedExpert
from tests.faults.blockkit import assert_message, assert_view
from tests.faults.strategies import NOW, crowds, user_text, zones

TEAM = "T1"
MEMBERS = [f"U0M{n}" for n in range(6)]
member = st.sampled_from(MEMBERS)
# what members typed, up to the stored limits; the worst case (every character escaped 4-5 times) often
texts = st.one_of(user_text.map(lambda t: t[:150].strip() or "x"), st.sampled_from(["<" * 150, "&<>" * 50]))
cities = st.one_of(user_text.map(lambda t: t[:120].strip()), st.just("&" * 120))
within_week = st.integers(0, 7 * 24 * 60 - 1).map(lambda m: NOW - timedelta(minutes=m + 1))


@pytest.fixture(scope="module")
def week_db(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("week") / "week.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@st.composite
def weeks(draw: st.DrawFn) -> tuple[list[Any], list[Any]]:
    """The rows of one busy (or quiet) week in a workspace: the records, then what refers to them."""
    later: list[Any] = []
    rows: list[Any] = [Profile(team_id=TEAM, user_id=u, role=draw(st.sampled_from(["mayor", "cio", "other"])),
                               city=draw(cities), updated_at=NOW) for u in MEMBERS]
    for n in range(draw(st.integers(0, 14))):
        practice = Practice(id=n + 1, team_id=TEAM, user_id=draw(member), city=draw(cities), title=draw(texts),
                            problem="", solution=draw(user_text), outcome="", cost="", contact="",
                            created_at=draw(within_week), updated_at=NOW,
                            channel_id="C0MAYORS", message_ts=f"17000000{n:02d}.000100" if n % 2 else "")
        rows.append(practice)
        for k, city in enumerate(dict.fromkeys(draw(st.lists(cities.filter(bool), max_size=4)))):
            later.append(Adoption(team_id=TEAM, practice_id=n + 1, city=city, city_key=city_key(city)[:120] or str(k),
                                 user_id=f"{draw(member)}{k}", created_at=draw(within_week)))  # one per member
    for n in range(draw(st.integers(0, 14))):
        answered = draw(st.booleans())
        asked = draw(within_week)
        question = Question(id=n + 1, team_id=TEAM, channel_id="C0MAYORS", ts=f"1700001{n:03d}.000100",
                            user_id=draw(member), text=draw(user_text), status=ANSWERED if answered else OPEN,
                            asked_at=asked, updated_at=NOW, answer_ts="1700002000.000100" if answered else "",
                            closed_at=NOW if answered else None)
        rows.append(question)
        if answered:
            later.append(Answer(team_id=TEAM, question_id=n + 1, ts="1700002000.000100", user_id=draw(member),
                               text=draw(user_text), created_at=asked + timedelta(minutes=5)))
        later += [SuggestedExpert(question_id=n + 1, user_id=u, team_id=TEAM)
                 for u in dict.fromkeys(draw(st.lists(member, max_size=3)))]
    for n in range(draw(st.integers(0, 10))):
        rows.append(Digest(team_id=TEAM, channel_id="C0MAYORS", thread_ts=f"1700003{n:03d}.000100", title=draw(texts),
                           body=draw(user_text), participant_ids=[], message_count=4, saved_by=draw(member),
                           permalink=draw(st.sampled_from(["", "https://roundtable.slack.com/archives/C0MAYORS/p1"])),
                           created_at=draw(within_week), updated_at=NOW))
    return rows, later


def schedule_roundtables(session: Any, titles: list[str]) -> None:
    for n, title in enumerate(titles):
        start = (NOW + timedelta(days=1 + n % 10)).replace(tzinfo=None)
        plan = MeetingPlan(title=title, starts_local=start, timezone="America/Chicago",
                           recurrence="weekly" if n % 2 else "once", channel_id="C0MAYORS")
        meetings.schedule(session, team_id=TEAM, user_id="U0M0", plan=plan, now=NOW - timedelta(days=30))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(rows=weeks(), roundtables=crowds(texts, 12), zone=zones, user=member, moderator=st.booleans(),
       url=st.sampled_from(["", "https://roundtable.slack.com/"]))
def test_any_week_makes_a_roundup_and_a_home_tab_that_fit_slack(
    week_db: Database, rows: tuple[list[Any], list[Any]], roundtables: list[str], zone: str, user: str, moderator: bool, url: str,
) -> None:
    session = week_db.sessions()
    try:
        for batch in rows:
            session.add_all(batch)
            session.flush()
        schedule_roundtables(session, roundtables)
        session.flush()
        assert_message(render_message(build_roundup(session, TEAM, NOW, zone)))
        assert_view(build_home(session, HomeContext(TEAM, user, NOW, is_moderator=moderator, workspace_url=url)))
    finally:
        session.rollback()
        session.close()
