"""HTTP load: signed slash commands at concurrency 16, each on a fresh connection, against
`python -m bot serve` (gunicorn's asgi worker, the production configuration), then bench/lean_app.py
(the same work, the leanest way, on the same stack) and bench/bare_app.py (ack only, gthread), in
one run on one database. Reports acks/s and ack latency for each; for the apps that reply, completed
commands per second (until the last response_url post reached the emulator) and reply latency per
command (ack -> its response_url post) p50/p95/p99; the gunicorn workers' CPU milliseconds (user +
system) per command; serve's resident memory idle and after the load.

    python -m bench.http_load [--requests 2000] [--concurrency 16] [--engine sqlite|postgresql]
                              [--practices 10000] [--workers 1] [--command /practice] [--text ...]
                              [--keep-alive] [--apps roundtable,lean,bare] [--profile DIR [--gil]]

The default mix is `/practice search <two words>` and `/practice <a one-line share>` half and half,
on a database seeded with --practices generated practices (bench/search.py's generator) in a
throwaway PostgreSQL database (ROUNDTABLE_BENCH_POSTGRES) or a temporary SQLite file. Load comes
from separate processes (so the client's GIL does not slow the server); the Web API emulator answers
Slack's side in this process. --profile DIR records each app's worker with py-spy (the `bench`
extra) into DIR/<app>.txt (--gil: only the thread holding the GIL); bench/profile_summary.py ranks them.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.search import TEAM, database, load
from bench.startup import rss_kib
from bot import payloads
from bot.emulator import SlackEmulator
from bot.shedding import BUSY
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
           keep_alive: bool, results: mp.Queue) -> None:
    """Send `count` commands one after another, each on a fresh connection unless keep_alive; every
    command has its own response URL, so the emulator's record of it times that command's reply."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings, errors = [], 0
    for i in range(count):
        text = texts[(offset + i) % len(texts)].format(n=offset * 100_000 + i)
        url = f"{response_url}.{offset}.{i}"
        payload = payloads.slash_command(command, text, user="U0MILLER", response_url=url, team=TEAM)
        request = payloads.encode(payload, SIGNING_SECRET)
        if not keep_alive:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = time.monotonic()  # CLOCK_MONOTONIC: the same clock as the emulator's Call.at
        conn.request("POST", "/slack/events", body=request.body, headers=request.headers)
        response = conn.getresponse()
        shed = BUSY.encode() in response.read()  # refused at once (bot/shedding.py): no reply follows
        timings.append((url.rsplit("/", 1)[1], sent, time.monotonic(), shed))
        errors += response.status != 200
        if not keep_alive:
            conn.close()
    results.put((timings, errors))


