"""Beyond the listener threads a command is refused politely, at once, and changes nothing."""

from __future__ import annotations

import json
import threading

from sqlalchemy import func, select

from bot.services import LISTENER_THREADS, ListenerExecutor
from bot.shedding import BUSY
from storage.db import POOL_OVERFLOW, POOL_SIZE
from storage.practices import Practice
from tests.harness import TestBot

SHARE = "Open data portal. We published 200 data sets with a public API. #open-data"


def practices(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(Practice)) or 0


def occupy(executor: ListenerExecutor, release: threading.Event) -> None:
    """Every listener thread busy with work that waits for `release`."""
    started = threading.Barrier(executor._max_workers + 1)

    def hold() -> None:
        started.wait(timeout=10)
        release.wait(timeout=30)

    for _ in range(executor._max_workers):
        executor.submit(hold)
    started.wait(timeout=10)


def test_a_command_beyond_the_listener_threads_is_refused_privately_and_changes_nothing(bot: TestBot) -> None:
    release = threading.Event()
    occupy(bot.executor, release)
    try:
        assert bot.executor.busy()
        response = bot.command("/practice", SHARE, wait=False)
        assert response.status == 200
        assert json.loads(response.body) == {"response_type": "ephemeral", "text": BUSY}
    finally:
        release.set()
    bot.wait_idle()
    assert not bot.executor.busy()
    assert practices(bot) == 0 and bot.replies() == []

    bot.command("/practice", SHARE)  # with threads free again, the same command is done
    assert practices(bot) == 1


def test_a_request_that_failed_verification_is_not_answered_busy(bot: TestBot) -> None:
    release = threading.Event()
    occupy(bot.executor, release)
    try:
        response = bot.command("/practice", SHARE, secret="not-the-signing-secret", wait=False)
        assert response.status == 401 and BUSY not in (response.body or "")
    finally:
        release.set()
    bot.wait_idle()


def test_executor_is_busy_only_when_every_thread_has_work() -> None:
    executor = ListenerExecutor(max_workers=2)
    release = threading.Event()
    try:
        executor.submit(release.wait, 30)
        assert not executor.busy()
        executor.submit(release.wait, 30)
        assert executor.busy()
    finally:
        release.set()
        assert executor.wait_idle(10)
        executor.shutdown()
    assert not executor.busy()


def test_listener_threads_are_matched_to_the_database_pool() -> None:
    assert ListenerExecutor()._max_workers == LISTENER_THREADS == POOL_SIZE
    assert POOL_OVERFLOW > 0  # the edge's health checks and jobs never take a listener's connection
