"""Practices on the hot path, in Core: a search's results with the cities that adopted each, in
one statement, and a one-line share written in three INSERTs.

A search used to load its practices through the ORM (a second round trip for their topics, which
a result line does not show) and then their adopting cities (a third). Here one Core statement
reads the columns a result line shows and the cities, aggregated in order as a JSON array (SQLite:
json_group_array over an ordered subquery; PostgreSQL: json_agg ... ORDER BY).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from storage.practices import Adoption, Practice, PracticeTopic, city_key
from storage.revisions import CONTENT, SHARED, PracticeRevision
from storage.search import ranked_ids
from storage.sql import core


@dataclass(frozen=True)
class PracticeRow:
    """What a result line shows of a practice (bot/practices/blocks.py result_line)."""

    id: int
    title: str
    city: str
    problem: str
    solution: str
    outcome: str
    cities: list[str]  # adopting cities, in the order they adopted
    team_id: str = ""  # the workspace it was shared in (the exchange names another's)


def practice_rows(session: Session, ids: Sequence[int]) -> list[PracticeRow]:
    """The practices `ids`, in that order, with their adopting cities."""
    if not ids:
        return []
    sqlite = session.get_bind().dialect.name == "sqlite"
    found = {}
    for row in core(session).execute(_statement(sqlite), {"ids": list(ids)}):
        cities = json.loads(row.cities) if isinstance(row.cities, str) else row.cities
        found[row.id] = PracticeRow(row.id, row.title, row.city, row.problem, row.solution, row.outcome,
                                    list(cities or []), row.team_id)
    return [found[i] for i in ids if i in found]


def search_with_cities(session: Session, team_id: str, query: str, *, topics: Sequence[str] = (),
                       city: str | None = None, limit: int = 10, teams: Collection[str] = ()) -> list[PracticeRow]:
    """storage.search.search_practices' results as rows with their adopting cities."""
    return practice_rows(session, ranked_ids(session, team_id, query, topics=topics, city=city, limit=limit,
                                             teams=teams))


@lru_cache(maxsize=2)
def _statement(sqlite: bool) -> Select:
    if sqlite:
        ordered = (select(Adoption.city).where(Adoption.practice_id == Practice.id)
                   .order_by(Adoption.created_at, Adoption.id).correlate(Practice).subquery())
        cities = select(func.json_group_array(ordered.c.city)).scalar_subquery()
    else:
        aggregated = func.json_agg(aggregate_order_by(Adoption.city, Adoption.created_at, Adoption.id))
        cities = (select(func.coalesce(aggregated, literal_column("'[]'::json")))
                  .where(Adoption.practice_id == Practice.id).scalar_subquery())
    return select(Practice.id, Practice.title, Practice.city, Practice.problem, Practice.solution,
                  Practice.outcome, cities.label("cities"), Practice.team_id).where(Practice.id.in_(bindparam("ids", expanding=True)))


CONTENT_DEFAULTS = {"city": "", "problem": "", "solution": "", "outcome": "", "cost": "", "contact": "",
                    "channel_id": "", "asked_by": "", "saved_by": ""}


def insert_practice(conn: Connection, team_id: str, user_id: str, now: datetime, *, topics: list[str],
                    published: bool = False, **fields: str) -> Practice:
    """storage.practices.add_practice without the ORM's unit of work: the practice (INSERT ...
    RETURNING id), its topics and its first revision (the same rows add_practice writes). Returns the
    practice as a detached object, every column set, for the card and the confirmation."""
    values: dict[str, Any] = {**CONTENT_DEFAULTS, **fields, "team_id": team_id, "user_id": user_id,
                              "created_at": now, "updated_at": now, "deleted_at": None, "published": published,
                              "message_ts": ""}
    values["city_key"] = city_key(values["city"])
    practice_id = conn.execute(insert(Practice.__table__).returning(Practice.__table__.c.id), values).scalar_one()
    if topics:
        conn.execute(insert(PracticeTopic.__table__), [{"practice_id": practice_id, "topic": t} for t in topics])
    conn.execute(insert(PracticeRevision.__table__), {
        "team_id": team_id, "practice_id": practice_id, "number": 1, "action": SHARED, "by_user_id": user_id,
        "at": now, "topics": list(topics), **{name: values[name] for name in CONTENT}})
    practice = Practice(id=practice_id, **{k: v for k, v in values.items() if k != "city_key"})
    practice.topics = [PracticeTopic(practice_id=practice_id, topic=t) for t in topics]  # as typed, as add_practice
    return practice
