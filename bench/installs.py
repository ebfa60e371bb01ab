"""Benchmark: finding a workspace's bot token among 1,000 installations (distribution mode).

    python -m bench.installs                       # both engines, 1,000 workspaces
    python -m bench.installs --engines sqlite --workspaces 5000

What each request's authorize and each scheduled post asks first (bot.installs.Installs.bot_for):
the latest bot of a workspace from slack-sdk's store, tokens decrypted (MultiFernet with two
keys, the older first so every read tries a wrong key too), then the per-process cache; and the
list of installed workspaces the roundup job reads each minute. No Slack calls: tokens never
expire here. Throwaway databases as the search benchmark's.
"""

from __future__ import annotations

import argparse
import statistics
import time

from cryptography.fernet import Fernet
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot

from bench.search import database
from bot.config import Settings
from bot.installs import Installs


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"p50 {statistics.median(ms):.3f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.3f} ms"


def run(engine: str, workspaces: int) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with database(engine) as db:
        seeding = Settings(client_id="1.2", client_secret="s", secret_keys=(old,), database_url=db.url)
        writer = Installs(seeding, db.engine, WebClient())
        teams = [f"T{n:08d}" for n in range(workspaces)]
        start = time.perf_counter()
        for team in teams:
            writer.store.save_bot(Bot(app_id="A1", team_id=team, bot_token=f"xoxb-{team}-0123456789abcdef",
                                      bot_id="B1", bot_user_id="U1", installed_at=time.time()))
        seeded = time.perf_counter() - start
        reading = Settings(client_id="1.2", client_secret="s", secret_keys=(new, old), database_url=db.url)
        installs = Installs(reading, db.engine, WebClient())
        uncached, cached, listed = [], [], []
        for team in teams:
            t0 = time.perf_counter()
            installs.bot_for(team)
            t1 = time.perf_counter()
            installs.bot_for(team)
            cached.append(time.perf_counter() - t1)
            uncached.append(t1 - t0)
        for _ in range(20):
            t0 = time.perf_counter()
            assert len(installs.teams()) == workspaces
            listed.append(time.perf_counter() - t0)
        print(f"{engine}: {workspaces} installs saved in {seeded:.1f} s; bot_for from the store {percentiles(uncached)};"
              f" cached {percentiles(cached)}; installed teams {percentiles(listed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    for engine in args.engines.split(","):
        run(engine, args.workspaces)


if __name__ == "__main__":
    main()
