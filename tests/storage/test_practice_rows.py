"""A search's practices and their adopting cities come in one statement, as the ORM would give them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from bench.search import CITIES as BENCH_CITIES
from bench.search import TEAM as BENCH_TEAM
from bench.search import TOPICS as BENCH_TOPICS
from bench.search import load, queries
from storage.db import Database
from storage.practice_rows import insert_practice, practice_rows, search_with_cities
from storage.practices import Practice, add_practice, adopt, adopting_cities
from storage.revisions import revisions_of
from storage.search import ranked_ids, search_practices
from tests.storage.test_search import NOW, TEAM, add


def selects(db: Database) -> AbstractContextManager[list[str]]:
    """The SELECT statements sent to the database while the block runs."""
    return recorded(db, lambda statement: statement.startswith(("SELECT", "WITH")))


def statements(db: Database) -> AbstractContextManager[list[str]]:
    """Every statement sent to the database while the block runs, BEGIN left out."""
    return recorded(db, lambda statement: not statement.startswith("BEGIN"))


@contextmanager
def recorded(db: Database, kept: Callable[[str], bool]) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if kept(statement.lstrip().upper()):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


CITIES = ['St. Louis', 'Dés "Moines"', "Ḱöln, \\ 市", "Detroit"]


def test_rows_are_the_searched_practices_with_their_cities_in_order(db: Database) -> None:
    with db.begin() as session:
        hotspots = add(session, "Wireless hotspots downtown", solution="Free wifi", outcome="Young people came")
        add(session, "Wireless permits", problem="Slow permits")
        add(session, "Tax billing", solution="One system")
        for n, city in enumerate(CITIES):  # adopted in this order, the last one first in time
            adopt(session, hotspots, city, f"U{n}", NOW - timedelta(minutes=n if n < 3 else 10))
    with db.read() as session:
        expected = search_practices(session, TEAM, "wireless")
        cities = adopting_cities(session, [p.id for p in expected])
        rows = search_with_cities(session, TEAM, "wireless")
    assert [r.id for r in rows] == [p.id for p in expected] and len(rows) == 2
    for row, practice in zip(rows, expected, strict=True):
        assert (row.title, row.city, row.problem, row.solution, row.outcome) == (
            practice.title, practice.city, practice.problem, practice.solution, practice.outcome)
        assert row.cities == cities[practice.id]
    by_id = {r.id: r.cities for r in rows}
    assert by_id.pop(hotspots.id) == ["Detroit", "Ḱöln, \\ 市", 'Dés "Moines"', "St. Louis"]
    assert list(by_id.values()) == [[]]


def test_rows_take_one_statement(db: Database) -> None:
    with db.begin() as session:
        practices = [add(session, f"Practice {n}") for n in range(3)]
        adopt(session, practices[0], "Detroit", "U1", NOW)
        ids = [p.id for p in practices]
    with selects(db) as statements, db.read() as session:
        rows = practice_rows(session, list(reversed(ids)))
    assert [r.id for r in rows] == list(reversed(ids))
    assert [r.cities for r in rows] == [[], [], ["Detroit"]]
    assert len(statements) == 1


@pytest.mark.parametrize("topics", [["open-data", "311"], []])
def test_a_share_in_core_writes_the_rows_the_orm_writes(db: Database, topics: list[str]) -> None:
    """insert_practice writes add_practice's rows on both engines' paths: PostgreSQL's one statement
    (the INSERTs as data-modifying CTEs) and SQLite's three INSERTs."""
    fields = {"title": "Open data portal", "city": "  Des Moines ", "solution": "200 data sets", "channel_id": "C1"}
    with db.begin() as session:
        by_orm = add_practice(session, TEAM, "U0MILLER", NOW, topics=topics, **fields).id
    with statements(db) as sent, db.write() as conn:
        shared = insert_practice(conn, TEAM, "U0MILLER", NOW, topics=topics, **fields)
    postgresql = db.engine.dialect.name == "postgresql"
    assert len(sent) == (1 if postgresql else 2 + bool(topics)), sent
    with db.read() as session:
        orm, core_ = (session.get(Practice, by_orm), session.get(Practice, shared.id))
        columns = [c.key for c in Practice.__table__.columns if c.key not in ("id", "search_vector", "title_vector")]
        assert {c: getattr(core_, c) for c in columns} == {c: getattr(orm, c) for c in columns}
        assert {c: getattr(shared, c) for c in columns} == {c: getattr(orm, c) for c in columns}
        assert [t.topic for t in core_.topics] == [t.topic for t in orm.topics] == sorted(topics)
        revisions = [[(r.team_id, r.number, r.action, r.by_user_id, r.at, r.title, r.city, r.problem, r.solution,
                       r.outcome, r.cost, r.contact, r.topics) for r in revisions_of(session, i)]
                     for i in (by_orm, shared.id)]
    assert revisions[0] == revisions[1] and len(revisions[1]) == 1
    assert [t.topic for t in shared.topics] == topics  # as typed, for the confirmation
    with db.read() as session:
        assert [p.id for p in search_practices(session, TEAM, "open data portal")] == [shared.id, by_orm]


