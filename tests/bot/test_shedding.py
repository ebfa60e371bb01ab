"""Beyond the listener threads and 0.05 s of queue a command's ack waits for room, up to
half a second; still no room, it is refused politely and changes nothing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from slack_bolt import BoltRequest
from sqlalchemy import func, select

from bot import payloads
from bot.services import LISTENER_THREADS, SQLITE_LISTENER_THREADS, ListenerExecutor, listener_threads
from bot.shedding import (
    ADMISSION_WAIT,
    ARRIVED_AT,
    BUSY,
    QUEUE_WAIT_BOUND,
    RATE_WINDOW,
    CompletionRate,
    late_for_bolt,
    threshold,
)
from storage.db import POOL_OVERFLOW, POOL_SIZE, Database
from storage.practices import Practice
from tests.harness import MEMBER, SIGNING_SECRET, TestBot, wait_until

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


def test_time_spent_before_bolt_counts_against_the_admission_wait(bot: TestBot) -> None:
    """The edge stamps when a request arrived (ARRIVED_AT): one that already waited ADMISSION_WAIT for
    a dispatch thread is decided at once, so under a long burst acks never pile up past the bound."""
    asked: list[float] = []
    admit = bot.executor.admit
    bot.executor.admit = lambda timeout: asked.append(timeout) or admit(timeout)  # type: ignore[method-assign]
    signed = payloads.encode(payloads.slash_command("/practice", SHARE, user=MEMBER,
                                                    response_url=bot.emulator.response_url("late")), SIGNING_SECRET)
    with occupied(bot.executor):
        arrived = time.monotonic() - ADMISSION_WAIT - 1
        response = bot.app.dispatch(BoltRequest(body=signed.body, headers=dict(signed.headers),
                                                context={ARRIVED_AT: arrived}))
        assert json.loads(response.body)["text"] == BUSY and asked == [0.0]
        just_now = BoltRequest(body=signed.body, headers=dict(signed.headers), context={ARRIVED_AT: time.monotonic()})
        bot.executor.admit = lambda timeout: asked.append(timeout) or True  # type: ignore[method-assign]
        bot.app.dispatch(just_now)
        assert 0 < asked[-1] <= ADMISSION_WAIT
    bot.wait_idle()


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
    assert SQLITE_LISTENER_THREADS < POOL_SIZE  # a SQLite listener never waits for a connection either


def test_sqlite_takes_fewer_listener_threads_than_postgresql(db: Database) -> None:
    """SQLite's writers take turns: threads beyond 16 only queued for its writer (bench/README.md)."""
    sqlite = db.engine.dialect.name == "sqlite"
    assert listener_threads(db) == (SQLITE_LISTENER_THREADS if sqlite else LISTENER_THREADS)
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
        work(executor, ticks, 80, 0.025)  # 40 commands a second of work
        assert executor.rate.per_second() == pytest.approx(40.0)
        queued = int(QUEUE_WAIT_BOUND * 40)  # what 40/s finish in the bound: 2
        assert queued == 2 and threshold(executor.rate.per_second(), 4) == 4 + queued
        for _ in range(4 + queued - 1):
            executor.submit(release.wait, 30)
        assert not executor.busy()  # every thread taken, 1 queued: under the bound
        executor.submit(release.wait, 30)
        assert executor.busy()


def test_a_quiet_bot_is_measured_at_the_rate_it_works_not_the_rate_commands_arrive() -> None:
    ticks = Ticks()
    executor = ListenerExecutor(max_workers=4, clock=ticks)
    try:
        work(executor, ticks, 4, 1 / 64, gap=0.5)  # a command every half second, 1/64 s each
        assert executor.rate.per_second() == 64.0
        assert threshold(executor.rate.per_second(), 4) == 4 + 3  # 64/s finish 3 in 0.05 s
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
    assert threshold(10.0, 32) == 32  # ten a second: not even one more fits in 0.05 s
    assert threshold(40.0, 32) == 34


def test_the_edge_counts_the_event_loops_lag_twice_and_the_dispatch_queues_wait_once() -> None:
    """A command let in waits for the loop before the edge sees it and again for its answer."""
    assert not late_for_bolt(0.0, 0.0)
    assert not late_for_bolt(0.14, 0.06)  # the worst of a healthy closed loop at concurrency 16
    assert late_for_bolt(0.26, 0.0)
    assert not late_for_bolt(0.0, ADMISSION_WAIT)
    assert late_for_bolt(0.0, ADMISSION_WAIT + 0.01)
    assert late_for_bolt(0.2, 0.11)


def test_a_finished_listener_lets_one_waiting_command_in_not_every_one() -> None:
    """One finished listener is room for one command: it wakes one waiting ack, which takes the room.
    Waking every waiting dispatch thread (notify_all) let them all look, all but one back to sleep,
    and on an empty queue let several in at once."""
    executor = ListenerExecutor(max_workers=1)
    with shut_after(executor) as release:
        first = threading.Event()
        executor.submit(first.wait, 30)
        admitted: list[bool] = []

        def command() -> None:
            if executor.admit(timeout=30):
                admitted.append(True)
                executor.submit(release.wait, 30)  # takes the room it was let in for

        waiting = [threading.Thread(target=command) for _ in range(3)]
        for thread in waiting:
            thread.start()
        wait_until(lambda: executor.waiting == 3, timeout=10)
        first.set()
        wait_until(lambda: admitted == [True], timeout=10)
        # the others must still be waiting: nothing can show that sooner than a bounded wait
        waiting[1].join(timeout=0.3)
        assert len(admitted) == 1 and executor.waiting == 2
        release.set()  # each finished listener now lets the next one in
        for thread in waiting:
            thread.join(timeout=10)
        assert admitted == [True] * 3 and executor.waiting == 0
