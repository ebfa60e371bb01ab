"""Practice revisions: sharing, editing and deleting each leave who and when, through Slack too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import column, insert, select, table

from bot.practices.blocks import DELETE
from storage.db import Database, downgrade, upgrade
from storage.practices import Practice, PracticeTopic, add_practice, delete_practice, update_practice
from storage.revisions import PracticeRevision, revisions_of
from tests.harness import MODERATOR, TestBot
from tests.practice_steps import FULL, SEATTLE, SHARER, members, press, share, submit_share
from tests.storage.test_practice_rows import selects

TEAM = "T0ROUNDTBL"
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_share_edit_delete_keep_every_version_with_who_and_when(db: Database) -> None:
    with db.begin() as session:
        practice = add_practice(session, TEAM, "U0MILLER", NOW, topics=["wireless"], title="Hotspots",
                                city="Detroit", solution="Free wifi")
        update_practice(session, practice, NOW + timedelta(days=1), by="U0MOD", topics=["open-data"],
                        title="Hotspots, year two", solution="Free wifi in every square")
        delete_practice(session, practice, NOW + timedelta(days=2), by="U0MILLER")
        practice_id = practice.id
    with db.begin() as session:
        found = [(r.number, r.action, r.by_user_id, r.at, r.title, r.solution, r.topics)
                 for r in revisions_of(session, practice_id)]
        assert session.get(Practice, practice_id).deleted_at == NOW + timedelta(days=2)  # the row stays
    assert found == [
        (1, "shared", "U0MILLER", NOW, "Hotspots", "Free wifi", ["wireless"]),
        (2, "edited", "U0MOD", NOW + timedelta(days=1), "Hotspots, year two", "Free wifi in every square",
         ["open-data"]),
        (3, "deleted", "U0MILLER", NOW + timedelta(days=2), "Hotspots, year two", "Free wifi in every square",
         ["open-data"]),
    ]


def test_edits_and_deletions_in_slack_record_the_member_who_made_them(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    assert practice_id is not None
    assert submit_share(bot, {**FULL, "title": "Hotspots, year two"}, user=MODERATOR, practice_id=practice_id) == {}
    press(bot, DELETE, practice_id, user=SEATTLE)  # refused: not theirs
    bot.command("/practice", f"delete {practice_id}", user=SHARER)  # asks first
    press(bot, DELETE, practice_id, user=SHARER)
    with bot.db.begin() as session:
        found = [(r.action, r.by_user_id, r.title) for r in revisions_of(session, practice_id)]
    assert found == [("shared", SHARER, "Wireless hotspots downtown"), ("edited", MODERATOR, "Hotspots, year two"),
                     ("deleted", SHARER, "Hotspots, year two")]


BEFORE_0011 = table("practice", *(column(name) for name in (
    "id", "team_id", "user_id", "city", "city_key", "title", "problem", "solution", "outcome", "cost", "contact",
    "channel_id", "message_ts", "created_at", "updated_at", "deleted_at")))


def test_the_migration_gives_older_practices_what_is_known_of_them(db: Database) -> None:
    downgrade(db.engine, "0010_roundup_content")
    with db.engine.begin() as conn:
        for n, deleted in ((1, None), (2, NOW + timedelta(days=3))):
            conn.execute(insert(BEFORE_0011).values(  # the columns of 0010, not today's model
                id=n, team_id=TEAM, user_id=f"U{n}", city="Detroit", city_key="detroit", title=f"Practice {n}",
                problem="", solution="s", outcome="", cost="", contact="", channel_id="", message_ts="",
                created_at=NOW, updated_at=NOW, deleted_at=deleted))
        conn.execute(insert(PracticeTopic.__table__).values(practice_id=2, topic="wireless"))
    upgrade(db.engine)
    with db.begin() as session:
        rows = [(r.practice_id, r.number, r.action, r.by_user_id, r.at, r.topics) for r in session.scalars(
            select(PracticeRevision).order_by(PracticeRevision.practice_id, PracticeRevision.number))]
        assert rows == [(1, 1, "shared", "U1", NOW, []), (2, 1, "shared", "U2", NOW, ["wireless"]),
                        (2, 2, "deleted", "", NOW + timedelta(days=3), ["wireless"])]
        practice = session.get(Practice, 1)
        update_practice(session, practice, NOW + timedelta(days=5), by="U9", topics=[], title="Renamed")
    with db.begin() as session:
        assert [r.number for r in revisions_of(session, 1)] == [1, 2]


def test_a_new_practice_reads_nothing_to_number_its_first_revision(db: Database) -> None:
    with selects(db) as statements, db.begin() as session:
        practice = add_practice(session, TEAM, "U0MILLER", NOW, topics=["wireless"], title="Hotspots")
    assert not [s for s in statements if "practice_revision" in s]
    with db.read() as session:
        assert [r.number for r in revisions_of(session, practice.id)] == [1]
