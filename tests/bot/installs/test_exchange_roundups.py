"""Roundups in the exchange (issue 12): each approved workspace gets its own, in its own channel, time
and zone, with the exchange's practices, once per week; a pending workspace gets none; a roundup
channel shared by several workspaces (Slack Connect) gets one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import outbox
from bot.roundup.delivery import enqueue_roundups
from storage import conversation_homes, conversations, roundup_settings
from storage.exchange import PENDING, join
from storage.practices import Practice
from tests.harness import TestBot, flatten
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, DENVER, DENVER_CHANNEL, DENVER_CIO, install

MONDAY = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York, 07:00 in Denver
AUSTIN, SHARED = "T0AUSTIN", "C0SHARED"


def settle(bot: TestBot, team: str, channel: str, time: str, zone: str) -> None:
    with bot.db.begin() as session:
        roundup_settings.save_settings(session, team, "U0X", MONDAY, day="mon", time=time, timezone=zone,
                                       channel_id=channel, post_quiet_weeks=True)


def share(bot: TestBot, team: str, user: str, channel: str, title: str) -> None:
    with bot.db.begin() as session:
        conversations.record(session, team, channel, True, MONDAY)
        session.add(Practice(team_id=team, user_id=user, city=team[3:].title(), title=title, solution="It worked",
                             created_at=MONDAY - timedelta(days=2), updated_at=MONDAY, channel_id=channel,
                             message_ts="1.1"))


def run_at(bot: TestBot, when: datetime) -> list[tuple[str, str, str]]:
    """A scheduler tick at `when`, then the outbox: (team, channel, text) of what was posted."""
    bot.emulator.reset()
    bot.clock.now = when
    enqueue_roundups(bot.services)
    outbox.deliver_due(bot.services, when)
    return [(c.team, c.args["channel"], flatten(c.args)) for c in bot.emulator.calls_to("chat.postMessage")
            if c.status == 200]


def test_each_approved_workspace_gets_the_exchange_s_roundup_in_its_own_time(distribution: TestBot) -> None:
    for team in (BOSTON, DENVER, AUSTIN):
        if team != AUSTIN:
            install(distribution.app, distribution.emulator, team)
    with distribution.db.begin() as session:
        join(session, AUSTIN, PENDING, MONDAY)
    distribution.services.installs.teams = lambda: [BOSTON, DENVER, AUSTIN]  # Austin installed, not approved
    settle(distribution, BOSTON, BOSTON_CHANNEL, "09:00", "America/New_York")
    settle(distribution, DENVER, DENVER_CHANNEL, "09:00", "America/Denver")
    settle(distribution, AUSTIN, "C0AUSTIN", "09:00", "America/New_York")
    share(distribution, BOSTON, BOSTON_CIO, BOSTON_CHANNEL, "Boston's open data portal")
    share(distribution, DENVER, DENVER_CIO, DENVER_CHANNEL, "Denver's 311 in the cloud")
    share(distribution, AUSTIN, "U0AUSCIO", "C0AUSTIN", "Austin's pending practice")

    boston = run_at(distribution, MONDAY)
    assert [(team, channel) for team, channel, _ in boston] == [(BOSTON, BOSTON_CHANNEL)]
    assert "Denver's 311 in the cloud" in boston[0][2] and "Boston's open data portal" in boston[0][2]
    assert "Austin" not in boston[0][2]
    assert run_at(distribution, MONDAY + timedelta(minutes=30)) == []  # once a week
    denver = run_at(distribution, MONDAY + timedelta(hours=2))  # 09:00 in Denver
    assert [(team, channel) for team, channel, _ in denver] == [(DENVER, DENVER_CHANNEL)]
    assert "Boston's open data portal" in denver[0][2] and "Austin" not in denver[0][2]
    assert run_at(distribution, MONDAY + timedelta(hours=3)) == []


def test_a_roundup_channel_shared_by_two_workspaces_gets_one(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)
    distribution.emulator.share_channel(SHARED, DENVER, BOSTON)
    with distribution.db.begin() as session:
        conversation_homes.claim_home(session, SHARED, DENVER, MONDAY)
    settle(distribution, BOSTON, SHARED, "09:00", "America/New_York")
    settle(distribution, DENVER, SHARED, "09:00", "America/Denver")
    posted = run_at(distribution, MONDAY) + run_at(distribution, MONDAY + timedelta(hours=2))
    assert [(team, channel) for team, channel, _ in posted] == [(DENVER, SHARED)]
