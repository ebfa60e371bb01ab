"""Scheduled jobs speak for each workspace with its own bot: the outbox, roundups, nudges; an
uninstalled workspace's deliveries are skipped (logged), its data stays, a reinstall picks up."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot import outbox, payloads
from bot.emulator import TEAM_ID
from bot.questions.nudges import nudge_questions
from bot.roundup.delivery import enqueue_roundups
from storage import deliveries, roundup_settings
from storage.deliveries import Delivery
from storage.practices import Practice
from tests.harness import TestBot
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, DENVER, DENVER_CHANNEL, install, stored_tokens

KIND = "installs_note"


def render_note(session: Any, delivery: Delivery, now: datetime) -> dict[str, Any]:
    return {"text": f"note {delivery.key}"}


def enqueue(bot: TestBot, team: str, channel: str, key: str) -> None:
    bot.services.renderers[KIND] = render_note
    with bot.db.begin() as session:
        deliveries.enqueue(session, team_id=team, kind=KIND, key=key, channel_id=channel,
                           due_at=bot.clock.now, now=bot.clock.now)


def status_of(bot: TestBot, team: str, key: str) -> str:
    with bot.db.begin() as session:
        found = deliveries.get_delivery(session, team, KIND, key)
    assert found is not None
    return found.status


def posts(bot: TestBot) -> list[tuple[str, str]]:
    return [(c.team, c.args["channel"]) for c in bot.emulator.calls_to("chat.postMessage") if c.status == 200]


def test_the_outbox_posts_each_workspace_s_deliveries_with_its_own_token(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)
    enqueue(distribution, BOSTON, BOSTON_CHANNEL, "a")
    enqueue(distribution, DENVER, DENVER_CHANNEL, "b")

    assert [o.status for o in outbox.deliver_due(distribution.services)] == ["sent", "sent"]
    assert sorted(posts(distribution)) == [(BOSTON, BOSTON_CHANNEL), (DENVER, DENVER_CHANNEL)]


def test_roundups_go_to_installed_workspaces_with_their_settings(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    due = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 09:00 New York
    with distribution.db.begin() as session:
        for team, channel in ((BOSTON, BOSTON_CHANNEL), (DENVER, DENVER_CHANNEL)):  # Denver never installed
            roundup_settings.save_settings(session, team, "U0X", due, day="mon", time="09:00",
                                   timezone="America/New_York", channel_id=channel, post_quiet_weeks=True)
    distribution.clock.now = due
    enqueue_roundups(distribution.services)
    outbox.deliver_due(distribution.services, due)
    assert posts(distribution) == [(BOSTON, BOSTON_CHANNEL)]


def test_a_question_in_another_workspace_is_nudged_there_with_its_token(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    message = payloads.message_event("How did your city pay for wireless downtown?", user=BOSTON_CIO,
                                     channel=BOSTON_CHANNEL)
    distribution.emulator.add_message(BOSTON_CHANNEL, message)
    distribution.send(payloads.event_callback(message, team=BOSTON))
    distribution.emulator.reset()
    distribution.clock.advance(days=3)
    assert nudge_questions(distribution.services) == 1
    assert posts(distribution) == [(BOSTON, BOSTON_CHANNEL)]


def uninstall(bot: TestBot, team: str, event: str = "app_uninstalled") -> None:
    bot.emulator.uninstall(team)
    body = {"type": event} if event == "app_uninstalled" else {
        "type": event, "tokens": {"bot": [bot.emulator.workspaces[team].bot_user_id]}}
    bot.send(payloads.event_callback(body, team=team))


def practices_of(bot: TestBot, team: str) -> int:
    with bot.db.begin() as session:
        return int(session.scalar(select(func.count()).select_from(Practice).where(Practice.team_id == team)) or 0)


def test_after_an_uninstall_deliveries_are_skipped_data_stays_and_a_reinstall_picks_up(
    distribution: TestBot, caplog
) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    distribution.send(payloads.slash_command("/practice", "Hotspots downtown. Free wifi drew people. #wireless",
                                             user=BOSTON_CIO, channel=BOSTON_CHANNEL, team=BOSTON,
                                             response_url=distribution.emulator.response_url("share")))
    assert practices_of(distribution, BOSTON) == 1
    enqueue(distribution, BOSTON, BOSTON_CHANNEL, "before")

    uninstall(distribution, BOSTON)
    assert stored_tokens(distribution.settings.database_url) == []
    assert stored_tokens(distribution.settings.database_url, "slack_installations") == []
    distribution.emulator.reset()
    with caplog.at_level(logging.INFO, logger="roundtable.outbox"):
        outcomes = outbox.deliver_due(distribution.services)
    assert [o.status for o in outcomes] == ["skipped"]
    assert status_of(distribution, BOSTON, "before") == "skipped"
    assert "not installed" in caplog.text
    assert distribution.emulator.calls_to("chat.postMessage") == []
    distribution.clock.advance(hours=2)
    assert outbox.deliver_due(distribution.services) == []  # not retried
    assert practices_of(distribution, BOSTON) == 1  # the exchange's record

    install(distribution.app, distribution.emulator, BOSTON)
    distribution.send(payloads.slash_command("/practice", "search hotspots", user=BOSTON_CIO,
                                             channel=BOSTON_CHANNEL, team=BOSTON,
                                             response_url=distribution.emulator.response_url("search")))
    assert "Hotspots downtown" in str(distribution.replies()[-1])
    enqueue(distribution, BOSTON, BOSTON_CHANNEL, "after")
    assert [o.status for o in outbox.deliver_due(distribution.services)] == ["sent"]
    assert posts(distribution)[-1] == (BOSTON, BOSTON_CHANNEL)


def test_a_revoked_bot_token_removes_the_installation_too(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)
    uninstall(distribution, BOSTON, "tokens_revoked")
    assert [row["team_id"] for row in stored_tokens(distribution.settings.database_url)] == [DENVER]
    enqueue(distribution, BOSTON, BOSTON_CHANNEL, "x")
    enqueue(distribution, DENVER, DENVER_CHANNEL, "y")
    assert sorted(o.status for o in outbox.deliver_due(distribution.services)) == ["sent", "skipped"]


def test_a_token_slack_refuses_after_an_uninstall_elsewhere_is_skipped_not_retried(distribution: TestBot) -> None:
    """Another process removed the installation: this one's cached bot is refused, then forgotten."""
    install(distribution.app, distribution.emulator, BOSTON)
    enqueue(distribution, BOSTON, BOSTON_CHANNEL, "cached")
    distribution.services.client_for(BOSTON)  # cached here
    distribution.emulator.uninstall(BOSTON)
    distribution.services.installs.store.delete_all(enterprise_id=None, team_id=BOSTON)  # "elsewhere"
    assert [o.status for o in outbox.deliver_due(distribution.services)] == ["skipped"]


