"""Scheduler fan-out: 1,000 workspaces whose weekly roundups fall due in the same minute, posted by
one `python -m bot scheduler` (the Procfile's clock process) through the Web API emulator with
100 ms added to every call and Slack's one-message-per-second-per-channel limit enforced (429 with
Retry-After past it). Target: all 1,000 posted within 5 minutes, each exactly once.

    python -m bench.fanout [--workspaces 1000] [--latency-ms 100] [--engine postgresql|sqlite]
                           [--clocks 1]

Each workspace has its own /roundup settings (the current UTC minute, today, in one of four zones,
its own channel) and a small week of content (three practices, one adopted; two questions, one
answered), in a throwaway PostgreSQL database (ROUNDTABLE_BENCH_POSTGRES) by default.
"""

from __future__ import annotations

import argparse
import signal
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bench.search import database
from bot.emulator import SlackEmulator
from bot.roundup.schedule import DAYS
from storage.db import Database
from storage.practices import Adoption, Practice, city_key
from storage.questions import ANSWERED, OPEN, Answer, Question
from storage.roundup_settings import RoundupSettings
from tests.faults.processes import SchedulerProcess, posted_keys
from tests.harness import bot_env, free_port

TARGET_SECONDS = 300
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
CITIES = ("Detroit", "Philadelphia", "Seattle", "Des Moines", "Boston", "Chicago")


def seed(db: Database, workspaces: int, due: datetime) -> None:
    """Workspaces T0000.. with settings due at `due` (local time in their zone) and a small week."""
    week = due - timedelta(days=2)
    settings, practices, adoptions, questions, answers = [], [], [], [], []
    for n in range(workspaces):
        team, zone = f"T{n:04d}", ZoneInfo(ZONES[n % len(ZONES)])
        local = due.astimezone(zone)
        settings.append({"team_id": team, "day": DAYS[local.weekday()], "time": f"{local:%H:%M}",
                         "timezone": zone.key, "channel_id": f"C{n:04d}", "post_quiet_weeks": True,
                         "updated_by": "U0MOD", "updated_at": week})
        for k in range(3):
            pid = n * 3 + k + 1
            city = CITIES[(n + k) % len(CITIES)]
            practices.append({"id": pid, "team_id": team, "user_id": f"U{k}", "city": city, "city_key": city_key(city),
                              "title": f"Wireless hotspots downtown, part {k}", "problem": "", "solution": "Free wifi",
                              "outcome": "", "cost": "", "contact": "", "channel_id": "", "message_ts": "",
                              "created_at": week, "updated_at": week, "deleted_at": None})
        adoptions.append({"team_id": team, "practice_id": n * 3 + 1, "city": "Dearborn", "city_key": "dearborn",
                          "user_id": "U9", "created_at": week + timedelta(hours=1)})
        for k, status in enumerate((ANSWERED, OPEN)):
            qid = n * 2 + k + 1
            questions.append({"id": qid, "team_id": team, "channel_id": f"C{n:04d}", "ts": f"{1_700_000_000 + qid}.000100",
                              "user_id": "U1", "text": "How did you pay for the hotspots?", "status": status,
                              "asked_at": week, "updated_at": week, "reply_ts": "",
                              "answer_ts": "1700000000.000200" if status == ANSWERED else "", "closed_by": "",
                              "closed_at": week + timedelta(hours=3) if status == ANSWERED else None,
                              "nudged_step": 0})
            if status == ANSWERED:
                answers.append({"team_id": team, "question_id": qid, "ts": "1700000000.000200", "user_id": "U2",
                                "text": "A bond issue", "created_at": week + timedelta(hours=2)})
    with db.begin() as session:
        for model, rows in ((RoundupSettings, settings), (Practice, practices), (Adoption, adoptions),
                            (Question, questions), (Answer, answers)):
            session.execute(insert(model.__table__), rows)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--clocks", type=int, default=1, help="scheduler processes (one is the Procfile's)")
    args = parser.parse_args()
    due = datetime.now(UTC).replace(second=0, microsecond=0)  # this minute: every roundup is due now
    with SlackEmulator() as emulator, database(args.engine) as db, tempfile.TemporaryDirectory() as tmp:
        emulator.clock = time.time
        emulator.latency = args.latency_ms / 1000
        emulator.limit_channels(per_second=1.0)
        seed(db, args.workspaces, due)
        env = bot_env(emulator, db.url, free_port(), LOG_LEVEL="INFO")
        started = time.monotonic()
        clocks = [SchedulerProcess(env, Path(tmp) / f"clock-{n}.log") for n in range(args.clocks)]
        progress, last = [], -1
        try:
            while time.monotonic() - started < 2 * TARGET_SECONDS:
                ok = len(posted_keys(emulator))
                if ok != last:
                    progress.append((time.monotonic() - started, ok))
                    last = ok
                if ok >= args.workspaces:
                    break
                time.sleep(0.5)
        finally:
            for clock in clocks:
                clock.stop(signal.SIGTERM)
        elapsed = time.monotonic() - started
        with emulator._lock:
            per_channel = Counter(channel for channel, messages in emulator.messages.items() for _ in messages)
        statuses = Counter(c.status for c in emulator.calls_to("chat.postMessage"))
    done = sum(1 for n in per_channel.values() if n >= 1)
    twice = sum(1 for n in per_channel.values() if n > 1)
    print(f"{args.workspaces} workspaces, roundups due {due:%H:%M} UTC, {args.clocks} clock process(es), "
          f"{args.engine}, {args.latency_ms:.0f} ms per Web API call, 1 message/s/channel enforced")
    for at, count in progress[:: max(1, len(progress) // 12)] + progress[-1:]:
        print(f"  {at:6.1f} s: {count:5d} posted")
    print(f"posted {done} of {args.workspaces} in {elapsed:.1f} s (target {TARGET_SECONDS} s); "
          f"posted twice: {twice}; chat.postMessage answers: {dict(statuses)}")


if __name__ == "__main__":
    main()
