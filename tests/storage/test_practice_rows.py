"""A search's practices and their adopting cities come in one statement, as the ORM would give them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from storage.db import Database
from storage.practice_rows import practice_rows, search_with_cities
from storage.practices import adopt, adopting_cities
from storage.search import search_practices
from tests.storage.test_search import NOW, TEAM, add

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
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.read() as session:
            rows = practice_rows(session, list(reversed(ids)))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert [r.id for r in rows] == list(reversed(ids))
    assert [r.cities for r in rows] == [[], [], ["Detroit"]]
    assert sum(s.lstrip().upper().startswith("SELECT") for s in statements) == 1
