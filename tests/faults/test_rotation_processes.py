"""Two clock processes in distribution mode find a workspace's token expiring at the same moment:
one refreshes it (Slack's refresh tokens are single-use), both post with the new token, and each
of the workspace's reminders is posted once, in its own channel."""

from __future__ import annotations

import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.emulator import SlackEmulator
from bot.roundtables import meetings, reminders
from bot.roundtables.plans import MeetingPlan
from storage.db import Database
from tests.faults.processes import SchedulerProcess, delivery_states, posted_keys
from tests.harness import FakeClock, TestBot, bot_env, free_port, wait_until
from tests.installs import (
    BOSTON,
    BOSTON_CHANNEL,
    CLIENT_ID,
    CLIENT_SECRET,
    SECRET_KEY,
    cities,
    distribution_settings,
    install,
)

REMINDERS = 20


def install_boston_with_an_expired_token(slack: SlackEmulator, url: str) -> None:
    cities(slack, token_lifetime=3600)
    db = Database(url)
    bot = TestBot(distribution_settings(slack, url), db, slack, FakeClock())
    try:
        install(bot.app, slack, BOSTON)
        now = datetime.now(UTC)
        start = (now + timedelta(minutes=30)).replace(second=0, microsecond=0, tzinfo=None)
        with db.begin() as session:
            for n in range(REMINDERS):
                plan = MeetingPlan(title=f"Boston roundtable {n}", starts_local=start, timezone="UTC",
                                   channel_id=BOSTON_CHANNEL, reminder_minutes=[60])
                meetings.schedule(session, team_id=BOSTON, user_id="U0BOSCIO", plan=plan,
                                  now=now - timedelta(hours=2))
        bot.clock.now = now
        assert reminders.enqueue_due_reminders(bot.services) == REMINDERS
    finally:
        bot.executor.shutdown(wait=True)
        db.dispose()
    slack.expire_tokens(BOSTON)
    assert slack.oauth is not None
    slack.oauth.token_lifetime = 12 * 3600


def test_two_clock_processes_refresh_an_expiring_token_once(slack: SlackEmulator, pg_url: str,
                                                            tmp_path: Path) -> None:
    install_boston_with_an_expired_token(slack, pg_url)
    slack.reset()
    slack.fail("oauth.v2.access", delay=1.0)  # a slow refresh: the other process arrives meanwhile
    env = bot_env(slack, pg_url, free_port(), SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                  ROUNDTABLE_SECRET_KEY=SECRET_KEY)
    del env["SLACK_BOT_TOKEN"]
    clocks = [SchedulerProcess(env, tmp_path / f"clock-{n}.log") for n in (1, 2)]
    try:
        wait_until(lambda: delivery_states(pg_url) == {"sent": REMINDERS}, timeout=60, interval=0.2)
    finally:
        logs = [clock.log() for clock in clocks if clock.stop(signal.SIGTERM) is not None]

    refreshes = [c for c in slack.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1, logs
    posts = [c for c in slack.calls_to("chat.postMessage") if c.status == 200]
    assert {(c.team, c.args["channel"]) for c in posts} == {(BOSTON, BOSTON_CHANNEL)}
    assert not [k for k, n in Counter(posted_keys(slack)).items() if n > 1], "a reminder was posted twice"
    assert len(posted_keys(slack)) == REMINDERS
    assert "refreshed" in "".join(logs)
    assert not [t for t in slack.tokens if t in "".join(logs)]