def test_a_search_with_few_matches_takes_one_statement(db: Database, database_url: str) -> None:
    with db.begin() as session:
        adopt(session, add(session, "Wireless hotspots downtown"), "Detroit", "U1", NOW)
        add(session, "Permits", solution="wireless poles")
    with selects(db) as statements, db.read() as session:
        rows = search_with_cities(session, TEAM, "wireless")
    assert [(r.title, r.cities) for r in rows] == [("Wireless hotspots downtown", ["Detroit"]), ("Permits", [])]
    assert len(statements) == 1  # the title tier, the text tier and the rows (was three statements)


def test_one_statement_ranks_as_the_steps_do(db: Database) -> None:
    """The one-statement search (both tiers and the rows) gives storage.search.ranked_ids' ids, in
    order, for typed queries with and without topic and city filters (on SQLite the filtered ones
    often fall back to the steps: the filters leave too few of the best candidates)."""
    load(db, 1500, digest_count=1)
    filters = [((), None), ((BENCH_TOPICS[0],), None), ((), BENCH_CITIES[1]), ((BENCH_TOPICS[2], BENCH_TOPICS[3]), BENCH_CITIES[0])]
    checked = 0
    for _, query in [*queries(60), ("", "wireless downtown"), ("", "open data portal")]:
        for topics, city in filters:
            with db.read() as session:
                rows = search_with_cities(session, BENCH_TEAM, query, topics=topics, city=city)
                assert [r.id for r in rows] == ranked_ids(session, BENCH_TEAM, query, topics=topics, city=city)
            checked += bool(rows)
    assert checked > 100  # most of them found something


def test_texts_are_not_ranked_when_the_titles_fill_the_results(db: Database) -> None:
    """SQLite: a common word is in many titles and many more texts. The text tier's matches were
    all ranked (bm25) even when title matches alone filled the results; now only when there is room."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's text tier already runs only when the titles leave room")
    with db.write() as conn:
        titled = [insert_practice(conn, TEAM, "U0MILLER", NOW, topics=[], title=f"Wireless hotspots {n}").id
                  for n in range(12)]

    def steps() -> tuple[list[int], int]:
        """The ids found and the SQLite virtual machine steps (in hundreds) the search takes."""
        counted = [0]
        with db.read() as session:
            raw = session.connection().connection.dbapi_connection
            raw.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1), 100)
            try:
                found = [r.id for r in search_with_cities(session, TEAM, "wireless")]
            finally:
                raw.set_progress_handler(None, 100)
        return found, counted[0]

    found, few = steps()
    assert len(found) == 10 and set(found) <= set(titled)
    with db.write() as conn:  # 400 practices with the word in their text only
        for n in range(400):
            insert_practice(conn, TEAM, "U0MILLER", NOW, topics=[], title=f"Permits {n}", solution="wireless poles")
    again, many = steps()
    assert again == found
    # Ranking them took thousands of steps more; FTS5 reading its grown index a few hundred.
    assert many <= few + 10