def quantiles_ms(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(sorted(values), n=100)
    return {"p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000, "max": max(values) * 1000}


def run_load(port: int, total: int, concurrency: int, command: str, texts: list[str],
             emulator: SlackEmulator, name: str, *, keep_alive: bool, replies: bool) -> dict[str, Any]:
    """Send `total` commands from `concurrency` processes; with `replies`, wait for every reply at
    the emulator and time each one from its ack (the app's work after the ack)."""
    results: mp.Queue = mp.Queue()
    per = total // concurrency
    procs = [mp.Process(target=worker, args=(port, per, n, command, texts, emulator.response_url(name),
                                             keep_alive, results)) for n in range(concurrency)]
    for p in procs:
        p.start()
    gathered = [results.get(timeout=900) for _ in procs]
    for p in procs:
        p.join()
    sent = per * concurrency
    timings = [t for batch, _ in gathered for t in batch]
    first, last_ack = min(t[1] for t in timings), max(t[2] for t in timings)
    shed = sum(1 for t in timings if t[3])
    stats: dict[str, Any] = {"sent": sent, "rps": sent / (last_ack - first), "errors": sum(e for _, e in gathered),
                             "ack": quantiles_ms([acked - start for _, start, acked, _ in timings]), "shed": shed}
    if not replies:
        return stats
    prefix = f"/response/{name}."

    def arrived() -> dict[str, float]:
        return {c.path.rsplit("/", 1)[1]: c.at for c in emulator.calls_to("response_url") if c.path.startswith(prefix)}

    try:
        wait_until(lambda: len(arrived()) >= sent - shed, timeout=180, interval=0.1)
    except AssertionError:
        raise SystemExit(f"{name}: only {len(arrived())} of {sent - shed} replies reached Slack") from None
    at = arrived()
    stats["done_rps"] = (sent - shed) / (max(at.values()) - first)  # commands done, not counting refusals
    stats["reply"] = quantiles_ms([at[key] - acked for key, _, acked, refused in timings if not refused])
    return stats


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


def lean_server(emulator: SlackEmulator, database_url: str, port: int, command: str, workers: int) -> subprocess.Popen:
    """bench/lean_app.py on serve's stack: gunicorn's asgi worker (Roundtable's subclass), the edge."""
    env = bot_env(emulator, database_url, port, BENCH_COMMAND=command)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "bot.worker.RoundtableWorker", "-w", str(workers),
         "--asgi-lifespan", "off", "--no-control-socket", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "bench.lean_app:asgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def answers(port: int) -> bool:
    try:
        return get(f"http://127.0.0.1:{port}/slack/events", timeout=1)[0] in (404, 405)
    except OSError:
        return False


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(master: int) -> float:
    """User + system CPU seconds the gunicorn workers have used so far (/proc/<pid>/stat 14 and 15)."""
    total = 0
    for pid in worker_pids(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14, 15 counted from the pid
    return total / os.sysconf("SC_CLK_TCK")


def with_cpu(master: int, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`run()`'s stats plus the workers' CPU milliseconds per command sent ("cpu_ms"): the figure a
    busy shared machine moves least (throughput and latency move with the other load)."""
    before = cpu_seconds(master)
    stats = run()
    stats["cpu_ms"] = (cpu_seconds(master) - before) * 1000 / stats["sent"]
    return stats


@contextmanager
def profiled(master: int, out: Path | None, label: str, *, gil: bool = False) -> Iterator[None]:
    """py-spy record on gunicorn's worker (all its threads, idle ones left out; with `gil`, only
    samples of the thread holding the GIL: where the worker's Python time goes) while the block
    runs; the collapsed stacks go to OUT/<label>.txt (bench/profile_summary.py reads them)."""
    if out is None:
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(worker_pids(master)[0]), "--format", "raw",
                            "--rate", "200", "--threads", "--nonblocking", *(["--gil"] if gil else []),
                            "--output", str(out / f"{label}.txt")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)  # py-spy attaches
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        spy.wait(timeout=60)


def line(name: str, r: dict[str, Any]) -> str:
    a = r["ack"]
    text = (f"{name:>10}: {r['rps']:6.1f} acks/s  ack p50 {a['p50']:6.1f} ms  p95 {a['p95']:6.1f}  "
            f"p99 {a['p99']:6.1f}  max {a['max']:6.1f}  errors {r['errors']:.0f}  busy {r['shed']}  "
            f"worker CPU {r['cpu_ms']:.2f} ms/command")
    if "reply" in r:
        p = r["reply"]
        text += (f"\n{'':>10}  {r['done_rps']:6.1f} completed/s  reply (ack -> response_url) p50 {p['p50']:6.1f} ms"
                 f"  p95 {p['p95']:6.1f}  p99 {p['p99']:6.1f}  max {p['max']:6.1f}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="sqlite")
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--command", default="/practice")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers for every app (WEB_CONCURRENCY)")
    parser.add_argument("--text", action="append", help="command text (repeat for a mix; {n} numbers it)")
    parser.add_argument("--keep-alive", action="store_true", help="one connection per load process, not per command")
    parser.add_argument("--apps", default="roundtable,lean,bare", help="which apps to load, in order")
    parser.add_argument("--profile", type=Path, help="py-spy record each app's worker into this directory")
    parser.add_argument("--gil", action="store_true", help="with --profile: sample only the thread holding the GIL")
    args = parser.parse_args()
    texts = args.text or default_texts()
    apps = args.apps.split(",")
    results: dict[str, dict[str, Any]] = {}
    load = functools.partial(run_load, total=args.requests, concurrency=args.concurrency, command=args.command,
                             texts=texts, keep_alive=args.keep_alive)
    warm = functools.partial(run_load, total=args.concurrency * 10, concurrency=args.concurrency,
                             command=args.command, texts=texts, keep_alive=args.keep_alive)
    with SlackEmulator() as emulator, database(args.engine) as db:
        emulator.add_user("U0MILLER", name="derrick", real_name="Derrick Miller", tz="America/Detroit")
        seed(db, args.practices)
        if "roundtable" in apps:
            env = bot_env(emulator, db.url, free_port(), LOG_LEVEL="INFO", WEB_CONCURRENCY=str(args.workers))
            server = ServeProcess(env, args=("--no-scheduler",))
            started = server.wait_healthy(timeout=120)
            idle = rss_kib(server.process.pid)
            try:
                warm(server.port, emulator=emulator, name="warm", replies=True)
                with profiled(server.process.pid, args.profile, "roundtable", gil=args.gil):
                    results["roundtable"] = with_cpu(server.process.pid, lambda: load(
                        server.port, emulator=emulator, name="bot", replies=True))
                loaded = rss_kib(server.process.pid)
            finally:
                server.stop()
        for app in ("lean", "bare"):
            if app not in apps:
                continue
            port = free_port()
            process = (lean_server(emulator, db.url, port, args.command, args.workers) if app == "lean"
                       else bare_server(emulator, port, args.command, args.workers))
            try:
                wait_until(lambda p=port: answers(p), timeout=30)
                warm(port, emulator=emulator, name=f"{app}warm", replies=app == "lean")
                with profiled(process.pid, args.profile, app, gil=args.gil):
                    results[app] = with_cpu(process.pid, lambda a=app, p=port: load(
                        p, emulator=emulator, name=a, replies=a == "lean"))
            finally:
                process.terminate()
                process.wait()
    print(f"{args.requests} x {args.command} ({len(texts)} texts) at concurrency {args.concurrency}, "
          f"{args.engine} with {args.practices:,} practices, {args.workers} gunicorn worker(s), "
          f"{'keep-alive' if args.keep_alive else 'a fresh connection per command'}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for app, r in results.items():
        print(line({"roundtable": "roundtable", "lean": "lean", "bare": "bare bolt"}[app], r))
    if "roundtable" in results and "lean" in results:
        bot, lean = results["roundtable"], results["lean"]
        print(f"roundtable/lean: completed {bot['done_rps'] / lean['done_rps']:.2f}, "
              f"worker CPU per command {bot['cpu_ms'] / lean['cpu_ms']:.2f}, "
              f"acks {bot['rps'] / lean['rps']:.2f} (reply latency can be below 0: a reply may beat its ack)")
    if "roundtable" in results and "bare" in results:
        print(f"roundtable/bare acks: {results['roundtable']['rps'] / results['bare']['rps']:.2f} "
              f"(target >= {RATIO_TARGET}); p99 ack {results['roundtable']['ack']['p99']:.1f} ms "
              f"(target <= {ACK_P99_TARGET_MS:.0f} ms)")
    if "roundtable" in results:
        print(f"serve: healthy {started * 1000:.0f} ms after start; resident memory idle {idle / 1024:.1f} MiB, "
              f"after the load {loaded / 1024:.1f} MiB (gunicorn master + workers)")


if __name__ == "__main__":
    main()
