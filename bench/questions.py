"""Benchmark: a question's path through the bot, with a large practice library.

    python -m bench.questions                         # both engines, 20,000 practices, 200 questions
    python -m bench.questions --engines sqlite --practices 5000 --questions 50

Seeds a workspace (practices with topics, 300 CIO profiles with expertise), then measures on each
engine: the ack (how long Slack waits for the HTTP answer to a question's message event), the
time until the threaded suggestion reaches the Web API emulator, find_suggestion() alone, the
Home tab for a moderator with 1,000 open questions, and one nudge run over 1,000 due questions in 250 channels.
SQLite runs on a temporary file; PostgreSQL on a throwaway database at ROUNDTABLE_BENCH_POSTGRES
(default postgresql+psycopg://postgres@127.0.0.1:5432/postgres), dropped afterwards.
Targets: ack p95 well under Slack's 3 s (it does no search); suggestion p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from slack_bolt import BoltRequest
from sqlalchemy import create_engine, insert, text

from bot import payloads
from bot.app import create_app
from bot.config import Settings
from bot.emulator import TEAM_ID, SlackEmulator
from bot.home import HomeContext, build_home
from bot.questions.nudges import nudge_questions
from bot.questions.suggestions import find_suggestion
from bot.services import ListenerExecutor, Services
from bot.slack import make_client
from storage.db import Database
from storage.practices import Practice, PracticeTopic
from storage.profiles import Profile
from storage.questions import Question, add_question

POSTGRES = os.environ.get("ROUNDTABLE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret"
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
WORDS = """wireless broadband hotspot fiber network tax revenue billing permit license parking meter
transit police fire ambulance dispatch emergency data portal records budget payroll procurement vendor
contract outsourcing cloud email call center residents business downtown youth jobs training library
school park water sewer street pothole snow trash recycling inspection housing zoning gis camera
sensor kiosk mobile website payment court citation election cybersecurity phishing backup disaster
integration legacy mainframe database crm erp helpdesk 311 911 council staff survey dashboard""".split()  # noqa: SIM905
TOPICS = ["wireless-broadband", "integration-standards", "outsourcing", "technology-jobs", "cio-mayor",
          "e-government", "revenue-tax", "cybersecurity", "open-data", "public-safety"]
OPENERS = ["How did your city handle", "Has anyone moved", "What does it cost to run", "Who manages",
           "Should we outsource"]


@contextmanager
def database(engine: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"roundtable_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(db: Database, rng: random.Random, practices: int) -> None:
    with db.begin() as session:
        rows = [{"team_id": TEAM_ID, "user_id": f"U0CIO{n % 300:03d}", "city": f"City {n % 500}",
                 "city_key": f"city {n % 500}", "title": " ".join(rng.sample(WORDS, 5)).capitalize(),
                 "problem": " ".join(rng.sample(WORDS, 12)), "solution": " ".join(rng.sample(WORDS, 20)),
                 "outcome": " ".join(rng.sample(WORDS, 8)), "cost": "", "contact": "", "channel_id": "",
                 "message_ts": "", "created_at": NOW - timedelta(minutes=n), "updated_at": NOW}
                for n in range(practices)]
        for start in range(0, len(rows), 5000):
            session.execute(insert(Practice), rows[start:start + 5000])
        session.execute(insert(PracticeTopic), [
            {"practice_id": n + 1, "topic": TOPICS[n % len(TOPICS)]} for n in range(practices)])
        session.execute(insert(Profile), [
            {"team_id": TEAM_ID, "user_id": f"U0CIO{n:03d}", "role": "cio", "city": f"City {n}", "state": "",
             "title": "CIO", "expertise": [TOPICS[n % len(TOPICS)]], "updated_at": NOW} for n in range(300)])


def question_text(rng: random.Random) -> str:
    return f"{rng.choice(OPENERS)} {' '.join(rng.sample(WORDS, 3))}?"


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def bench(engine: str, practices: int, questions: int) -> None:
    rng = random.Random(2004)
    with database(engine) as url, SlackEmulator() as emulator:
        db = Database(url)
        db.upgrade()
        started = time.perf_counter()
        seed(db, rng, practices)
        print(f"\n{engine}: {practices:,} practices seeded in {time.perf_counter() - started:.1f} s")
        settings = Settings(bot_token="xoxb-bench", signing_secret=SECRET, api_url=emulator.api_url,
                            database_url=url, moderator_user_ids=frozenset({"U0MOD"}))
        services = Services(settings=settings, db=db, client=make_client(settings), clock=lambda: NOW)
        executor = ListenerExecutor()
        app = create_app(services, executor=executor)

        acks, replies = [], []
        for _ in range(questions):
            event = payloads.message_event(question_text(rng), user="U0MAYOR")
            emulator.add_message("C0GENERAL", event)
            request = payloads.encode(payloads.event_callback(event), SECRET)
            posted = len(emulator.calls_to("chat.postMessage")) + len(emulator.calls_to("reactions.add"))
            start = time.perf_counter()
            app.dispatch(BoltRequest(body=request.body, headers=request.headers))
            acks.append(time.perf_counter() - start)
            deadline = time.monotonic() + 10
            while (len(emulator.calls_to("chat.postMessage")) + len(emulator.calls_to("reactions.add"))
                   == posted and time.monotonic() < deadline):
                time.sleep(0.0005)
            replies.append(time.perf_counter() - start)
        executor.wait_idle(30)
        threaded = len(emulator.calls_to("chat.postMessage"))
        print(f"  ack of a question event        {percentiles(acks)}")
        print(f"  until the reply/reaction posted {percentiles(replies)}   replies {threaded}/{questions}")

        with db.begin() as session:
            asked = list(session.query(Question).limit(questions))
            search = [timed(lambda q=q: find_suggestion(session, q)) for q in asked]  # type: ignore[misc]
        print(f"  find_suggestion()               {percentiles(search)}")

        with db.begin() as session:
            for n in range(1000):
                add_question(session, TEAM_ID, f"C0BENCH{n % 250}", f"9.{n}", "U0MOD", question_text(rng),
                             NOW - timedelta(days=4))
        with db.begin() as session:
            home = [timed(lambda: build_home(session, HomeContext(TEAM_ID, "U0MOD", NOW, True)))
                    for _ in range(20)]
        print(f"  Home tab, moderator, 1,000 open {percentiles(home)}")
        emulator.reset()
        seconds = timed(lambda: nudge_questions(services))
        print(f"  one nudge run                   {seconds:.1f} s for {len(emulator.calls_to('chat.postMessage'))}"
              " nudges (the emulator answers at once; Slack's ~1 post/s per channel is the real limit)")
        executor.shutdown(wait=True)
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--practices", type=int, default=20000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    for engine in args.engines:
        bench(engine, args.practices, args.questions)


if __name__ == "__main__":
    main()
