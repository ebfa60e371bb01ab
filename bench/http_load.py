"""HTTP load: signed slash commands at concurrency 16 against `python -m bot serve` (gunicorn's asgi
worker, one worker, the production configuration) and, in the same run, against a bare Bolt app
whose only listener acks (under gunicorn gthread, Roundtable's stack before issue 10). Reports throughput, ack latency p50/p95/p99, when the last
reply reached Slack, and serve's resident memory idle and after the load.

    python -m bench.http_load [--requests 4000] [--concurrency 16] [--engine postgresql|sqlite]
                              [--practices 10000] [--workers 1] [--command /practice] [--text "search wireless" ...]

The default mix is `/practice search <two words>` and `/practice <a one-line share>` half and half,
on a database seeded with --practices generated practices (bench/search.py's generator) in a
throwaway PostgreSQL database (ROUNDTABLE_BENCH_POSTGRES) or a temporary SQLite file. Load comes
from separate processes (so the client's GIL does not slow the server), each with its own
keep-alive connection; the Web API emulator answers Slack's side in this process.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bench.search import TEAM, database, load
from bench.startup import rss_kib
from bot import payloads
from bot.emulator import SlackEmulator
from storage.db import Database
from tests.harness import SIGNING_SECRET, ServeProcess, bot_env, free_port, get, wait_until

ROOT = Path(__file__).resolve().parent.parent
ACK_P99_TARGET_MS, RATIO_TARGET = 100.0, 0.6
SEARCHES = ["wireless downtown", "tax billing", "open data portal", "police dispatch", "permit online",
            "snow removal", "fiber network", "311 call center"]
SHARE = "Open data portal {n}. We published 200 data sets and residents built apps on them #open-data"


def default_texts() -> list[str]:
    return [t for pair in zip([f"search {s}" for s in SEARCHES], [SHARE] * len(SEARCHES), strict=True) for t in pair]


def worker(port: int, count: int, offset: int, command: str, texts: list[str], response_url: str,
           results: mp.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors = [], 0
    for i in range(count):
        text = texts[(offset + i) % len(texts)].format(n=offset * 100_000 + i)
        payload = payloads.slash_command(command, text, user="U0MILLER", response_url=response_url, team=TEAM)
        request = payloads.encode(payload, SIGNING_SECRET)
        start = time.perf_counter()
        conn.request("POST", "/slack/events", body=request.body, headers=request.headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        errors += response.status != 200
    results.put((latencies, errors))


def run_load(port: int, total: int, concurrency: int, command: str, texts: list[str],
             emulator: SlackEmulator, name: str) -> dict[str, float]:
    """Send `total` commands from `concurrency` processes; also time until every reply arrived
    (the bot's work after the ack), when the app replies at all."""
    response_url = emulator.response_url(name)
    replied_before = len([c for c in emulator.calls_to("response_url") if c.path.endswith(name)])
    results: mp.Queue = mp.Queue()
    per = total // concurrency
    procs = [mp.Process(target=worker, args=(port, per, n, command, texts, response_url, results))
             for n in range(concurrency)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    gathered = [results.get(timeout=900) for _ in procs]
    acked = time.perf_counter() - start
    for p in procs:
        p.join()
    sent = per * concurrency

    def replied() -> int:
        return len([c for c in emulator.calls_to("response_url") if c.path.endswith(name)]) - replied_before

    done = acked
    if replied():  # the bare app never replies
        try:
            wait_until(lambda: replied() >= sent, timeout=120, interval=0.05)
        except AssertionError:
            raise SystemExit(f"{name}: only {replied()} of {sent} replies reached Slack") from None
        done = time.perf_counter() - start
    latencies = sorted(x for lat, _ in gathered for x in lat)
    q = statistics.quantiles(latencies, n=100)
    return {"rps": sent / acked, "done_rps": sent / done, "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "max": latencies[-1] * 1000, "errors": sum(e for _, e in gathered)}


def seed(db: Database, practices: int) -> None:
    """bench/search.py's practices; on PostgreSQL the id sequence then moves past them."""
    load(db, practices)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('practice', 'id'), (SELECT max(id) FROM practice))"))


def bare_server(emulator: SlackEmulator, port: int, command: str, workers: int) -> subprocess.Popen:
    env = bot_env(emulator, "sqlite://", port, BENCH_COMMAND=command)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", str(workers), "--threads", "8",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "bench.bare_app:wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def answers(port: int) -> bool:
    try:
        return get(f"http://127.0.0.1:{port}/slack/events", timeout=1)[0] in (404, 405)
    except OSError:
        return False


def line(name: str, r: dict[str, float]) -> str:
    done = f"  all replies in Slack at {r['done_rps']:6.1f} req/s" if r["done_rps"] != r["rps"] else ""
    return (f"{name:>10}: {r['rps']:6.1f} req/s acked  ack p50 {r['p50']:5.1f} ms  p95 {r['p95']:5.1f} ms  "
            f"p99 {r['p99']:5.1f} ms  max {r['max']:6.1f} ms  errors {r['errors']:.0f}{done}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--command", default="/practice")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers for both apps (WEB_CONCURRENCY)")
    parser.add_argument("--text", action="append", help="command text (repeat for a mix; {n} numbers it)")
    args = parser.parse_args()
    texts = args.text or default_texts()
    with SlackEmulator() as emulator, database(args.engine) as db:
        emulator.add_user("U0MILLER", name="derrick", real_name="Derrick Miller", tz="America/Detroit")
        seed(db, args.practices)
        env = bot_env(emulator, db.url, free_port(), LOG_LEVEL="WARNING", WEB_CONCURRENCY=str(args.workers))
        server = ServeProcess(env, args=("--no-scheduler",))
        started = server.wait_healthy(timeout=120)
        idle = rss_kib(server.process.pid)
        try:
            run_load(server.port, args.concurrency * 10, args.concurrency, args.command, texts, emulator, "warm")
            bot = run_load(server.port, args.requests, args.concurrency, args.command, texts, emulator, "bot")
            loaded = rss_kib(server.process.pid)
        finally:
            server.stop()
        port = free_port()
        bare = bare_server(emulator, port, args.command, args.workers)
        try:
            wait_until(lambda: answers(port), timeout=30)
            run_load(port, args.concurrency * 10, args.concurrency, args.command, texts, emulator, "barewarm")
            baseline = run_load(port, args.requests, args.concurrency, args.command, texts, emulator, "bare")
        finally:
            bare.terminate()
            bare.wait()
    print(f"{args.requests} x {args.command} ({len(texts)} texts) at concurrency {args.concurrency}, "
          f"{args.engine} with {args.practices:,} practices, {args.workers} gunicorn worker(s) x 8 threads")
    print(line("roundtable", bot))
    print(line("bare bolt", baseline))
    ratio = bot["rps"] / baseline["rps"]
    print(f"throughput ratio roundtable/bare: {ratio:.2f} (target >= {RATIO_TARGET}); "
          f"p99 ack {bot['p99']:.1f} ms (target <= {ACK_P99_TARGET_MS:.0f} ms)")
    print(f"serve: healthy {started * 1000:.0f} ms after start; resident memory idle {idle / 1024:.1f} MiB, "
          f"after the load {loaded / 1024:.1f} MiB (gunicorn master + workers)")


if __name__ == "__main__":
    main()
