"""Benchmark: building the weekly roundup for a large workspace.

    python -m bench.roundup                      # both engines: 100,000 practices, 10,000 questions,
                                                 # 1,000 digests, 30 timed builds each
    python -m bench.roundup --engines sqlite --runs 10

SQLite runs on a temporary file; PostgreSQL on a throwaway database created on the server at
ROUNDTABLE_BENCH_POSTGRES (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and
dropped afterwards. The data spans three years (so a week holds about 640 new practices), with
about 1.5 adoptions per practice, 2,000 members with profiles, questions in every state with
answers and suggested experts. Each timed run is what `/roundup preview` and the weekly delivery
do: bot.roundup.content.build_roundup in one unit of work, then render_message. Target: <= 250 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text

from bench.search import database  # the same throwaway databases as the search benchmark
from bot.roundup.content import build_roundup, render_message
from storage.conversations import Conversation
from storage.db import Database
from storage.digests import Digest
from storage.practices import Adoption, Practice, city_key
from storage.profiles import Profile
from storage.questions import ANSWERED, CLOSED, OPEN, PENDING, Answer, Question, SuggestedExpert

TEAM = "T0BENCH"
TARGET_MS = 250.0
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
CITIES = ["Detroit", "Philadelphia", "Seattle", "Des Moines", "Dearborn", "Boston", "Chicago", "Houston",
          "Phoenix", "San Antonio", "San Diego", "Dallas", "Austin", "Denver", "Portland", "Baltimore",
          "Milwaukee", "Albuquerque", "Tucson", "Fresno", "Omaha", "Tulsa", "Cañon City"]
VOCABULARY = """wireless hotspots downtown tax billing system permit parking transit dispatch open data portal
budget payroll procurement outsourcing cloud call center 311 911 library park water street snow
recycling housing zoning gis camera kiosk mobile app payment court election"""
WORDS = VOCABULARY.split()
CHUNK = 5000


def when(rng: random.Random) -> datetime:
    return NOW - SPAN * rng.random()


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()


def batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def load(db: Database, practices: int, questions: int, digests: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    members = [f"U{n:08d}" for n in range(2000)]
    roles = rng.choices(["mayor", "cio", "moderator", "other"], weights=[30, 50, 5, 15], k=len(members))
    profiles = [{"team_id": TEAM, "user_id": u, "role": r, "city": rng.choice(CITIES), "state": "", "title": "",
                 "expertise": [], "updated_at": NOW - SPAN} for u, r in zip(members, roles, strict=True)]
    practice_rows, adoption_rows = [], []
    for pid in range(1, practices + 1):
        at, city = when(rng), rng.choice(CITIES)
        practice_rows.append({"id": pid, "team_id": TEAM, "user_id": rng.choice(members), "city": city,
                              "city_key": city_key(city), "title": title(rng), "problem": title(rng),
                              "solution": title(rng), "outcome": "", "cost": "", "contact": "", "channel_id": "C1",
                              "message_ts": "", "created_at": at, "updated_at": at, "deleted_at": None})
        adopting = rng.choice([0, 0, 1, 1, 2, 3, 4])  # each city and each member adopts a practice once
        for adopter, user in zip(rng.sample(CITIES, adopting), rng.sample(members, adopting), strict=True):
            adopted = min(NOW, at + timedelta(days=rng.expovariate(1 / 30)))
            adoption_rows.append({"team_id": TEAM, "practice_id": pid, "city": adopter,
                                  "city_key": city_key(adopter), "user_id": user, "created_at": adopted})
    question_rows, answer_rows, expert_rows = [], [], []
    for qid in range(1, questions + 1):
        asked = when(rng)
        status = rng.choices([ANSWERED, PENDING, OPEN, CLOSED], weights=[65, 10, 20, 5])[0]
        row = {"id": qid, "team_id": TEAM, "channel_id": "C1", "ts": f"{asked.timestamp():.6f}",
               "user_id": rng.choice(members), "text": title(rng) + "?", "status": status, "asked_at": asked,
               "updated_at": asked, "reply_ts": "", "answer_ts": "", "closed_by": "", "closed_at": None,
               "nudged_step": 0}
        if status in (ANSWERED, PENDING):
            first = asked + timedelta(hours=rng.expovariate(1 / 20))
            for n in range(rng.randint(1, 3)):
                reply_at = min(NOW, first + timedelta(hours=5 * n))
                answer_rows.append({"team_id": TEAM, "question_id": qid, "ts": f"{reply_at.timestamp():.6f}{n}",
                                    "user_id": rng.choice(members), "text": title(rng), "created_at": reply_at})
            if status == ANSWERED:
                row.update(answer_ts=answer_rows[-1]["ts"], closed_at=min(NOW, first + timedelta(hours=12)))
        question_rows.append(row)
        expert_rows += [{"question_id": qid, "user_id": u, "team_id": TEAM} for u in rng.sample(members, 2)]
    digest_rows = []
    for did in range(1, digests + 1):
        at = when(rng)
        digest_rows.append({"team_id": TEAM, "channel_id": "C1", "thread_ts": f"{did}.000100",
                            "title": title(rng), "body": title(rng), "participant_ids": members[:5],
                            "message_count": 20, "saved_by": rng.choice(members), "message_ts": "",
                            "permalink": "", "created_at": at, "updated_at": at})
    with db.begin() as session:
        public = [{"team_id": TEAM, "channel_id": "C1", "public": True, "updated_at": NOW - SPAN}]
        for model, rows in ((Conversation, public), (Profile, profiles), (Practice, practice_rows),
                            (Adoption, adoption_rows),
                            (Question, question_rows), (Answer, answer_rows), (SuggestedExpert, expert_rows),
                            (Digest, digest_rows)):
            for batch in batches(rows):
                session.execute(insert(model.__table__), batch)  # type: ignore[arg-type]
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    print(f"  loaded {practices:,} practices, {len(adoption_rows):,} adoptions, {questions:,} questions, "
          f"{len(answer_rows):,} answers, {digests:,} digests")


def measure(db: Database, runs: int) -> list[float]:
    timings = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        with db.begin() as session:
            roundup = build_roundup(session, TEAM, NOW, "America/New_York")
        message = render_message(roundup)
        timings.append((time.perf_counter() - start) * 1000)
    assert len(message["blocks"]) <= 50
    print(f"  {roundup.figures.line()}")
    return timings[1:]  # the first run warms caches and the connection pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--digests", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for engine in args.engines:
        print(f"{engine}:")
        with database(engine) as db:
            started = time.perf_counter()
            load(db, args.practices, args.questions, args.digests)
            print(f"  load took {time.perf_counter() - started:.0f} s")
            timings = sorted(measure(db, args.runs))
        p50 = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        verdict = "ok" if p95 <= TARGET_MS else "OVER TARGET"
        print(f"  build_roundup + render: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
              f"over {len(timings)} runs (target <= {TARGET_MS:.0f} ms: {verdict})")


if __name__ == "__main__":
    main()
