"""Full-text search over practices: one interface, two engines, chosen by dialect.

SQLite: the FTS5 external-content table `practice_fts`, kept in sync by triggers, ranked by
bm25(). PostgreSQL: the generated `practice.search_vector` tsvector with a GIN index, ranked by
ts_rank(). Both built by migration 0003_practice_search.

What a person types is never query syntax: it is cut into words here (letters and digits only),
and each word reaches the engine as a quoted FTS5 string or as its own plainto_tsquery(), so
quotes, `*`, `-`, `:`, `AND`, `NEAR`, parentheses and emoji can neither raise nor change the
meaning. All words must match; when no practice has them all, any word may (best first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce

from sqlalchemy import ColumnElement, Select, column, exists, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.orm import Session

from storage.practices import Practice, PracticeTopic, city_key

WORD = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 500  # nobody types more into a search box; bounds the work below
MAX_TERMS = 12
MAX_TERM_CHARS = 40
# Words too common to rank by (FTS5 has no stop list; PostgreSQL's english one drops these too).
STOPWORDS = frozenset({
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but",
    "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "how", "i", "if",
    "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "so", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "too", "us", "was",
    "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
    "your",
})

BM25_WEIGHTS = (10.0, 4.0, 2.0, 2.0, 2.0)  # title, city, problem, solution, outcome
FTS = table("practice_fts", column("rowid"))
FTS_TABLE = literal_column("practice_fts")
SEARCH_VECTOR = literal_column("practice.search_vector")


def search_terms(query: str) -> list[str]:
    """The words worth searching for, case-folded and distinct; [] when only noise was typed."""
    terms: list[str] = []
    for word in WORD.findall(query[:MAX_QUERY_CHARS].casefold()):
        if word in STOPWORDS or len(word) > MAX_TERM_CHARS or word in terms:
            continue
        terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def search_practices(session: Session, team_id: str, query: str, *, topics: Sequence[str] = (),
                     city: str | None = None, limit: int = 10) -> list[Practice]:
    """A team's practices best matching `query`, most relevant first, deleted ones left out.

    `topics` are stored topic slugs (bot.topics.normalize_topic), all required; `city` is
    compared case-insensitively.
    """
    terms = search_terms(query)
    if not terms or limit <= 0:
        return []
    ranked = _ranked_sqlite if session.get_bind().dialect.name == "sqlite" else _ranked_postgres
    filters = _filters(team_id, topics, city)
    found = list(session.scalars(ranked(terms, filters, every=True).limit(limit)))
    if not found and len(terms) > 1:
        found = list(session.scalars(ranked(terms, filters, every=False).limit(limit)))
    return found


def _filters(team_id: str, topics: Sequence[str], city: str | None) -> list[ColumnElement[bool]]:
    filters = [Practice.team_id == team_id, Practice.deleted_at.is_(None)]
    for topic in dict.fromkeys(t.strip().lower() for t in topics if t.strip()):
        filters.append(exists().where(PracticeTopic.practice_id == Practice.id, PracticeTopic.topic == topic))
    if city is not None and city.strip():
        filters.append(Practice.city_key == city_key(city))
    return filters


def fts5_query(terms: Sequence[str], *, every: bool) -> str:
    """`["tax", "near"]` -> `'"tax" "near"'`: each term an FTS5 string, never an operator."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" " if every else " OR ").join(quoted)


def _ranked_sqlite(terms: Sequence[str], filters: list[ColumnElement[bool]], *, every: bool) -> Select:
    rank = func.bm25(FTS_TABLE, *(literal(w) for w in BM25_WEIGHTS))
    return (
        select(Practice)
        .join(FTS, FTS.c.rowid == Practice.id)
        .where(FTS_TABLE.op("MATCH")(fts5_query(terms, every=every)), *filters)
        .order_by(rank, Practice.id.desc())
    )


def _ranked_postgres(terms: Sequence[str], filters: list[ColumnElement[bool]], *, every: bool) -> Select:
    parts = [func.plainto_tsquery(literal("english", REGCONFIG), term) for term in terms]
    query = reduce(lambda a, b: a.op("&&" if every else "||")(b), parts)
    return (
        select(Practice)
        .where(SEARCH_VECTOR.op("@@")(query), *filters)
        .order_by(func.ts_rank(SEARCH_VECTOR, query).desc(), Practice.id.desc())
    )
