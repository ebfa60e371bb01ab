"""Benchmark: `/practice search` latency at 100,000 practices (and 1,000 digests), beside a LIKE scan.

    python bench/search.py                      # both engines, 100,000 practices, 300 queries
    python bench/search.py --engines sqlite --practices 20000

SQLite runs on a temporary file; PostgreSQL on a throwaway database created on the server at
ROUNDTABLE_BENCH_POSTGRES (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and
dropped afterwards. Each query is timed through what `/practice search` asks the database
(storage.practice_rows.search_with_cities, storage.digests.search_digests), then the
same words as a LIKE scan (every word in some text column, newest first). Reports p50/p95 per
engine and per kind of query. Target: p95 <= 20 ms.
PostgreSQL is measured after VACUUM ANALYZE (what autovacuum does soon after a bulk load).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, create_engine, insert, or_, select, text

from storage.db import Database
from storage.digests import Digest, search_digests
from storage.practice_rows import PracticeRow, search_with_cities
from storage.practices import Practice, PracticeTopic, city_key
from storage.search import search_terms

TEAM = "T0BENCH"
TARGET_P95_MS = 20.0
POSTGRES = os.environ.get("ROUNDTABLE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DOMAIN = ["wireless", "broadband", "hotspot", "fiber", "network", "tax", "revenue", "billing", "permit", "license", "parking", "meter", "transit", "bus", "police", "fire", "ambulance", "dispatch", "emergency", "data", "portal", "open", "records", "request", "budget", "payroll", "procurement", "vendor", "contract", "outsourcing", "cloud", "server", "email", "phone", "call", "center", "residents", "business", "downtown", "youth", "jobs", "training", "library", "school", "park", "water", "sewer", "street", "pothole", "snow", "trash", "recycling", "inspection", "housing", "code", "zoning", "map", "gis", "camera", "sensor", "kiosk", "mobile", "app", "website", "online", "payment", "court", "citation", "election", "voter", "cybersecurity", "password", "phishing", "backup", "disaster", "recovery", "integration", "standard", "system", "legacy", "mainframe", "database", "crm", "erp", "helpdesk", "311", "911", "mayor", "council", "cio", "staff", "citizen", "survey", "dashboard", "performance"]
CITIES = ["Detroit", "Philadelphia", "Seattle", "Des Moines", "Dearborn", "Boston", "Chicago",
          "Houston", "Phoenix", "San Antonio", "San Diego", "Dallas", "Austin", "Denver", "Portland",
          "Baltimore", "Milwaukee", "Albuquerque", "Tucson", "Fresno", "Omaha", "Tulsa", "Cañon City"]
# Word ranks are offset so the commonest words are in about 15% of practices, as "system" or
# "residents" would be; plain Zipf puts the top words in nearly every practice, like stop words.
ZIPF_OFFSET = 50
TOPICS = ["wireless-broadband", "integration-standards", "outsourcing", "technology-jobs", "cio-mayor",
          "e-government", "revenue-tax", "cybersecurity", "open-data", "public-safety"]


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    """Domain words first (the common ones), then invented words for a long Zipf tail."""
    syllables = ["ka", "lo", "mi", "ra", "tu", "ven", "sol", "dar", "ex", "pre", "min", "cor", "tal",
                 "ber", "nis", "qua", "fel", "gon", "hur", "jin", "ost", "pla", "rem", "sti"]
    words = list(DOMAIN)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def cumulative_zipf(n: int, offset: int = ZIPF_OFFSET) -> list[float]:
    """Zipf-Mandelbrot word frequencies, as cumulative weights for random.choices."""
    return list(itertools.accumulate(1.0 / (rank + 1 + offset) for rank in range(n)))


def practices(count: int, seed: int = 2004) -> Iterator[tuple[dict, list[str]]]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = cumulative_zipf(len(words))
    start = datetime(2004, 7, 12, tzinfo=UTC)

    def sentence(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=weights, k=n)).capitalize() + "."

    for i in range(count):
        city = rng.choice(CITIES)
        at = start + timedelta(minutes=i)
        row = {
            "team_id": TEAM, "user_id": f"U{i % 500:05d}", "city": city, "city_key": city_key(city),
            "title": sentence(rng.randint(4, 9))[:-1], "problem": sentence(rng.randint(12, 30)),
            "solution": sentence(rng.randint(15, 40)), "outcome": sentence(rng.randint(8, 20)),
            "cost": "", "contact": "", "channel_id": "C0BENCH", "message_ts": "",
            "created_at": at, "updated_at": at, "deleted_at": at if i % 50 == 0 else None,
        }
        yield row, rng.sample(TOPICS, rng.randint(1, 3))


def digests(count: int, seed: int = 2005) -> Iterator[dict]:  # type: ignore[type-arg]
    """Saved digests: a title and a body of quoted key points, from the same words as practices."""
    rng = random.Random(seed)
    words = vocabulary(random.Random(2004))
    weights = cumulative_zipf(len(words))
    start = datetime(2004, 7, 12, tzinfo=UTC)
    for i in range(count):
        points = ["• " + " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(8, 25)))
                  for _ in range(rng.randint(3, 8))]
        at = start + timedelta(hours=i)
        yield {"id": i + 1, "team_id": TEAM, "channel_id": "C0BENCH", "thread_ts": f"{1_090_000_000 + i}.000100",
               "title": " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(4, 9))).capitalize(),
               "body": "Key points:\n" + "\n".join(points), "participant_ids": [], "message_count": 20,
               "saved_by": "U00001", "message_ts": "", "permalink": "", "created_at": at, "updated_at": at}


def queries(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query): common domain words, rare words, two- and three-word queries, typed noise."""
    rng = random.Random(seed)
    words = vocabulary(random.Random(2004))
    common, rare = words[:40], words[2000:]
    made: list[tuple[str, str]] = []
    for i in range(count):
        kind = ("common word", "rare word", "two words", "three words", "typed syntax")[i % 5]
        if kind == "common word":
            query = rng.choice(common)
        elif kind == "rare word":
            query = rng.choice(rare)
        elif kind == "two words":
            query = " ".join(rng.sample(words[:500], 2))
        elif kind == "three words":
            query = " ".join(rng.sample(words[:2000], 3))
        else:
            query = f'"{rng.choice(common)}" AND -{rng.choice(words[:300])}* NEAR(x) :)'
        made.append((kind, query))
    return made


