"""How the Slack listeners are wired: each app's listeners use the services it was built with, and a
rule's permission check runs in the unit of work of the change it permits."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.practices.blocks import DELETE
from storage.db import Database
from storage.practices import Practice
from storage.profiles import save_profile
from tests import harness
from tests.harness import FakeClock, TestBot
from tests.practice_steps import SEATTLE, SHARER, TEAM, WHEN, members, practice, press, share

QUICK = "Wireless hotspots downtown. Free wifi in the squares drew young people. #wireless"


@pytest.fixture
def two_bots(emulator: Any, sqlite_template: Path, tmp_path: Path, clock: FakeClock) -> Iterator[list[TestBot]]:
    """Two apps in one process, each with its own services and database."""
    bots = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
        bots.append(TestBot(harness.test_settings(emulator, url), Database(url), emulator, clock))
    yield bots
    for each in bots:
        each.close()
        each.db.dispose()


def titles(bot: TestBot) -> list[str]:
    with bot.db.read() as session:
        return [p.title for p in session.query(Practice).order_by(Practice.id)]


def test_each_apps_listeners_use_the_services_it_was_built_with(two_bots: list[TestBot]) -> None:
    first, second = two_bots
    first.command("/practice", "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    second.command("/practice", "Twelve tax systems in one. Philadelphia collapsed them. #revenue")
    first.command("/practice", "Open data portal. Every dataset in one place. #open-data")
    assert titles(first) == ["Wireless hotspots downtown", "Open data portal"]
    assert titles(second) == ["Twelve tax systems in one"]


@pytest.fixture
def transactions(bot: TestBot) -> Iterator[list[list[str]]]:
    """Every transaction's SQL statements, in the order they began."""
    began: list[list[str]] = []

    def on_begin(conn: Any) -> None:
        conn.info["statements"] = []
        began.append(conn.info["statements"])

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info.setdefault("statements", []).append(statement)

    event.listen(bot.db.engine, "begin", on_begin)
    event.listen(bot.db.engine, "before_cursor_execute", on_execute)
    yield began
    event.remove(bot.db.engine, "begin", on_begin)
    event.remove(bot.db.engine, "before_cursor_execute", on_execute)


def test_a_moderators_delete_is_checked_in_the_transaction_that_deletes(
        bot: TestBot, transactions: list[list[str]]) -> None:
    """A moderator demoted between the check and the delete cannot delete: the role is read (and on
    PostgreSQL held, FOR SHARE) in the very transaction that marks the practice deleted."""
    members(bot)
    with bot.db.begin() as session:
        save_profile(session, TEAM, SEATTLE, WHEN, role="moderator", city="Seattle", state="", title="", expertise=[])
    practice_id = share(bot, QUICK, user=SHARER)
    assert practice_id is not None
    transactions.clear()
    assert press(bot, DELETE, practice_id, user=SEATTLE).startswith(f"Deleted practice #{practice_id}")
    assert practice(bot, practice_id).deleted_at is not None
    deleting = [t for t in transactions if any(s.startswith("UPDATE practice") and "deleted_at" in s for s in t)]
    assert len(deleting) == 1
    role_reads = [s for s in deleting[0] if s.startswith("SELECT") and "FROM profile" in s]
    assert role_reads, "the moderator's role was read outside the transaction that deleted"
    if bot.db.engine.dialect.name == "postgresql":
        assert any("FOR SHARE" in s for s in role_reads)


def test_a_demoted_moderator_cannot_delete(bot: TestBot) -> None:
    members(bot)
    with bot.db.begin() as session:
        save_profile(session, TEAM, SEATTLE, WHEN, role="moderator", city="Seattle", state="", title="", expertise=[])
    practice_id = share(bot, QUICK, user=SHARER)
    bot.command("/practice", f"delete {practice_id}", user=SEATTLE)  # the prompt: allowed then
    with bot.db.begin() as session:
        save_profile(session, TEAM, SEATTLE, WHEN, role="cio", city="Seattle", state="", title="", expertise=[])
    assert press(bot, DELETE, practice_id, user=SEATTLE).startswith("Only the member who shared")
    assert practice(bot, practice_id).deleted_at is None
