"""Benchmark: the records export of a large workspace, time and peak memory, on both engines.

    python -m bench.export                        # 100,000 practices, both engines, JSON and CSV
    python -m bench.export --engines sqlite --practices 20000

Loads the search benchmark's practices (2% deleted, 1-3 topics each) and 1,000 digests into a
throwaway database (bench.search.database: a temporary SQLite file, or a database on
ROUNDTABLE_BENCH_POSTGRES), gives each practice its revisions, then runs `python -m bot export`
as the operator does, in a subprocess: once for one day (about 1,400 practices) and once for
everything, in each format. Time is wall-clock; memory is the child's peak RSS (wait4). Bounded
memory means the full export peaks near the one-day export, not 70 times above it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.search import database, load
from storage.db import Database

ROOT = Path(__file__).resolve().parents[1]
REVISIONS = """
INSERT INTO practice_revision (team_id, practice_id, number, action, by_user_id, at, title, city, problem,
                               solution, outcome, cost, contact, topics)
SELECT team_id, id, 1, 'shared', user_id, created_at, title, city, problem, solution, outcome, cost, contact, '[]'
FROM practice
"""
DELETIONS = """
INSERT INTO practice_revision (team_id, practice_id, number, action, by_user_id, at, title, city, problem,
                               solution, outcome, cost, contact, topics)
SELECT team_id, id, 2, 'deleted', user_id, deleted_at, title, city, problem, solution, outcome, cost, contact, '[]'
FROM practice WHERE deleted_at IS NOT NULL
"""


def run_export(url: str, out: Path, *args: str) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, the command's summary line) of one `python -m bot export`."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "DATABASE_URL": url,
           "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bot", "export", "--out", str(out), *args], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    summary = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"export failed ({child.returncode}): {summary}")
    return elapsed, usage.ru_maxrss / 1024, summary.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--practices", type=int, default=100_000)
    args = parser.parse_args()
    for engine in args.engines:
        with database(engine) as db, tempfile.TemporaryDirectory() as directory:
            seconds = load(db, args.practices)
            add_revisions(db)
            print(f"{engine}: loaded {args.practices:,} practices and their revisions in {seconds:.0f} s")
            for fmt in ("json", "csv"):
                out = Path(directory) / f"records.{fmt}"
                for label, extra in (("one day", ["--until", "2004-07-12"]), ("everything", [])):
                    elapsed, peak, summary = run_export(db.url, out, "--format", fmt, *extra)
                    size = out.stat().st_size / 2**20
                    print(f"  {fmt:4} {label:10}: {elapsed:6.1f} s, peak RSS {peak:6.1f} MB, file {size:7.1f} MB"
                          f"  ({summary.split(': ', 1)[1].split(',')[0]}, {summary.split(',')[1].strip()})")


def add_revisions(db: Database) -> None:
    with db.begin() as session:
        session.execute(text(REVISIONS))
        session.execute(text(DELETIONS))


if __name__ == "__main__":
    main()
