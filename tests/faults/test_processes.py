"""Several processes on one PostgreSQL database: two clock processes and `serve` (which runs the
scheduler in-process when it is alone) all deliver the same outbox; each reminder is posted once."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

from bot.emulator import SlackEmulator
from tests.faults.processes import (
    SchedulerProcess,
    delivery_states,
    posted_keys,
    seed_due_reminders,
    sent_keys,
)
from tests.harness import ServeProcess, bot_env, free_port, wait_until

DELIVERIES = 100
SLACK_LATENCY = 0.05  # seconds per Web API call: the posts take long enough for the processes to overlap


def test_two_schedulers_and_serve_post_100_due_reminders_once_each(
    slack: SlackEmulator, pg_url: str, tmp_path: Path
) -> None:
    expected = seed_due_reminders(pg_url, slack, DELIVERIES, channels=20)
    slack.latency = SLACK_LATENCY
    env = bot_env(slack, pg_url, free_port(), WEB_CONCURRENCY="1")
    clocks = [SchedulerProcess(env, tmp_path / f"clock-{n}.log") for n in (1, 2)]
    serve = ServeProcess(env)  # scheduler in-process: one worker
    try:
        wait_until(lambda: delivery_states(pg_url) == {"sent": DELIVERIES}, timeout=60, interval=0.2)
    finally:
        _, serve_log = serve.stop(signal.SIGTERM)
        logs = [clock.log() for clock in clocks if clock.stop(signal.SIGTERM) is not None]

    posted = posted_keys(slack)
    assert len(posted) == DELIVERIES, f"{len(posted)} posts for {DELIVERIES} deliveries"
    assert set(posted) == expected, "a reminder is missing"
    assert not [k for k, n in Counter(posted).items() if n > 1], "a reminder was posted twice"

    by_process = [sent_keys(log) for log in (*logs, serve_log)]
    assert sum(len(keys) for keys in by_process) == DELIVERIES
    print("posted by clock 1, clock 2, serve:", [len(k) for k in by_process])
    assert sum(1 for keys in by_process if keys) >= 2, (
        f"the processes did not share the work: {[len(k) for k in by_process]}")
