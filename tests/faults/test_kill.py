"""A clock process killed with SIGKILL between claiming a delivery and hearing back from Slack.

The claim (status `sending`, a lease) is committed before the post, so the restarted process does
not touch the delivery until the lease runs out, then looks for its key in the channel's history:
found, it is recorded as sent (not posted twice); missing, it is posted (not lost). The lease is
90 seconds; the test moves it back instead of waiting, as the passing time would.
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.emulator import SlackEmulator
from storage.db import Database
from storage.deliveries import SENDING, Delivery
from tests.faults.processes import SchedulerProcess, delivery_states, posted_keys, seed_due_reminders
from tests.harness import bot_env, free_port, wait_until

IN_FLIGHT = 2.0  # seconds Slack takes to answer the post the process is killed waiting for


def run_out_lease(url: str) -> None:
    db = Database(url)
    past = datetime.now(UTC) - timedelta(seconds=1)
    with db.begin() as session:
        moved = session.execute(update(Delivery).where(Delivery.status == SENDING)
                                .values(lease_until=past, next_attempt_at=past)).rowcount  # type: ignore[attr-defined]
    db.dispose()
    assert moved == 1, "the killed process had not claimed the delivery"


@pytest.mark.parametrize("slack_posted", [True, False], ids=["slack-posted-it", "slack-never-got-it"])
def test_a_scheduler_killed_mid_post_then_restarted_posts_the_reminder_once(
    slack: SlackEmulator, pg_url: str, tmp_path: Path, slack_posted: bool
) -> None:
    [key] = seed_due_reminders(pg_url, slack, 1, channels=1)
    # the post is in flight when the process dies; Slack then makes it, or the connection dropped first
    slack.fail("chat.postMessage", delay=IN_FLIGHT, drop=not slack_posted)
    env = bot_env(slack, pg_url, free_port())

    first = SchedulerProcess(env, tmp_path / "first.log")
    try:
        slack.wait_for("chat.postMessage", arrived=True, timeout=30)
    finally:
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    assert delivery_states(pg_url) == {SENDING: 1}
    slack.wait_for("chat.postMessage", timeout=IN_FLIGHT + 5)  # Slack finished with the dead process's post
    assert posted_keys(slack) == ([key] if slack_posted else [])

    run_out_lease(pg_url)
    second = SchedulerProcess(env, tmp_path / "second.log")
    try:
        wait_until(lambda: delivery_states(pg_url) == {"sent": 1}, timeout=30, interval=0.1)
    finally:
        second.stop(signal.SIGTERM)
    assert posted_keys(slack) == [key]
    assert len(slack.calls_to("conversations.history")) == 1, "the restarted process did not check first"
    assert len(slack.calls_to("chat.postMessage")) == (1 if slack_posted else 2)
    assert ("found in channel" in second.log()) is slack_posted