def load(db: Database, count: int, digest_count: int = 1000) -> float:
    started = time.perf_counter()
    batch: list[dict] = []
    topic_rows: list[dict] = []
    with db.begin() as session:
        next_id = 1
        for row, topics in practices(count):
            batch.append({"id": next_id, **row})
            topic_rows.extend({"practice_id": next_id, "topic": t} for t in topics)
            next_id += 1
            if len(batch) == 5000:
                session.execute(insert(Practice.__table__), batch)
                session.execute(insert(PracticeTopic.__table__), topic_rows)
                batch, topic_rows = [], []
        if batch:
            session.execute(insert(Practice.__table__), batch)
            session.execute(insert(PracticeTopic.__table__), topic_rows)
        session.execute(insert(Digest.__table__), list(digests(digest_count)))
    # The steady state autovacuum keeps on PostgreSQL: the GIN pending list merged, hint bits set.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE" if db.engine.dialect.name == "sqlite" else "VACUUM ANALYZE"))
    return time.perf_counter() - started


def practice_search(session, query: str) -> list[PracticeRow]:  # type: ignore[no-untyped-def]
    """What `/practice search` asks the database: the best 10 with the cities that adopted them, and
    the digests that match (bot/practices/oneline.py)."""
    found = search_with_cities(session, TEAM, query, limit=10)
    search_digests(session, TEAM, query, 4)
    return found


def like_scan(session, query: str, limit: int = 10) -> list[Practice]:  # type: ignore[no-untyped-def]
    """The same words as LIKE '%word%' on any text column, every word required, newest first."""
    terms = search_terms(query)
    if not terms:
        return []
    columns = (Practice.title, Practice.city, Practice.problem, Practice.solution, Practice.outcome)
    every = and_(*(or_(*(c.ilike(f"%{t}%") for c in columns)) for t in terms))
    statement = (select(Practice).where(Practice.team_id == TEAM, Practice.deleted_at.is_(None), every)
                 .order_by(Practice.created_at.desc()).limit(limit))
    return list(session.scalars(statement))


def timed(db: Database, run: Callable, cases: list[tuple[str, str]]) -> dict[str, list[float]]:  # type: ignore[type-arg]
    results: dict[str, list[float]] = {}
    for kind, query in cases:
        with db.begin() as session:
            started = time.perf_counter()
            run(session, query)
            results.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(engine: str, method: str, results: dict[str, list[float]]) -> None:
    every = [v for values in results.values() for v in values]
    print(f"  {method:<14} all          p50 {percentile(every, 50):8.2f} ms   p95 {percentile(every, 95):8.2f} ms"
          + (f"   {'OK' if percentile(every, 95) <= TARGET_P95_MS else 'OVER'} (target p95 <= 20 ms)"
             if method == "search" else ""))
    for kind, values in results.items():
        print(f"  {'':<14} {kind:<12} p50 {percentile(values, 50):8.2f} ms   p95 {percentile(values, 95):8.2f} ms")


@contextmanager
def database(engine: str) -> Iterator[Database]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            db = Database(f"sqlite:///{directory}/bench.db")
            db.upgrade()
            try:
                yield db
            finally:
                db.dispose()
        return
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"roundtable_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(POSTGRES.rsplit("/", 1)[0] + "/" + name)
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def search_arguments(description: str | None) -> argparse.ArgumentParser:
    """The options every search benchmark takes: how many practices, how many queries, which engines."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--engines", default="sqlite,postgresql")
    return parser


def main() -> None:
    parser = search_arguments(__doc__)
    parser.add_argument("--like-queries", type=int, default=50, help="LIKE scans are slow: fewer of them")
    args = parser.parse_args()
    cases = queries(args.queries)
    print(f"{args.practices:,} practices, {len(cases)} queries (top 10 by relevance)")
    for engine in args.engines.split(","):
        with database(engine) as db:
            seconds = load(db, args.practices)
            print(f"{engine}: loaded in {seconds:.1f} s")
            timed(db, practice_search, cases[:20])  # warm the cache
            report(engine, "search", timed(db, practice_search, cases))
            report(engine, "LIKE scan", timed(db, like_scan, cases[: args.like_queries]))


if __name__ == "__main__":
    main()
