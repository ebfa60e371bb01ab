"""A single-workspace deployment switched to distribution mode keeps its data under the host
workspace: migration 0012 only adds tables, and SLACK_BOT_TOKEN, if kept, installs the host."""

from __future__ import annotations

from datetime import timedelta

from cryptography.fernet import Fernet
from sqlalchemy import inspect

from bot import outbox, payloads
from bot.emulator import TEAM_ID
from storage import deliveries
from storage.db import Database, downgrade, upgrade
from storage.installations import TABLES
from tests.bot.installs.test_jobs import KIND, posts, render_note
from tests.harness import BOT_TOKEN, MEMBER, FakeClock, TestBot
from tests.installs import BOSTON, cities, distribution_settings, install, stored_tokens
from tests.practice_steps import share


def test_the_host_keeps_its_data_and_its_pending_deliveries(bot: TestBot, db: Database, clock: FakeClock) -> None:
    practice_id = share(bot, "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    assert practice_id is not None
    with db.begin() as session:
        deliveries.enqueue(session, team_id=TEAM_ID, kind=KIND, key="pending", channel_id="C0GENERAL",
                           due_at=clock.now + timedelta(hours=1), now=clock.now)

    cities(bot.emulator)  # the same database, now in distribution mode, SLACK_BOT_TOKEN kept
    switched = TestBot(distribution_settings(bot.emulator, bot.settings.database_url, bot_token=BOT_TOKEN),
                       db, bot.emulator, clock)
    switched.services.renderers[KIND] = render_note
    try:
        rows = stored_tokens(bot.settings.database_url)
        assert [row["team_id"] for row in rows] == [TEAM_ID]
        assert BOT_TOKEN not in rows[0]["bot_token"]
        assert Fernet(switched.settings.secret_keys[0].encode()).decrypt(rows[0]["bot_token"].encode()) == \
            BOT_TOKEN.encode()

        switched.send(payloads.slash_command("/practice", f"show {practice_id}", user=MEMBER,
                                             response_url=bot.emulator.response_url("show")))
        assert "Wireless hotspots downtown" in str(switched.replies()[-1])

        bot.emulator.reset()
        clock.advance(hours=1)
        assert [o.status for o in outbox.deliver_due(switched.services)] == ["sent"]
        assert posts(switched) == [(TEAM_ID, "C0GENERAL")]

        install(switched.app, bot.emulator, BOSTON)  # other cities join beside it
        assert sorted(r["team_id"] for r in stored_tokens(bot.settings.database_url)) == [BOSTON, TEAM_ID]
    finally:
        switched.close()


def test_migration_0012_adds_the_install_tables_and_keeps_every_row(bot: TestBot, db: Database) -> None:
    practice_id = share(bot, "Twelve tax systems into one. Philadelphia merged them. #revenue-tax")
    downgrade(db.engine, "0011_practice_revisions")
    assert not set(TABLES) & set(inspect(db.engine).get_table_names())
    upgrade(db.engine)
    assert set(TABLES) <= set(inspect(db.engine).get_table_names())
    bot.command("/practice", f"show {practice_id}", user=MEMBER)
    assert "Twelve tax systems into one" in bot.last_reply_text()
