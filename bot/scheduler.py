"""The ticker. APScheduler only wakes the jobs up; what is due lives in the bot's own tables.

Jobs are plain functions `job(services)` that open their own unit of work, so any number of
tickers (a `clock` process, or `serve` running alone) can run against one database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot import outbox
from bot.digests.reminders import enqueue_digest_reminders
from bot.questions.nudges import nudge_questions
from bot.roundtables import reminders
from bot.roundup.delivery import enqueue_roundups
from bot.services import Services
from bot.wiring import wire
from storage.events import forget_old_events

log = logging.getLogger("roundtable.scheduler")


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[Services], object]
    seconds: int


def forget_events(services: Services) -> None:
    with services.db.begin() as session:
        removed = forget_old_events(session, services.clock())
    if removed:
        log.info("forgot %d processed event ids", removed)


JOBS: list[Job] = [
    Job("forget-events", forget_events, seconds=3600),
    Job("roundtable-reminders", reminders.enqueue_due_reminders, seconds=15),
    Job("roundup", enqueue_roundups, seconds=60),  # the weekly roundup into the outbox, once a week
    Job("digest-reminders", enqueue_digest_reminders, seconds=60),  # after a meeting: save its digest
    Job("deliver", outbox.deliver_due, seconds=15),  # posts what the outbox holds, once each
    Job("forget-deliveries", outbox.forget_deliveries, seconds=3600),
    Job("question-nudges", nudge_questions, seconds=900),
]


def _guarded(job: Job, services: Services) -> Callable[[], None]:
    def run() -> None:
        try:
            job.run(services)
        except Exception:
            log.exception("job %s failed; it runs again at its next tick", job.id)

    return run


def build_scheduler(services: Services) -> BackgroundScheduler:
    """The jobs on a background thread; the caller starts it and shuts it down."""
    wire(services)
    scheduler = BackgroundScheduler(timezone="UTC")
    for job in JOBS:
        scheduler.add_job(
            _guarded(job, services), "interval", seconds=job.seconds, id=job.id,
            replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=job.seconds,
            next_run_time=datetime.now(UTC),  # a (re)started ticker catches up at once, not an interval later
        )
    return scheduler
