"""PostgreSQL's pooled connections are pinged before use only after lying idle (PING_AFTER_IDLE): a
ping per unit of work was one round trip more per transaction under load; a dead one is replaced."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from storage.db import ping_when_idle


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_only_a_connection_idle_past_the_bound_is_pinged_and_a_dead_one_is_replaced(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to lose a connection to")
    clock = Ticks()
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    ping_when_idle(engine, after=2.0, clock=clock)
    pings: list[Any] = []
    real_ping, answers = engine.dialect.do_ping, []
    engine.dialect.do_ping = lambda conn: pings.append(conn) or (answers.pop(0) if answers else real_ping(conn))  # type: ignore[method-assign]

    def backend() -> int:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())

    try:
        first = backend()
        clock.now += 1.9
        assert backend() == first and pings == []  # back in the pool moments ago: used as it is
        clock.now += 2.0
        assert backend() == first and len(pings) == 1  # idle past the bound: pinged, alive
        clock.now += 5.0
        answers.append(False)  # the server closed it while it lay idle
        assert backend() != first  # replaced before use, nothing failed
        assert len(pings) == 2
    finally:
        engine.dispose()
