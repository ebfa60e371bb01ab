"""Full-text search over practices: one interface, two engines, chosen by dialect.

SQLite: the FTS5 external-content table `practice_fts`, kept in sync by triggers, ranked by
bm25(); the title tier asks `practice_title_fts` (the titles alone, migration 0019), ranked by
bm25() over the title. PostgreSQL: the generated tsvectors `practice.search_vector` (title, city, text) and
`practice.title_vector`, each with a GIN index, ranked by ts_rank(). Built by migrations
0003_practice_search and 0007_practice_title_vector.

What a person types is never query syntax: it is cut into words here (letters and digits only),
and the words reach the engine as quoted FTS5 strings, or as plainto_tsquery() text (every
word) or websearch_to_tsquery() text joined by our own `or` (any word), so quotes, `*`, `-`,
`:`, `AND`, `NEAR`, parentheses and emoji can neither raise nor change the meaning. All words must match; when no practice has them all, words no practice has are
dropped, and then any word may. Practices with the words in their title come first.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from storage.conversations import visible
from storage.practices import Practice, PracticeTopic, city_key
from storage.sql import Reader, core, dialect_name

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
FTS_TABLE: ColumnElement[Any] = literal_column("practice_fts")
# The titles alone (SQLite's title tier): a column filter on practice_fts reads each word's whole
# list, every practice that mentions it anywhere, before it finds the few titles.
TITLE_FTS = table("practice_title_fts", column("rowid"))
TITLE_FTS_TABLE: ColumnElement[Any] = literal_column("practice_title_fts")
SEARCH_VECTOR: ColumnElement[Any] = literal_column("practice.search_vector")
# A constant: the text search configuration is part of the statement, not a parameter.
ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
TITLE_VECTOR: ColumnElement[Any] = literal_column("practice.title_vector")
# SQLite: best FTS matches looked at, per result wanted, before filtering on team and deletion;
# topic and city filters keep fewer of them, so they look at more; the public library's filter
# (published, public channel) keeps a share of every topic, so it looks at fewer (bench/library.py).
CANDIDATES, FILTERED_CANDIDATES, PUBLIC_CANDIDATES = 10, 50, 20


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
                     city: str | None = None, limit: int = 10, public_only: bool = False,
                     teams: Collection[str] = ()) -> list[Practice]:
    """A team's practices best matching `query`, most relevant first, deleted ones left out.

    `teams`: the exchange scope (bot.exchange.approved_teams): the other workspaces' practices too,
    those shared in their public conversations only (a workspace never sees another's private ones).

    `topics` are stored topic slugs (bot.topics.normalize_topic), all required; `city` is
    compared case-insensitively; `public_only`: only those on the public web library (published,
    shared in a public conversation). Every word must match; when no practice has them all, words
    that no practice has at all (typos, noise) are dropped, and then any word may match.
    Practices whose title has the words come first, each group ranked by the engine (bm25 /
    ts_rank): that keeps a common word from ranking every practice that mentions it (see
    bench/search.py).
    """
    found = ranked_ids(session, team_id, query, topics=topics, city=city, limit=limit, public_only=public_only,
                       teams=teams)
    loaded = {p.id: p for p in session.scalars(select(Practice).where(Practice.id.in_(found)))} if found else {}
    return [loaded[i] for i in found]


def ranked_ids(session: Reader, team_id: str, query: str, *, topics: Sequence[str] = (),
               city: str | None = None, limit: int = 10, public_only: bool = False,
               teams: Collection[str] = ()) -> list[int]:
    """search_practices' ids, best first, without loading the practices (storage/practice_rows.py
    loads what a result line shows in one statement)."""
    terms = search_terms(query)
    if not terms or limit <= 0:
        return []
    sqlite = dialect_name(session) == "sqlite"
    ranked = _ranked_sqlite if sqlite else _ranked_postgres
    where = where_for(team_id, topics, city, public_only, teams)
    found = ranked(session, terms, where, every=True, limit=limit)
    if not found and len(terms) > 1:
        known = _known_terms(session, terms, sqlite)
        if known and len(known) < len(terms):
            found = ranked(session, known, where, every=True, limit=limit)
        if not found and len(known) > 1:
            found = ranked(session, known, where, every=False, limit=limit)
    return found


@dataclass(frozen=True)
class Where:
    """The filters besides the words: how many topics, whether a city, and their values."""

    topics: int
    city: bool
    public: bool
    params: dict[str, Any]
    exchange: bool = False  # params["teams"]: other workspaces in scope

    @property
    def clauses(self) -> tuple[ColumnElement[bool], ...]:
        return _filters(self.topics, self.city, self.public, self.exchange)

    @property
    def per_result(self) -> int:  # SQLite: FTS candidates looked at per result wanted
        return FILTERED_CANDIDATES if self.topics or self.city else PUBLIC_CANDIDATES if self.public else CANDIDATES


def where_for(team_id: str, topics: Sequence[str], city: str | None, public_only: bool,
              teams: Collection[str]) -> Where:
    wanted = list(dict.fromkeys(t.strip().lower() for t in topics if t.strip()))
    key = city_key(city) if city is not None and city.strip() else ""
    others = sorted(set(teams) - {team_id})
    return Where(len(wanted), bool(key), public_only,
                 {"team_id": team_id, "city_key": key, **{f"topic_{n}": t for n, t in enumerate(wanted)},
                  **({"teams": others} if others else {})}, bool(others))


# Statements are built once per shape and kept (lru_cache): building one costs more Python
# time than PostgreSQL takes to run most of them. Values go in as bound parameters.
@lru_cache(maxsize=64)
def _filters(topics: int, city: bool, public: bool = False, exchange: bool = False) -> tuple[ColumnElement[bool], ...]:
    """The team's (and, `exchange`, the other teams' public ones), not deleted, on every topic
    (topic_0...), in the city (city_key), on the public web."""
    own: ColumnElement[bool] = Practice.team_id == bindparam("team_id")
    if exchange:
        own = or_(own, and_(Practice.team_id.in_(bindparam("teams", expanding=True)),
                            visible(Practice.team_id, Practice.channel_id)))
    filters = [own, Practice.deleted_at.is_(None)]
    filters += [exists().where(PracticeTopic.practice_id == Practice.id, PracticeTopic.topic == bindparam(f"topic_{n}"))
                for n in range(topics)]
    if city:
        filters.append(Practice.city_key == bindparam("city_key"))
    if public:
        filters += [Practice.published.is_(True), visible(Practice.team_id, Practice.channel_id)]
    return tuple(filters)


def fts5_query(terms: Sequence[str], *, every: bool, title_only: bool = False) -> str:
    """`["tax", "near"]` -> `'"tax" "near"'`: each term an FTS5 string, never an operator."""
    column = "title:" if title_only else ""
    quoted = [column + '"' + term.replace('"', '""') + '"' for term in terms]
    return (" " if every else " OR ").join(quoted)


def _ranked_sqlite(session: Reader, terms: Sequence[str], where: Where, *, every: bool, limit: int) -> list[int]:
    found: list[int] = []
    for title_only in (True, False):
        found += _ranked_fts5(session, terms, where, every=every, title_only=title_only, exclude=found,
                              limit=limit - len(found))
        if len(found) == limit:
            break
    return found


def fts5_index(title_only: bool) -> tuple[Any, ColumnElement[Any], ColumnElement[float]]:
    """SQLite: the FTS table a tier asks (its rowid, the table as MATCH's left side) and its bm25()
    (lower is better): the titles alone for the title tier, practice_fts for the others."""
    if title_only:
        return TITLE_FTS, TITLE_FTS_TABLE, func.bm25(TITLE_FTS_TABLE, literal(BM25_WEIGHTS[0]))
    return FTS, FTS_TABLE, func.bm25(FTS_TABLE, *(literal(w) for w in BM25_WEIGHTS))


def _ranked_fts5(session: Reader, terms: Sequence[str], where: Where, *, every: bool, title_only: bool,
                 exclude: list[int], limit: int) -> list[int]:
    """Rank in the FTS table alone (cheap), then filter the best candidates; only when filters
    leave too few of them, rank again joined with practice (exact either way)."""
    query = fts5_query(terms, every=every, title_only=title_only)
    fts, fts_table, rank = fts5_index(title_only)
    match = fts_table.op("MATCH")(query)
    wanted = (limit + len(exclude)) * where.per_result
    hits = core(session).execute(_candidates(where.topics, where.city, where.public, where.exchange, title_only),
                                 {**where.params, "match": query, "wanted": wanted}).all()
    if not hits:
        return []
    score = {rowid: value for rowid, value, _ in hits if rowid not in exclude}
    kept = [rowid for rowid, _, passed in hits if passed is not None and rowid in score]
    if len(kept) >= limit or len(hits) < wanted:
        return sorted(kept, key=lambda i: (score[i], -i))[:limit]
    statement = (
        select(Practice.id).join(fts, fts.c.rowid == Practice.id)
        .where(match, *_excluding(exclude), *where.clauses)
        .order_by(rank, Practice.id.desc()).limit(limit)
    )
    return list(core(session).scalars(statement, where.params))


@lru_cache(maxsize=128)
def _candidates(topics: int, city: bool, public: bool, exchange: bool, title_only: bool = False) -> Select:
    """The best `wanted` FTS matches (ranked in the FTS table alone, cheap), each with its id again
    when the practice passes the filters (NULL when not): candidates and filter in one statement."""
    fts, fts_table, bm25 = fts5_index(title_only)  # ties (common over titles alone) cut newest first
    rank = bm25.label("rank")
    hits = (select(fts.c.rowid.label("rowid"), rank).where(fts_table.op("MATCH")(bindparam("match")))
            .order_by(rank, fts.c.rowid.desc()).limit(bindparam("wanted", type_=Integer)).subquery("hits"))
    passes = and_(Practice.id == hits.c.rowid, *_filters(topics, city, public, exchange))
    return (select(hits.c.rowid, hits.c.rank, Practice.id).select_from(hits.outerjoin(Practice, passes))
            .order_by(hits.c.rank))


def _known_terms(session: Reader, terms: list[str], sqlite: bool) -> list[str]:
    """The words some practice (of any team: a cheap check) has, in one round trip."""
    if sqlite:
        params = {f"term_{n}": fts5_query([t], every=True) for n, t in enumerate(terms)}
    else:
        params = {f"term_{n}": t for n, t in enumerate(terms)}
    row = core(session).execute(_known_statement(len(terms), sqlite), params).one()
    return [term for term, found in zip(terms, row, strict=True) if found]


@lru_cache(maxsize=2 * MAX_TERMS)
def _known_statement(count: int, sqlite: bool) -> Select:
    if sqlite:
        return select(*(exists(select(FTS.c.rowid).where(FTS_TABLE.op("MATCH")(bindparam(f"term_{n}"))))
                        for n in range(count)))
    return select(*(_has(TITLE_VECTOR, n, "title") | _has(SEARCH_VECTOR, n, "text") for n in range(count)))


def _has(vector: ColumnElement[Any], n: int, name: str) -> ColumnElement[bool]:
    """Whether `vector` of some practice has word `term_<n>`. MATERIALIZED: planned for all rows
    (a bitmap scan), or PostgreSQL seq-scans everything for a missing word. The title index is
    asked first (`OR` skips the second check): a common word has far fewer title entries."""
    match = select(Practice.id).where(vector.op("@@")(func.plainto_tsquery(ENGLISH, bindparam(f"term_{n}"))))
    return exists(match.cte(f"in_{name}_{n}").prefix_with("MATERIALIZED").select())


def _ranked_postgres(session: Reader, terms: Sequence[str], where: Where, *, every: bool, limit: int) -> list[int]:
    """Title matches first, then the others: each tier ranked by ts_rank, asked for in its own
    statement, so the order is explicit and the text tier (many more rows to rank) only runs when
    the titles leave room."""
    words = tsquery_text(terms, every=every)
    found: list[int] = []
    for tier in TIERS:
        params = {**where.params, "words": words, "limit": limit - len(found)}
        found += core(session).scalars(_ranking(every, where.topics, where.city, where.public, tier, where.exchange),
                                 params)
        if len(found) >= limit:
            break
    return found


TIERS = ("title", "text")  # the order results are shown in


@lru_cache(maxsize=128)
def _ranking(every: bool, topics: int, city: bool, public: bool, tier: str, exchange: bool = False) -> Select:
    """One tier's best ids: the words in the title, or elsewhere only (never both tiers)."""
    query = tsquery(bindparam("words"), every=every)
    return (select(Practice.id).where(*tier_match(query, tier), *_filters(topics, city, public, exchange))
            .order_by(tier_rank(query).desc(), Practice.id.desc())
            .limit(bindparam("limit", type_=Integer)))


def tier_match(query: ColumnElement[Any], tier: str) -> tuple[ColumnElement[bool], ...]:
    """PostgreSQL: a tier's condition: the words in the title, or elsewhere only (never both tiers)."""
    in_title = TITLE_VECTOR.op("@@")(query)
    return (in_title,) if tier == "title" else (SEARCH_VECTOR.op("@@")(query), ~in_title)


def tier_rank(query: ColumnElement[Any]) -> ColumnElement[float]:
    """PostgreSQL: how well a practice matches, within its tier (higher is better)."""
    return func.ts_rank(SEARCH_VECTOR, query)


def tsquery_text(terms: Sequence[str], *, every: bool) -> str:
    """What tsquery() parses: words only (search_terms), so no syntax but the `or` put here, a
    stop word that search_terms never returns."""
    return (" " if every else " or ").join(terms)


def tsquery(text: ColumnElement[str], *, every: bool) -> ColumnElement[Any]:
    """PostgreSQL: the tsquery of tsquery_text(): every word (plainto_tsquery) or any of them
    (websearch_to_tsquery reads the `or`s), as a scalar subquery so it is parsed once per
    statement: written out, a prepared statement's generic plan (psycopg prepares after 5 runs)
    parses and stems the words again for every row ranked."""
    parse = func.plainto_tsquery if every else func.websearch_to_tsquery
    return select(parse(ENGLISH, text)).scalar_subquery()


def _excluding(ids: list[int]) -> list[ColumnElement[bool]]:
    return [Practice.id.not_in(ids)] if ids else []
