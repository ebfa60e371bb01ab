"""Beyond the listener threads and a tenth of a second of queue a command's ack waits for room, up to
half a second; still no room, it is refused politely and changes nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from bot.services import LISTENER_THREADS, ListenerExecutor
from bot.shedding import BUSY, QUEUE_WAIT_BOUND, RATE_WINDOW, CompletionRate, threshold
from storage.db import POOL_OVERFLOW, POOL_SIZE
from storage.practices import Practice
from tests.harness import TestBot, wait_until

SHARE = "Open data portal. We published 200 data sets with a public API. #open-data"


def practices(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(Practice)) or 0


@contextmanager
def occupied(executor: ListenerExecutor) -> Iterator[None]:
    """Every listener thread busy with work that waits for the block to end."""
    release = threading.Event()
    started = threading.Barrier(executor._max_workers + 1)

    def hold() -> None:
        started.wait(timeout=10)
        release.wait(timeout=30)

    for _ in range(executor._max_workers):
        executor.submit(hold)
    started.wait(timeout=10)
    try:
        yield
    finally:
        release.set()


@contextmanager
def shut_after(executor: ListenerExecutor) -> Iterator[threading.Event]:
    """An event for work to wait on; leaving the block sets it, waits for the work, shuts `executor` down."""
    release = threading.Event()
    try:
        yield release
    finally:
        release.set()
        assert executor.wait_idle(10)
        executor.shutdown()


def test_a_command_beyond_the_listener_threads_is_refused_privately_and_changes_nothing(bot: TestBot) -> None:
    """Still busy after waiting ADMISSION_WAIT for room: refused."""
    with occupied(bot.executor):
        assert bot.executor.busy()
        response = bot.command("/practice", SHARE, wait=False)
        assert response.status == 200
        assert json.loads(response.body) == {"response_type": "ephemeral", "text": BUSY}
    bot.wait_idle()
    assert not bot.executor.busy()
    assert practices(bot) == 0 and bot.replies() == []

    bot.command("/practice", SHARE)  # with threads free again, the same command is done
    assert practices(bot) == 1


def test_a_command_while_busy_waits_for_room_then_is_acked_and_done(bot: TestBot) -> None:
    """Back-pressure before refusal: the ack waits (up to ADMISSION_WAIT) for a listener to finish,
    rather than refusing a command that room is made for a moment later."""
    answered: list[object] = []
    with occupied(bot.executor):
        asking = threading.Thread(target=lambda: answered.append(bot.command("/practice", SHARE, wait=False)))
        asking.start()
        wait_until(lambda: bot.executor.waiting == 1, timeout=5, interval=0.01)  # it waits, unanswered
        assert answered == []
    asking.join(timeout=10)  # the held listeners finished: it is let in
    response = answered[0]
    assert (response.status, response.body) == (200, "")  # type: ignore[attr-defined]
    bot.wait_idle()
    assert practices(bot) == 1 and bot.executor.waiting == 0


def test_admission_waits_no_longer_than_its_bound() -> None:
    executor = ListenerExecutor(max_workers=1)
    with shut_after(executor) as release:
        executor.submit(release.wait, 30)
        assert not executor.admit(timeout=0.05)
        assert executor.waiting == 0
    assert executor.admit(timeout=0)


def test_a_request_that_failed_verification_is_not_answered_busy(bot: TestBot) -> None:
    with occupied(bot.executor):
        response = bot.command("/practice", SHARE, secret="not-the-signing-secret", wait=False)
        assert response.status == 401 and BUSY not in (response.body or "")
    bot.wait_idle()


def test_executor_is_busy_only_when_every_thread_has_work() -> None:
    executor = ListenerExecutor(max_workers=2)
    with shut_after(executor) as release:
        executor.submit(release.wait, 30)
        assert not executor.busy()
        executor.submit(release.wait, 30)
        assert executor.busy()
    assert not executor.busy()


def test_listener_threads_are_matched_to_the_database_pool() -> None:
    assert ListenerExecutor()._max_workers == LISTENER_THREADS == POOL_SIZE
    assert POOL_OVERFLOW > 0  # the edge's health checks and jobs never take a listener's connection


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def work(executor: ListenerExecutor, ticks: Ticks, commands: int, seconds: float, gap: float = 0.0) -> None:
    """`commands` finished one after another, each taking `seconds` of the fake clock, `gap` apart."""
    for _ in range(commands):
        executor.submit(ticks.advance, seconds).result(timeout=10)
        ticks.advance(gap)


def test_commands_queue_for_as_long_as_the_wait_bound_at_the_measured_rate() -> None:
    ticks = Ticks()
    executor = ListenerExecutor(max_workers=4, clock=ticks)
    with shut_after(executor) as release:
        assert threshold(executor.rate.per_second(), 4) == 4  # nothing measured yet: the threads
        work(executor, ticks, 40, 0.05)  # 20 commands a second of work
        assert executor.rate.per_second() == pytest.approx(20.0)
        queued = int(QUEUE_WAIT_BOUND * 20)  # what 20/s finish in the bound: 2
        assert queued == 2 and threshold(executor.rate.per_second(), 4) == 4 + queued
        for _ in range(4 + queued - 1):
            executor.submit(release.wait, 30)
        assert not executor.busy()  # every thread taken, 1 queued: under a tenth of a second
        executor.submit(release.wait, 30)
        assert executor.busy()


def test_a_quiet_bot_is_measured_at_the_rate_it_works_not_the_rate_commands_arrive() -> None:
    ticks = Ticks()
    executor = ListenerExecutor(max_workers=4, clock=ticks)
    try:
        work(executor, ticks, 4, 1 / 64, gap=0.5)  # a command every half second, 1/64 s each
        assert executor.rate.per_second() == 64.0
        assert threshold(executor.rate.per_second(), 4) == 4 + 6  # 64/s finish 6 in a tenth of a second
    finally:
        executor.shutdown()


def test_the_rate_forgets_work_older_than_its_window() -> None:
    ticks = Ticks()
    rate = CompletionRate(window=RATE_WINDOW, clock=ticks)
    for _ in range(10):
        rate.started(0)
        ticks.advance(0.1)
        rate.finished(0)
    assert rate.per_second() == pytest.approx(10.0)
    ticks.advance(RATE_WINDOW + 0.01)
    assert rate.per_second() == 0.0  # idle since: no rate, the threads alone decide again
    assert threshold(rate.per_second(), 32) == 32


def test_a_slow_rate_queues_nothing_beyond_the_threads() -> None:
    assert threshold(5.0, 32) == 32  # five a second: not even one more fits in a tenth of a second
    assert threshold(20.0, 32) == 34
