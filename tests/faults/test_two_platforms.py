"""Two `python -m bot scheduler` processes on one PostgreSQL database, serving Slack and Teams: a
roundtable reminder due in a Slack channel and one due in a Teams channel are each posted exactly
once, the Teams one through the Bot Connector with the token the bot asked TEAMS_TOKEN_URL for."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bot import exchange
from bot.emulator import SlackEmulator
from bot.emulator.teams import TeamsEmulator
from bot.roundtables import meetings, reminders
from bot.roundtables.plans import MeetingPlan
from bot.services import Services
from bot.slack import make_client
from bot.wiring import wire
from storage.db import Database
from storage.teams_conversations import remember
from tests.bot.teams.edge import APP_ID, TENANT
from tests.faults.processes import TEAM, SchedulerProcess, delivery_states, posted_keys, sent_keys
from tests.harness import bot_env, free_port, wait_until
from tests.harness import test_settings as settings_for

SLACK_CHANNEL = "C0FAULT000"
TEAMS_CHANNEL = "19:roundtable-fault@thread.tacv2"
PASSWORD = "teams-app-password-for-tests"


def seed(url: str, slack: SlackEmulator, microsoft: TeamsEmulator) -> None:
    """A roundtable in 30 minutes with a 60-minute reminder in each platform's channel, the tenant in
    the exchange with its channel's conversation reference, and both reminders in the outbox."""
    now = datetime.now(UTC)
    start = (now + timedelta(minutes=30)).replace(second=0, microsecond=0, tzinfo=None)
    settings = settings_for(slack, url, teams_app_id=APP_ID, teams_app_password=PASSWORD,
                            teams_token_url=microsoft.token_url, exchange_team_ids=frozenset({TENANT}))
    db = Database(url)
    try:
        with db.begin() as session:
            exchange.admit(session, settings, TENANT, now, platform="teams")
            remember(session, TEAMS_CHANNEL, TENANT, microsoft.service_url, "channel", now)
            for team, channel in ((TEAM, SLACK_CHANNEL), (TENANT, TEAMS_CHANNEL)):
                plan = MeetingPlan(title=f"Wireless downtown ({team})", starts_local=start, timezone="UTC",
                                   channel_id=channel, reminder_minutes=[60])
                meetings.schedule(session, team_id=team, user_id="U0MOD", plan=plan, now=now - timedelta(hours=2))
        services = wire(Services(settings=settings, db=db, client=make_client(settings)))
        assert reminders.enqueue_due_reminders(services) == 2
    finally:
        db.dispose()


def teams_posts(microsoft: TeamsEmulator) -> list[dict[str, Any]]:
    path = f"/v3/conversations/{quote(TEAMS_CHANNEL, safe='')}/activities"
    return [s for s in microsoft.sent if s["method"] == "POST" and s["path"] == path]


def test_two_schedulers_post_a_reminder_to_slack_and_to_teams_once_each(
        slack: SlackEmulator, pg_url: str, tmp_path: Path) -> None:
    with TeamsEmulator(APP_ID, password=PASSWORD) as microsoft:
        microsoft.check_tokens = True  # a post must carry a token TEAMS_TOKEN_URL issued
        microsoft.latency = 0.3  # both tickers are at work while the Teams post is on its way
        seed(pg_url, slack, microsoft)
        env = bot_env(slack, pg_url, free_port(), TEAMS_APP_ID=APP_ID, TEAMS_APP_PASSWORD=PASSWORD,
                      TEAMS_TOKEN_URL=microsoft.token_url, EXCHANGE_TEAM_IDS=TENANT)
        clocks = [SchedulerProcess(env, tmp_path / f"clock-{n}.log") for n in (1, 2)]
        try:
            wait_until(lambda: delivery_states(pg_url) == {"sent": 2}, timeout=60, interval=0.2)
        finally:
            logs = [clock.log() for clock in clocks if clock.stop(signal.SIGTERM) is not None]
        posted = teams_posts(microsoft)

    assert len(posted_keys(slack)) == 1, "the Slack reminder was not posted exactly once"
    assert len(posted) == 1, f"{len(posted)} Teams posts for one reminder"
    assert f"Wireless downtown ({TENANT})" in str(posted[0]["body"])
    assert posted[0]["auth"].removeprefix("Bearer ") in microsoft.issued
    sent = [key for log in logs for key in sent_keys(log)]
    assert sorted(key.split("/")[0] for key in sent) == sorted([TEAM, TENANT]), logs
    assert not any(PASSWORD in log or token in log for log in logs for token in microsoft.issued)
