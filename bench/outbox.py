"""Outbox and reminder throughput: deliveries per second with 1, 2, 4 tickers, and the cost of one
reminder-enqueue tick over many roundtables.

    python bench/outbox.py [--deliveries 400] [--tickers 1,2,4] [--roundtables 1000]
                           [--database-url URL] [--latency-ms 20]

Runs against the Web API emulator on 127.0.0.1 (each post takes --latency-ms, as Slack's do) and,
by default, a throwaway SQLite file; pass a PostgreSQL URL (postgresql+psycopg://...) to bench
that instead (the database must be empty: the schema is created and its tables truncated).
Every run checks that each delivery was posted exactly once.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bot import outbox  # noqa: E402
from bot.emulator import SlackEmulator  # noqa: E402
from bot.roundtables import meetings, reminders  # noqa: E402
from bot.roundtables.plans import MeetingPlan  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.slack import make_client  # noqa: E402
from storage import deliveries  # noqa: E402
from storage.base import Base  # noqa: E402
from storage.db import Database  # noqa: E402
from tests.harness import test_settings  # noqa: E402

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)
KIND = "bench_note"


def reset(db: Database) -> None:
    db.upgrade()
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))


def deliveries_per_second(url: str, emulator: SlackEmulator, count: int, tickers: int) -> float:
    settings = test_settings(emulator, url)
    db = Database(url)
    reset(db)
    emulator.messages.clear()
    with db.begin() as session:
        for n in range(count):
            deliveries.enqueue(session, team_id="T1", kind=KIND, key=f"k{n}", channel_id=f"C{n % 20}",
                               due_at=NOW, now=NOW)
    workers = [Services(settings=settings, db=Database(url), client=make_client(settings), clock=lambda: NOW,
                        renderers={KIND: lambda session, delivery, now: {"text": f"note {delivery.key}"}})
               for _ in range(tickers)]
    start = threading.Barrier(tickers + 1)

    def run(services: Services) -> None:
        start.wait()
        while outbox.deliver_due(services):
            pass

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    posted = sorted(m["text"] for channel in emulator.messages.values() for m in channel)
    assert posted == sorted(f"note k{n}" for n in range(count)), "a delivery was lost or posted twice"
    for worker in workers:
        worker.db.dispose()
    db.dispose()
    return count / elapsed


def enqueue_tick_ms(url: str, emulator: SlackEmulator, roundtables: int) -> tuple[float, int]:
    settings = test_settings(emulator, url)
    db = Database(url)
    reset(db)
    with db.begin() as session:
        for n in range(roundtables):
            plan = MeetingPlan(title=f"Roundtable {n}", timezone="America/Chicago", recurrence="biweekly",
                               starts_local=datetime(2026, 12, 1 + n % 28, 8 + n % 10), channel_id="C1")
            meetings.schedule(session, team_id="T1", user_id="U1", plan=plan, now=NOW)
    services = Services(settings=settings, db=db, client=make_client(settings), clock=lambda: NOW)
    times, added = [], 0
    for day in range(0, 28):  # one tick a day for four weeks of meetings
        services.clock = lambda day=day: NOW + timedelta(days=day, hours=10)
        began = time.perf_counter()
        added += reminders.enqueue_due_reminders(services)
        times.append(time.perf_counter() - began)
    db.dispose()
    return sorted(times)[len(times) // 2] * 1000, added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=400)
    parser.add_argument("--tickers", default="1,2,4")
    parser.add_argument("--roundtables", type=int, default=1000)
    parser.add_argument("--database-url")
    parser.add_argument("--latency-ms", type=float, default=20)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # one line per delivery is for production, not for this
    with SlackEmulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        engine = url.split(":", 1)[0]
        emulator.latency = args.latency_ms / 1000
        for tickers in (int(t) for t in args.tickers.split(",")):
            rate = deliveries_per_second(url, emulator, args.deliveries, tickers)
            print(f"{engine}: {args.deliveries} deliveries, {tickers} ticker(s), {args.latency_ms:.0f} ms per post: "
                  f"{rate:.0f} deliveries/s, each posted exactly once")
        emulator.latency = 0
        median, added = enqueue_tick_ms(url, emulator, args.roundtables)
        print(f"{engine}: reminder enqueue tick over {args.roundtables} active roundtables: "
              f"median {median:.0f} ms ({added} reminders enqueued over 28 daily ticks)")


if __name__ == "__main__":
    main()
