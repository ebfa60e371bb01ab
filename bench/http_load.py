"""HTTP load: signed slash commands at concurrency 16 against `python -m bot serve`, and against a bare
Bolt app on the same server stack, reporting throughput and ack latency p50/p95/p99.

    python bench/http_load.py [--requests 4000] [--concurrency 16] [--database-url URL]

Load comes from separate processes (so the client's GIL does not slow the server's measurement),
each with its own keep-alive connections. The bot's database is seeded with the demo practices.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import payloads  # noqa: E402
from bot.emulator import SlackEmulator  # noqa: E402
from tests.harness import SIGNING_SECRET, ServeProcess, bot_env, free_port, get, wait_until  # noqa: E402

COMMANDS = [("/practice", "search wireless"), ("/practice", "Open data portal. We published 200 data sets #opendata")]


def worker(port: int, count: int, response_url: str, results: mp.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, errors = [], 0
    for i in range(count):
        command, text = COMMANDS[i % len(COMMANDS)]
        payload = payloads.slash_command(command, text, user="U0MILLER", response_url=response_url)
        request = payloads.encode(payload, SIGNING_SECRET)
        start = time.perf_counter()
        conn.request("POST", "/slack/events", body=request.body, headers=request.headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        errors += response.status != 200
    results.put((latencies, errors))


def load(port: int, total: int, concurrency: int, response_url: str) -> dict[str, float]:
    results: mp.Queue = mp.Queue()
    per = total // concurrency
    procs = [mp.Process(target=worker, args=(port, per, response_url, results)) for _ in range(concurrency)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    gathered = [results.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _ in gathered for x in lat)
    q = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "errors": sum(e for _, e in gathered)}


def bare_server(emulator: SlackEmulator, port: int) -> subprocess.Popen:
    env = bot_env(emulator, "sqlite://", port)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", "8",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "bench.bare_app:wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with SlackEmulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/load.db"
        server = ServeProcess(bot_env(emulator, url, free_port(), LOG_LEVEL="WARNING"),
                              args=("--no-scheduler",))
        server.wait_healthy()
        try:
            load(server.port, args.concurrency * 10, args.concurrency, emulator.response_url())  # warm-up
            bot = load(server.port, args.requests, args.concurrency, emulator.response_url())
        finally:
            server.stop()
        port = free_port()
        bare = bare_server(emulator, port)
        try:
            wait_until(lambda: _answers(port), timeout=30)
            load(port, args.concurrency * 10, args.concurrency, emulator.response_url())
            baseline = load(port, args.requests, args.concurrency, emulator.response_url())
        finally:
            bare.terminate()
            bare.wait()
    for name, r in (("roundtable", bot), ("bare bolt", baseline)):
        print(f"{name:>10}: {r['rps']:7.1f} req/s  ack p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
              f"p99 {r['p99']:6.1f} ms  errors {r['errors']:.0f}")
    print(f"throughput ratio roundtable/bare: {bot['rps'] / baseline['rps']:.2f} (target >= 0.6); "
          f"p99 ack target <= 100 ms")


def _answers(port: int) -> bool:
    try:
        return get(f"http://127.0.0.1:{port}/slack/events", timeout=1)[0] in (404, 405)
    except OSError:
        return False


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
