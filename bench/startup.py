"""Start-up time of `python -m bot serve` to a healthy /healthz, and its resident memory when idle.

    python bench/startup.py [--runs 5] [--database-url URL]

Runs against the Web API emulator on 127.0.0.1 and a throwaway SQLite file by default.
Memory is the sum of VmRSS over the gunicorn master and its workers (Linux /proc).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.emulator import SlackEmulator  # noqa: E402
from tests.harness import ServeProcess, bot_env, free_port  # noqa: E402


def rss_kib(pid: int) -> int:
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    times, memory = [], []
    with SlackEmulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            url = args.database_url or f"sqlite:///{tmp}/bench-{run}.db"
            server = ServeProcess(bot_env(emulator, url, free_port(), LOG_LEVEL="WARNING"))
            try:
                times.append(server.wait_healthy())
                memory.append(rss_kib(server.process.pid))
            finally:
                server.stop()
    print(f"start-up to healthy /healthz over {args.runs} runs: "
          f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          "(the first run also creates the schema)")
    print(f"resident memory idle (master + worker): median {statistics.median(memory) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
