"""What a listener thread does for `/practice search` and a one-line `/practice` share, in one
thread, without HTTP load: CPU time per command and statements per command, part by part.

    python -m bench.listener_work [--engine sqlite|postgresql] [--practices 10000] [--runs 500]
                                  [--profile FILE] [--threads 1,2,4,16]

On bench/http_load.py's database (bench/search.py's practices and digests in a temporary SQLite
file or a throwaway PostgreSQL database) and the Web API emulator, times with
time.thread_time() (this thread's CPU; the database server's and the emulator's work are not
counted, SQLite's is):
- search, compose: bot.practices.oneline.search_answer (the queries and the neutral message);
- search, render: bot/render/slack.py's Block Kit for that message, then its JSON (what respond() posts);
- search, whole: the listener (handlers/slack/commands/practice.answer) with its response_url post;
- share, whole: the same for a one-line share (the INSERTs, chat.postMessage, the card's ts, the reply);
- lean search / lean share: bench/lean_app.py's listener for the same commands, on the same database
  and emulator in the same run (its own pool and Bolt's respond(), as it runs under bench/http_load.py).
--profile FILE writes a cProfile of the whole search and share runs (read it with `python -m pstats`).
--threads N,...: instead, the search's compose step and the lean app's query run side by side on N
threads (a barrier starts them together), each app in turn: process CPU (every thread's, SQLite's
included) and wall time per search, for each N, twice.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from slack_bolt.context.respond import Respond
from sqlalchemy import event

from bench.http_load import SEARCHES, SHARE, seed
from bench.search import TEAM, database
from bot.emulator import SlackEmulator
from bot.keepalive import KeptAliveRespond
from bot.practices import oneline
from bot.render import slack
from bot.runtime import make_installs
from bot.services import Services
from bot.slack import make_client
from bot.wiring import wire
from handlers.slack.commands.practice import answer
from tests.harness import test_settings

USER = "U0MILLER"


@contextmanager
def counted(engine: Any) -> Any:
    """The statements sent on `engine` while the block runs (BEGIN included, COMMIT is not a cursor call)."""
    seen = [0]

    def note(*_args: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def timed(name: str, runs: int, engine: Any, work: Callable[[int], object]) -> None:
    for n in range(min(runs, 20)):  # warm: statement caches, the pool, kept-alive connections
        work(n)
    costs = []
    with counted(engine) as statements:
        for n in range(runs):
            started = time.thread_time()
            work(n)
            costs.append(time.thread_time() - started)
    print(f"{name:>16}: {statistics.mean(costs) * 1000:6.3f} ms CPU per command "
          f"(p50 {statistics.median(costs) * 1000:.3f}), {statements[0] / runs:.1f} statements")


def side_by_side(threads: int, runs: int, work: Callable[[int], object]) -> tuple[float, float]:
    """Process CPU and wall seconds per call of `work`, `runs` calls shared by `threads` threads."""
    each = runs // threads
    start = threading.Barrier(threads + 1)

    def worker(k: int) -> None:
        start.wait()
        for n in range(each):
            work(k * each + n)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    cpu, wall = time.process_time(), time.perf_counter()
    for thread in pool:
        thread.join()
    done = each * threads
    return (time.process_time() - cpu) / done, (time.perf_counter() - wall) / done


def compose_side_by_side(apps: dict[str, Callable[[int], object]], counts: list[int], runs: int) -> None:
    for n in range(20):  # warm, as timed() does
        for work in apps.values():
            work(n)
    for _ in range(2):
        for threads in counts:
            figures = [side_by_side(threads, runs, work) for work in apps.values()]
            print(f"{threads:>3} threads: " + " | ".join(f"{name} CPU {cpu * 1000:.3f} ms, wall {wall * 1000:.3f} ms"
                                                      for name, (cpu, wall) in zip(apps, figures, strict=True))
                  + " per search")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--profile", help="cProfile the whole search and share runs into this file")
    parser.add_argument("--threads", help="compose side by side on these thread counts (e.g. 1,2,4,16)")
    args = parser.parse_args()
    with SlackEmulator() as emulator, database(args.engine) as db:
        emulator.add_user(USER, name="derrick", real_name="Derrick Miller", tz="America/Detroit")
        seed(db, args.practices)
        settings = test_settings(emulator, db.url)
        client = make_client(settings)
        services = wire(Services(settings=settings, db=db, client=client,
                                 installs=make_installs(settings, db, client)))
        command = {"team_id": TEAM, "user_id": USER, "channel_id": "C0BENCH", "trigger_id": "1.2"}

        def respond(n: int) -> KeptAliveRespond:
            return KeptAliveRespond(response_url=f"{emulator.response_url('bench')}.{n}")

        def query(n: int) -> str:
            return SEARCHES[n % len(SEARCHES)]

        if args.threads:
            lean = lean_app(settings, db.url)
            compose_side_by_side({"roundtable": lambda n: oneline.search_answer(services, TEAM, query(n), "C0BENCH"),
                                  "lean": lambda n: lean.search(TEAM, query(n))},
                                 [int(t) for t in args.threads.split(",")], args.runs)
            lean.ENGINE.dispose()
            return
        composed = [oneline.search_answer(services, TEAM, query(n), "C0BENCH") for n in range(len(SEARCHES))]
        timed("search, compose", args.runs, db.engine, lambda n: oneline.search_answer(services, TEAM, query(n), "C0BENCH"))
        timed("search, render", args.runs, db.engine,
              lambda n: json.dumps(slack.message(composed[n % len(composed)])))  # type: ignore[arg-type]
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        timed("search, whole", args.runs, db.engine, lambda n: answer(services, command, f"search {query(n)}", respond(n)))
        timed("share, whole", args.runs, db.engine,
              lambda n: answer(services, command, SHARE.format(n=n), respond(n)))
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        lean = lean_app(settings, db.url)

        def lean_answer(text: str, n: int) -> None:
            lean.practice(lambda: None, dict(command, text=text),
                          Respond(response_url=f"{emulator.response_url('bench')}.{n}"), lean.app.client)

        timed("lean search", args.runs, lean.ENGINE, lambda n: lean_answer(f"search {query(n)}", n))
        timed("lean share", args.runs, lean.ENGINE, lambda n: lean_answer(SHARE.format(n=n + args.runs), n))
        lean.ENGINE.dispose()


def lean_app(settings: Any, url: str) -> Any:
    """bench/lean_app.py (it reads its configuration when imported) on this run's database and emulator."""
    os.environ.update(SLACK_SIGNING_SECRET="unused", SLACK_BOT_TOKEN=settings.bot_token,
                      SLACK_API_URL=settings.api_url, DATABASE_URL=url)
    from bench import lean_app as app

    return app


if __name__ == "__main__":
    main()
