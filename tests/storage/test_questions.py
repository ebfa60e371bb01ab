"""Question queries other features use: the channel's open questions from mayors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.profiles import Profile
from storage.questions import ANSWERED, PENDING, add_question, open_questions

TEAM = "T0ROUNDTBL"
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def test_open_questions_are_the_channels_unresolved_mayor_questions_oldest_first(db: Database) -> None:
    with db.begin() as session:
        for user, role in (("U0MAYOR", "mayor"), ("U0CIO", "cio"), ("U0OTHERMAYOR", "mayor")):
            session.add(Profile(team_id=TEAM, user_id=user, role=role, updated_at=NOW))
        asked = []
        for n in range(8):
            user = ("U0MAYOR", "U0CIO", "U0OTHERMAYOR", "U0NOPROFILE")[n % 4]
            asked.append(add_question(session, TEAM, "C0GENERAL", f"1.{n}", user, f"Question {n}?",
                                      NOW - timedelta(hours=n)))
        add_question(session, TEAM, "C0ELSEWHERE", "2.0", "U0MAYOR", "Elsewhere?", NOW - timedelta(days=9))
        add_question(session, "T0OTHER", "C0GENERAL", "3.0", "U0NOPROFILE", "Other team?", NOW)
        asked[4].status = ANSWERED
        asked[2].status = PENDING  # replied to, not yet confirmed: still open

    with db.begin() as session:
        found = [q.text for q in open_questions(session, TEAM, "C0GENERAL")]
        assert found == ["Question 6?", "Question 2?", "Question 0?"]
        assert [q.text for q in open_questions(session, TEAM, "C0GENERAL", limit=1)] == ["Question 6?"]
        everyone = open_questions(session, TEAM, "C0GENERAL", limit=10, asker_role=None)
        assert len(everyone) == 7
        assert [q.text for q in open_questions(session, TEAM, "C0GENERAL", asker_role="cio")] == [
            "Question 5?", "Question 1?"]


def test_a_mayor_s_profile_counts_whichever_workspace_holds_it(db: Database) -> None:
    """A shared channel's questions are kept under its home; the asker's profile is their own workspace's."""
    with db.begin() as session:
        session.add(Profile(team_id="T0OTHER", user_id="U0GUESTMAYOR", role="mayor", updated_at=NOW))
        session.add(Profile(team_id="T0OTHER", user_id="U0GUESTCIO", role="cio", updated_at=NOW))
        add_question(session, TEAM, "C0SHARED", "1.0", "U0GUESTMAYOR", "Guest mayor?", NOW)
        add_question(session, TEAM, "C0SHARED", "1.1", "U0GUESTCIO", "Guest CIO?", NOW)
    with db.begin() as session:
        assert [q.text for q in open_questions(session, TEAM, "C0SHARED")] == ["Guest mayor?"]


def test_a_question_is_recorded_once(db: Database) -> None:
    with db.begin() as session:
        assert add_question(session, TEAM, "C0GENERAL", "1.0", "U0MAYOR", "Why?", NOW) is not None
        assert add_question(session, TEAM, "C0GENERAL", "1.0", "U0MAYOR", "Why?", NOW) is None


def test_the_roundtable_agenda_lists_the_channels_open_questions_from_mayors(db: Database) -> None:
    from bot.questions.agenda import mayors_open_questions
    from bot.roundtables.agenda import open_questions as agenda

    with db.begin() as session:
        session.add(Profile(team_id=TEAM, user_id="U0MAYOR", role="mayor", updated_at=NOW))
        add_question(session, TEAM, "C0GENERAL", "1.0", "U0MAYOR", "Who runs your 311 <line>?", NOW)
        add_question(session, TEAM, "C0GENERAL", "1.1", "U0CIO", "A CIO's question?", NOW)
    with db.begin() as session:
        [item] = agenda(session, TEAM, "C0GENERAL", [mayors_open_questions])
    assert (item.text, item.asked_by, item.asked_at) == ("Who runs your 311 <line>?", "U0MAYOR", NOW)
