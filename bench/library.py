"""Benchmark: the web library's search page at 100,000 practices, public and signed in.

    python -m bench.library                      # both engines, 100,000 practices, 300 queries
    python -m bench.library --engines sqlite --practices 20000

Loads bench/search.py's practices (a third published, in a public channel; VACUUM ANALYZE after),
then times
`GET /library?q=...` as the library answers it on a pool thread (bot/library: the search of
`/practice search` with the public filter or without, the adoption counts, the topic list, the
Jinja2 page), without the HTTP connection. Target: the same as `/practice search`, p95 <= 20 ms.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlalchemy import text, update

from bench.search import TEAM, database, load, percentile, queries, search_arguments
from bot.config import Settings
from bot.library import Library, Request
from bot.library.session import SESSION_COOKIE
from storage.conversations import record
from storage.db import Database
from storage.practices import Practice

TARGET_P95_MS = 20.0


def library(db: Database) -> Library:
    settings = Settings(client_id="1.2", client_secret="s", secret_keys=("bench-key",), library_public=True,
                        library_url="https://library.example")
    app = Library(settings, db, WebClient(base_url="http://127.0.0.1:9/"), ThreadPoolExecutor(1))
    app.workspaces.approved_workspaces = lambda: frozenset({TEAM})  # type: ignore[method-assign]
    return app


def timed(run: Callable[[str], object], cases: list[tuple[str, str]]) -> list[float]:
    results = []
    for _kind, query in cases:
        started = time.perf_counter()
        run(query)
        results.append((time.perf_counter() - started) * 1000)
    return results


def main() -> None:
    args = search_arguments(__doc__).parse_args()
    cases = queries(args.queries)
    print(f"{args.practices:,} practices (a third published), {len(cases)} searches through GET /library?q=")
    for engine in args.engines.split(","):
        with database(engine) as db:
            load(db, args.practices)
            with db.begin() as session:
                session.execute(update(Practice).where(Practice.id % 3 == 0).values(published=True))
                record(session, TEAM, "C0BENCH", True, datetime.now(UTC))
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # as after load()
                conn.execute(text("ANALYZE" if engine == "sqlite" else "VACUUM ANALYZE"))
            app = library(db)
            member = app.sessions.sign({"team": TEAM, "user": "U00001", "name": "Bench"}, time.time(), 3600)
            for label, cookies in (("public", {}), ("signed in", {SESSION_COOKIE: member})):
                def page(query: str, cookies: dict[str, str] = cookies, app: Library = app) -> object:
                    status, _, body = app.respond(Request("/library", {"q": [query]}, cookies))
                    assert status == 200 and body
                    return body

                timed(page, cases[:20])  # warm the caches
                ms = timed(page, cases)
                p95 = percentile(ms, 95)
                print(f"  {engine:<10} {label:<10} p50 {percentile(ms, 50):7.2f} ms   p95 {p95:7.2f} ms   "
                      f"{'OK' if p95 <= TARGET_P95_MS else 'OVER'} (target p95 <= {TARGET_P95_MS:.0f} ms)")


if __name__ == "__main__":
    main()
