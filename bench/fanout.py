"""Scheduler fan-out: 1,000 installed workspaces whose weekly roundups fall due in the same minute,
posted by one or two `python -m bot scheduler` processes (the Procfile's clock) in distribution
mode, each workspace with its own bot token, through the Web API emulator with 100 ms added to
every call and Slack's one-message-per-second-per-channel limit enforced (429 with Retry-After
past it). One workspace answers 429 for its first minutes (`--throttle-seconds`), which must delay
no other. Target: all the others posted within 5 minutes, each exactly once; the throttled one once,
soon after its limit lifts.

    python -m bench.fanout [--workspaces 1000] [--latency-ms 100] [--engine postgresql|sqlite]
                           [--clocks 1|2] [--throttle-seconds 180] [--retry-after 30]

Each workspace is installed through the real installation store (slack-sdk's tables, its token
encrypted with ROUNDTABLE_SECRET_KEY) with a token the emulator issued to that workspace alone,
and has its own /roundup settings (the current UTC minute, today, in one of four zones, its own
channel) and a small week of content (three practices shared in its public channel, one adopted;
two questions, one answered), in a throwaway PostgreSQL database (ROUNDTABLE_BENCH_POSTGRES) by
default. Every workspace is approved in the exchange (T0000 the host), so each roundup carries the
exchange's practices: all 3,000 of the week's, read by the same bounded queries.
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

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import insert

from bench.search import database
from bot.emulator import SlackEmulator
from bot.roundup.schedule import DAYS
from storage.conversations import Conversation
from storage.db import Database
from storage.exchange import APPROVED, ExchangeMember
from storage.installations import InstallationStore
from storage.practices import Adoption, Practice, city_key
from storage.questions import ANSWERED, OPEN, Answer, Question
from storage.roundup_settings import RoundupSettings
from tests.faults.processes import SchedulerProcess
from tests.harness import bot_env, free_port

TARGET_SECONDS = 300
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
CITIES = ("Detroit", "Philadelphia", "Seattle", "Des Moines", "Boston", "Chicago")
CLIENT_ID, CLIENT_SECRET = "1234567890.0987654321", "bench-client-secret"
SCOPES = "app_mentions:read,channels:history,chat:write,commands,users:read"
THROTTLED = "T0000"  # the workspace that answers 429 first


def team_of(n: int) -> str:
    return f"T{n:04d}"


def install(emulator: SlackEmulator, db: Database, workspaces: int, key: str) -> None:
    """Every workspace installed: the emulator issues its token, the encrypted store saves it."""
    store = InstallationStore(CLIENT_ID, db.engine, (key,))
    for n in range(workspaces):
        team = team_of(n)
        workspace = emulator.add_workspace(team, f"City {n:04d}")
        emulator.add_channel(f"C{n:04d}", team)
        store.save(Installation(app_id="A0ROUNDTBL", enterprise_id=None, team_id=team, team_name=workspace.name,
                                bot_token=emulator.issue_bot_token(team), bot_id=workspace.bot_id,
                                bot_user_id=workspace.bot_user_id, bot_scopes=SCOPES, user_id="U0INSTALLER"))


def seed(db: Database, workspaces: int, due: datetime) -> None:
    """Workspaces T0000.. with settings due at `due` (local time in their zone) and a small week."""
    week = due - timedelta(days=2)
    settings, practices, adoptions, questions, answers, members, channels = [], [], [], [], [], [], []
    for n in range(workspaces):
        team, zone = team_of(n), ZoneInfo(ZONES[n % len(ZONES)])
        members.append({"workspace_id": team, "platform": "slack", "status": APPROVED, "host": n == 0,
                        "joined_at": week + timedelta(seconds=n)})
        channels.append({"team_id": team, "channel_id": f"C{n:04d}", "public": True, "updated_at": week})
        local = due.astimezone(zone)
        settings.append({"team_id": team, "day": DAYS[local.weekday()], "time": f"{local:%H:%M}",
                         "timezone": zone.key, "channel_id": f"C{n:04d}", "post_quiet_weeks": True,
                         "updated_by": "U0MOD", "updated_at": week})
        for k in range(3):
            pid = n * 3 + k + 1
            city = CITIES[(n + k) % len(CITIES)]
            practices.append({"id": pid, "team_id": team, "user_id": f"U{k}", "city": city, "city_key": city_key(city),
                              "title": f"Wireless hotspots downtown, part {k}", "problem": "", "solution": "Free wifi",
                              "outcome": "", "cost": "", "contact": "", "channel_id": f"C{n:04d}",
                              "message_ts": f"{1_700_000_000 + pid}.000300",
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
                            (Question, questions), (Answer, answers), (ExchangeMember, members),
                            (Conversation, channels)):
            session.execute(insert(model.__table__), rows)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--clocks", type=int, default=1, help="scheduler processes (one is the Procfile's)")
    parser.add_argument("--throttle-seconds", type=float, default=180,
                        help=f"{THROTTLED} answers every post 429 this long (0: none)")
    parser.add_argument("--retry-after", type=int, default=30, help="the throttled workspace's Retry-After")
    args = parser.parse_args()
    due = datetime.now(UTC).replace(second=0, microsecond=0)  # this minute: every roundup is due now
    key = Fernet.generate_key().decode()
    with SlackEmulator() as emulator, database(args.engine) as db, tempfile.TemporaryDirectory() as tmp:
        emulator.clock = time.time
        emulator.latency = args.latency_ms / 1000
        emulator.limit_channels(per_second=1.0)
        emulator.oauth_app(CLIENT_ID, CLIENT_SECRET)
        seeding = time.monotonic()
        install(emulator, db, args.workspaces, key)
        seed(db, args.workspaces, due)
        seeded = time.monotonic() - seeding
        if args.throttle_seconds:
            emulator.throttle(THROTTLED, args.retry_after)
        env = bot_env(emulator, db.url, free_port(), LOG_LEVEL="INFO", SLACK_BOT_TOKEN="",
                      SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET, ROUNDTABLE_SECRET_KEY=key)
        started = time.monotonic()
        clocks = [SchedulerProcess(env, Path(tmp) / f"clock-{n}.log") for n in range(args.clocks)]
        progress, first = watch(emulator, args, started)
        for clock in clocks:
            clock.stop(signal.SIGTERM)
        elapsed = time.monotonic() - started
        with emulator._lock:
            per_channel = Counter(channel for channel, messages in emulator.messages.items() for _ in messages)
        statuses = Counter(c.status for c in emulator.calls_to("chat.postMessage"))
    report(args, due, seeded, progress, first, per_channel, statuses, elapsed)


def watch(emulator: SlackEmulator, args: argparse.Namespace,
          started: float) -> tuple[list[tuple[float, int]], dict[str, float]]:
    """Poll the emulator until every channel has its roundup: (progress, first post per channel)."""
    progress: list[tuple[float, int]] = []
    first: dict[str, float] = {}
    while (now := time.monotonic() - started) < 2 * TARGET_SECONDS + args.throttle_seconds:
        if args.throttle_seconds and now >= args.throttle_seconds:
            emulator.throttle(THROTTLED, 0)
        with emulator._lock:
            channels = [channel for channel, messages in emulator.messages.items() if messages]
        for channel in channels:
            first.setdefault(channel, now)
        if not progress or progress[-1][1] != len(first):
            progress.append((now, len(first)))
        if len(first) >= args.workspaces:
            break
        time.sleep(0.5)
    return progress, first


def report(args: argparse.Namespace, due: datetime, seeded: float, progress: list[tuple[float, int]],
           first: dict[str, float], per_channel: Counter[str], statuses: Counter[int], elapsed: float) -> None:
    throttled_channel = f"C{int(THROTTLED[1:]):04d}"
    others = [at for channel, at in first.items() if channel != throttled_channel]
    done = sum(1 for n in per_channel.values() if n >= 1)
    twice = sum(1 for n in per_channel.values() if n > 1)
    print(f"{args.workspaces} installed workspaces (seeded in {seeded:.0f} s), roundups due {due:%H:%M} UTC, "
          f"{args.clocks} clock process(es), {args.engine}, {args.latency_ms:.0f} ms per Web API call, "
          f"1 message/s/channel enforced")
    for at, count in progress[:: max(1, len(progress) // 12)] + progress[-1:]:
        print(f"  {at:6.1f} s: {count:5d} posted")
    print(f"the other {args.workspaces - 1}: {len(others)} posted, the last after "
          f"{max(others, default=0):.1f} s (target {TARGET_SECONDS} s)")
    if args.throttle_seconds:
        at = first.get(throttled_channel)
        print(f"{THROTTLED} (429, Retry-After {args.retry_after} s, for {args.throttle_seconds:.0f} s): "
              + (f"posted after {at:.1f} s" if at is not None else "never posted"))
    print(f"posted {done} of {args.workspaces} in {elapsed:.1f} s; posted twice: {twice}; "
          f"chat.postMessage answers: {dict(statuses)}")


if __name__ == "__main__":
    main()
