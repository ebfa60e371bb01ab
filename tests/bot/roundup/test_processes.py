"""Two scheduler processes on one PostgreSQL database post each weekly roundup exactly once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.emulator import SlackEmulator
from tests.harness import ROOT, bot_env, free_port, wait_until

PROCESSES = 2
TICKS = 12  # ten-second ticks from 08:59:30 local: the roundup falls due in the middle


def test_two_scheduler_processes_post_the_roundup_once(emulator: SlackEmulator, postgres_url: str,
                                                       tmp_path: Path) -> None:
    from tests.conftest import _truncate_postgres

    _truncate_postgres(postgres_url)
    env = bot_env(emulator, postgres_url, free_port(), ROUNDUP_CHANNEL="C0ROUNDUP", LOG_LEVEL="WARNING")
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.scheduler_ticks", "2026-11-23T13:59:30+00:00", str(TICKS), "10",
             str(tmp_path / f"ready{n}"), str(go)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for n in range(PROCESSES)
    ]
    try:
        wait_until(lambda: all((tmp_path / f"ready{n}").exists() for n in range(PROCESSES)), timeout=30)
        go.touch()
        for worker in workers:
            output, _ = worker.communicate(timeout=60)
            assert worker.returncode == 0, output
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    posts = [c for c in emulator.calls_to("chat.postMessage") if c.args.get("channel") == "C0ROUNDUP"]
    assert len(posts) == 1
    assert len(emulator.messages["C0ROUNDUP"]) == 1
