"""A scheduler process for tests: `python -m tests.scheduler_ticks START TICKS STEP READY GO`.

Builds the bot's services from the environment (as `python -m bot scheduler` does), says it is
ready, waits for the go signal so that several processes start together, then runs every
scheduler job TICKS times on a fake clock that starts at START (ISO) and moves STEP seconds a tick.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import load_settings
from bot.runtime import build_services
from bot.scheduler import JOBS


def main(start: str, ticks: str, step: str, ready: str, go: str) -> int:
    services = build_services(load_settings(dotenv=False))
    now = datetime.fromisoformat(start)
    services.clock = lambda: now
    Path(ready).touch()
    deadline = time.monotonic() + 30
    while not Path(go).exists():
        if time.monotonic() > deadline:
            return 3
        time.sleep(0.005)
    for _ in range(int(ticks)):
        for job in JOBS:
            job.run(services)
        now += timedelta(seconds=int(step))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
