"""Migrations build exactly the schema the models describe, on both engines, up and down."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from storage.base import Base
from storage.db import Database, alembic_config, downgrade, include_name, upgrade
from storage.events import ProcessedEvent


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_and_up_again(db: Database) -> None:
    downgrade(db.engine, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(db.engine)
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def schema(db: Database) -> dict[str, list[str]]:
    inspector = inspect(db.engine)
    return {t: sorted(c["name"] for c in inspector.get_columns(t)) + sorted(i["name"] for i in inspector.get_indexes(t))
            for t in inspector.get_table_names()}


def test_upgrade_is_idempotent(db: Database) -> None:
    """Every command upgrades on start: doing it again changes no table, index, version or row."""
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    with db.begin() as session:
        session.add(ProcessedEvent(team_id="T1", event_id="Ev1", received_at=datetime(2026, 11, 23, tzinfo=UTC)))
    before = schema(db)

    upgrade(db.engine)
    upgrade(db.engine)

    assert schema(db) == before
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
    with db.begin() as session:
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["Ev1"]

def test_a_roundup_posted_as_block_kit_reads_back_as_neutral_content(db: Database) -> None:
    """0009: rows kept as Slack's blocks become neutral content that renders as they were posted."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from bot.messages import Message, from_data
    from bot.render import slack

    old_blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Roundtable roundup, week of November 16 – 23, 2026"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "1 practice shared · 0 questions asked"}]},
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*New practices this week*\n• *&lt;!channel&gt; Wireless &amp; more* · shared by <@U0MILLER>\n"
            "• <https://roundtable.slack.com/archives/C0GENERAL/p1|Hotspots &amp; jobs> in <#C0GENERAL>\n"
            "• *Taxes* · <!date^1796000000^{date_short_pretty} at {time}|Thu Dec 3, 3:00 PM CST> · <#C0MAYORS>\n"
            "and 3 more: `/practice list`")}},
    ]
    downgrade(db.engine, "0009_practice_credit")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO posted_roundup (team_id, key, source, channel_id, requested_by, timezone, post_if_quiet,"
            " title, text, blocks, message_ts, created_at, posted_at) VALUES ('T1', '2026-W48', 'schedule', 'C0R',"
            " '', 'America/New_York', true, 'Roundtable roundup', 'Roundtable roundup (1 practice shared)', :blocks,"
            " '1.000100', :at, :at)"), {"blocks": json.dumps(old_blocks), "at": datetime(2026, 11, 23, 14, tzinfo=UTC)})
    upgrade(db.engine)
    with db.engine.connect() as conn:
        content = conn.execute(text("SELECT content FROM posted_roundup")).scalar_one()
    message = from_data(json.loads(content) if isinstance(content, str) else content)
    assert isinstance(message, Message)
    assert slack.message(message)["blocks"] == old_blocks
    assert slack.message(message)["text"] == "Roundtable roundup (1 practice shared)"
    downgrade(db.engine, "0009_practice_credit")  # and back: the fallback text is kept
    with db.engine.connect() as conn:
        blocks = conn.execute(text("SELECT blocks FROM posted_roundup")).scalar_one()
    assert "Roundtable roundup (1 practice shared)" in str(blocks)
    upgrade(db.engine)


def test_0008_keeps_each_members_first_adoption_of_a_practice(db: Database) -> None:
    from sqlalchemy import text

    downgrade(db.engine, "0007_practice_title_vector")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO practice (id, team_id, user_id, title, city, city_key, problem, solution, "
                          "outcome, cost, contact, channel_id, message_ts, created_at, updated_at) VALUES (1, 'T', "
                          "'U0SHARER', 'Hotspots', 'Detroit', 'detroit', '', '', '', '', '', '', '', "
                          "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"))
        for n, (user, city) in enumerate((("U0MOVER", "Seattle"), ("U0MOVER", "Tacoma"), ("U0OTHER", "Boise"))):
            conn.execute(text("INSERT INTO adoption (id, team_id, practice_id, city, city_key, user_id, created_at) "
                              "VALUES (:id, 'T', 1, :city, :key, :user, '2026-11-02 00:00:00')"),
                         {"id": n + 1, "city": city, "key": city.lower(), "user": user})
    upgrade(db.engine)
    with db.engine.connect() as conn:
        kept = conn.execute(text("SELECT user_id, city FROM adoption ORDER BY id")).all()
    assert [tuple(row) for row in kept] == [("U0MOVER", "Seattle"), ("U0OTHER", "Boise")]


def test_0019_indexes_the_titles_already_there_and_goes_away(db: Database) -> None:
    """SQLite: practice_title_fts is built from the practices there (and dropped on the way down)."""
    from sqlalchemy import text

    if db.engine.dialect.name != "sqlite":
        return
    downgrade(db.engine, "0018_teams_conversation_names")
    assert not [t for t in inspect(db.engine).get_table_names() if t.startswith("practice_title_fts")]
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO practice (id, team_id, user_id, title, city, city_key, problem, solution, "
                          "outcome, cost, contact, channel_id, message_ts, created_at, updated_at) VALUES (7, 'T', "
                          "'U0SHARER', 'Wireless hotspots', 'Detroit', 'detroit', '', 'kiosks', '', '', '', '', '', "
                          "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"))
    upgrade(db.engine)
    with db.engine.connect() as conn:
        def titled(word: str) -> list[int]:
            return list(conn.execute(text("SELECT rowid FROM practice_title_fts WHERE practice_title_fts MATCH :w"),
                                     {"w": word}).scalars())

        assert titled("hotspot") == [7] and titled("kiosks") == []  # stemmed as practice_fts is; titles only