def test_single_workspace_mode_is_unchanged(bot: TestBot) -> None:
    assert bot.services.installs is None
    assert bot.services.client_for(TEAM_ID) is bot.services.client
    bot.send(payloads.event_callback({"type": "app_uninstalled"}))  # logged; nothing to remove
    assert bot.app.oauth_flow is None


def test_install_links_nobody_finished_are_forgotten_once_expired(distribution: TestBot) -> None:
    from datetime import timedelta

    from bot.scheduler import forget_install_states

    states = distribution.services.installs.states
    unfinished = states.issue()
    issued_at = datetime.now(UTC)  # the state store stamps expiry on Slack's (the real) clock
    distribution.clock.now = issued_at + timedelta(minutes=9)
    forget_install_states(distribution.services)
    with distribution.db.begin() as session:
        assert session.scalar(select(func.count()).select_from(states.oauth_states)) == 1
    distribution.clock.now = issued_at + timedelta(minutes=11)
    forget_install_states(distribution.services)
    assert not states.consume(unfinished)
    fresh = states.issue()
    assert states.consume(fresh) and not states.consume(fresh)  # single use


def test_a_workspace_answering_429_delays_only_itself_in_the_same_tick(distribution: TestBot) -> None:
    """Boston's posts are refused with 429 for minutes: its deliveries wait (durably, per workspace),
    Denver's are posted in the same run, and Boston's are posted once Slack lets them through."""
    from datetime import timedelta

    install(distribution.app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)
    distribution.emulator.throttle(BOSTON, retry_after=300)
    for key in ("b1", "b2"):
        enqueue(distribution, BOSTON, BOSTON_CHANNEL, key)
    enqueue(distribution, DENVER, DENVER_CHANNEL, "d1")

    outcomes = outbox.deliver_due(distribution.services)

    assert sorted(o.status for o in outcomes) == ["retry", "retry", "sent"]
    assert posts(distribution) == [(DENVER, DENVER_CHANNEL)]
    assert [status_of(distribution, BOSTON, k) for k in ("b1", "b2")] == ["pending", "pending"]
    with distribution.db.begin() as session:
        waiting = session.scalars(select(Delivery).where(Delivery.team_id == BOSTON)).all()
        assert all(d.lease_until is None and d.next_attempt_at >= distribution.clock.now + timedelta(seconds=300)
                   for d in waiting)
    distribution.clock.advance(seconds=299)
    assert outbox.deliver_due(distribution.services) == []
    distribution.emulator.throttle(BOSTON, 0)
    distribution.clock.advance(seconds=1)
    assert [o.status for o in outbox.deliver_due(distribution.services)] == ["sent", "sent"]
    assert sorted(posts(distribution)) == [(BOSTON, BOSTON_CHANNEL)] * 2 + [(DENVER, DENVER_CHANNEL)]
