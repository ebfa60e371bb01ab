"""Approval enforced end to end (issue 12): the first install is the approved host, the next waits;
its members get one short private explanation and its events do nothing; the host's moderators
get a DM (and a Home item) with Approve / Decline, which only they can press."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot import exchange, payloads
from bot.emulator import TEAM_ID, SlackEmulator
from bot.exchange_requests import APPROVE, DECLINE, NOT_EXCHANGE_MODERATOR
from storage.db import Database
from storage.exchange import APPROVED, DECLINED, PENDING, decide, status_of
from storage.practices import Practice
from storage.questions import Question
from tests.exchange import SHARED_AT
from tests.harness import BOT_TOKEN, FakeClock, TestBot
from tests.installs import (
    BOSTON,
    BOSTON_CHANNEL,
    BOSTON_CIO,
    DENVER,
    DENVER_CHANNEL,
    DENVER_CIO,
    cities,
    distribution_settings,
    install,
)

BOSTON_CLERK = "U0BOSCLK"  # a Boston member, not a moderator


@pytest.fixture
def exchange_bot(emulator: SlackEmulator, db: Database, database_url: str, clock: FakeClock) -> Iterator[TestBot]:
    """No workspace listed: Boston installs first (the host, approved), Denver next (pending)."""
    cities(emulator)
    emulator.add_user(BOSTON_CLERK, team=BOSTON, real_name="Boston clerk")
    settings = distribution_settings(emulator, database_url, exchange_team_ids=frozenset(),
                                     moderator_user_ids=frozenset({BOSTON_CIO}))
    test_bot = TestBot(settings, db, emulator, clock)
    install(test_bot.app, emulator, BOSTON)
    install(test_bot.app, emulator, DENVER)
    yield test_bot
    test_bot.close()


def status(bot: TestBot, team: str) -> str | None:
    with bot.db.begin() as session:
        return status_of(session, team)


def search(bot: TestBot, team: str, channel: str, user: str) -> None:
    bot.send(payloads.slash_command("/practice", "search wireless", user=user, channel=channel, team=team,
                                    response_url=bot.emulator.response_url("search")))


def the_request(bot: TestBot) -> Any:
    """The DM the host's moderator got about Denver."""
    dms = [c for c in bot.emulator.calls_to("chat.postMessage") if "asks to join the exchange" in str(c.args)]
    assert len(dms) == 1
    return dms[0]


def press(bot: TestBot, action: str, user: str, team: str = BOSTON) -> None:
    bot.send(payloads.block_action(action, DENVER, user=user, team=team, channel="D0BOSCIO", message_ts="1.2",
                                   response_url=bot.emulator.response_url("press")))


def test_the_host_is_approved_and_the_next_workspace_waits(exchange_bot: TestBot) -> None:
    assert (status(exchange_bot, BOSTON), status(exchange_bot, DENVER)) == (APPROVED, PENDING)


def test_a_pending_workspace_is_refused_privately_and_nothing_is_stored(exchange_bot: TestBot) -> None:
    exchange_bot.emulator.reset()
    exchange_bot.send(payloads.slash_command("/practice", "Wireless hotspots downtown. Free wifi. #wireless",
                                             user=DENVER_CIO, channel=DENVER_CHANNEL, team=DENVER,
                                             response_url=exchange_bot.emulator.response_url("share")))
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    message = payloads.message_event("How did you fund the hotspots?", user=DENVER_CIO, channel=DENVER_CHANNEL)
    exchange_bot.emulator.add_message(DENVER_CHANNEL, message)
    exchange_bot.send(payloads.event_callback(message, team=DENVER))
    replies = exchange_bot.replies()
    assert [r["text"] for r in replies] == [exchange.PENDING_MESSAGE] * 2
    assert all(r.get("response_type", "ephemeral") == "ephemeral" for r in replies)
    assert exchange_bot.emulator.calls_to("chat.postMessage") == []
    with exchange_bot.db.begin() as session:
        assert session.query(Practice).count() == 0 and session.query(Question).count() == 0


def test_an_approved_workspace_is_served(exchange_bot: TestBot) -> None:
    search(exchange_bot, BOSTON, BOSTON_CHANNEL, BOSTON_CIO)
    texts = [r.get("text", "") for r in exchange_bot.replies()]
    assert texts and exchange.PENDING_MESSAGE not in texts


def test_the_host_moderator_gets_a_dm_with_approve_and_decline_sent_with_the_host_token(
        exchange_bot: TestBot) -> None:
    dm = the_request(exchange_bot)
    assert dm.team == BOSTON
    buttons = [e for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(APPROVE, DENVER), (DECLINE, DENVER)]
    assert "confirm" not in buttons[0] and buttons[1]["confirm"]["confirm"]["text"] == "Decline"


def test_a_non_moderator_press_changes_nothing(exchange_bot: TestBot) -> None:
    press(exchange_bot, APPROVE, BOSTON_CLERK)
    assert exchange_bot.replies()[-1]["text"] == NOT_EXCHANGE_MODERATOR
    press(exchange_bot, APPROVE, DENVER_CIO, team=DENVER)  # the pending workspace cannot let itself in
    assert exchange_bot.replies()[-1]["text"] == exchange.PENDING_MESSAGE
    assert status(exchange_bot, DENVER) == PENDING


def test_approve_lets_the_workspace_in(exchange_bot: TestBot) -> None:
    press(exchange_bot, APPROVE, BOSTON_CIO)
    assert status(exchange_bot, DENVER) == APPROVED
    decided = exchange_bot.replies()[-1]
    assert decided["replace_original"] is True and "was approved by" in decided["text"]
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    assert exchange_bot.replies()[-1].get("text") != exchange.PENDING_MESSAGE


def test_decline_keeps_it_out_with_its_own_explanation(exchange_bot: TestBot) -> None:
    press(exchange_bot, DECLINE, BOSTON_CIO)
    assert status(exchange_bot, DENVER) == DECLINED
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    assert exchange_bot.replies()[-1]["text"] == exchange.DECLINED_MESSAGE


def test_the_host_home_tab_lists_the_request_for_its_moderator_only(exchange_bot: TestBot) -> None:
    def home_of(user: str) -> str:
        exchange_bot.send(payloads.event_callback(payloads.app_home_opened(user), team=BOSTON))
        views = [c for c in exchange_bot.emulator.calls_to("views.publish") if c.args["user_id"] == user]
        return str(views[-1].args["view"])

    moderator = home_of(BOSTON_CIO)
    assert "Workspaces asking to join the exchange" in moderator and APPROVE in moderator
    assert "Workspaces asking to join" not in home_of(BOSTON_CLERK)


def test_the_host_installed_from_slack_bot_token_is_the_approved_host(
        emulator: SlackEmulator, db: Database, database_url: str, clock: FakeClock) -> None:
    cities(emulator)
    host = TestBot(distribution_settings(emulator, database_url, bot_token=BOT_TOKEN, exchange_team_ids=frozenset()),
                   db, emulator, clock)
    try:
        install(host.app, emulator, BOSTON)
        with db.begin() as session:
            assert exchange.host_team(session, host.settings) == TEAM_ID
        assert status(host, TEAM_ID) == APPROVED
        assert status(host, BOSTON) == PENDING
    finally:
        host.executor.shutdown(wait=True)


def denver_practice(bot: TestBot, title: str, channel: str, public: bool) -> None:
    from storage.conversations import record

    with bot.db.begin() as session:
        record(session, DENVER, channel, public, SHARED_AT)
        session.add(Practice(team_id=DENVER, user_id=DENVER_CIO, city="Denver", title=title, problem="",
                             solution="", created_at=SHARED_AT, updated_at=SHARED_AT, channel_id=channel,
                             message_ts="1799000000.000100"))


def found_by_boston(bot: TestBot) -> str:
    search(bot, BOSTON, BOSTON_CHANNEL, BOSTON_CIO)
    return str(bot.replies()[-1])


def test_search_reaches_approved_workspaces_public_practices_only(exchange_bot: TestBot) -> None:
    denver_practice(exchange_bot, "Wireless mesh for the parks", DENVER_CHANNEL, public=True)
    denver_practice(exchange_bot, "Wireless plans still secret", "G0DENPRIV", public=False)
    assert "Wireless mesh" not in found_by_boston(exchange_bot)  # Denver is pending
    press(exchange_bot, APPROVE, BOSTON_CIO)
    shown = found_by_boston(exchange_bot)
    assert "Wireless mesh for the parks" in shown and "Denver" in shown
    assert "still secret" not in shown  # another workspace's private conversation never shows


@pytest.mark.parametrize("fault", [{"drop": True}, {"status": 500}, {"error": "channel_not_found"}])
def test_an_explanation_that_cannot_be_delivered_is_no_500(exchange_bot: TestBot, fault: dict[str, Any]) -> None:
    """A form submitted from a pending workspace is explained by DM; a dropped connection, a 5xx or a
    refusal while sending it is logged, and Slack still gets its ack, never a 500."""
    exchange_bot.emulator.reset()
    exchange_bot.emulator.fail("chat.postMessage", times=3, **fault)  # every retry fails too
    response = exchange_bot.send(payloads.view_submission("practice_share", {}, user=DENVER_CIO, team=DENVER))
    assert response.status == 200


def test_a_decline_in_this_process_takes_effect_at_once(exchange_bot: TestBot) -> None:
    press(exchange_bot, APPROVE, BOSTON_CIO)
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)  # served: its approval is remembered
    assert exchange_bot.replies()[-1].get("text") != exchange.PENDING_MESSAGE
    press(exchange_bot, DECLINE, BOSTON_CIO)
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    assert exchange_bot.replies()[-1]["text"] == exchange.DECLINED_MESSAGE


def test_a_decline_made_by_another_process_is_seen_within_the_approval_cache_time(exchange_bot: TestBot) -> None:
    """The gate remembers an approved workspace for ADMITTED_SECONDS (no database read per request);
    another web worker's decline reaches this one within that time. A refusal is never remembered,
    so an approval is seen at once everywhere."""
    press(exchange_bot, APPROVE, BOSTON_CIO)
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    with exchange_bot.db.begin() as session:  # another worker's decision: this process is not told
        decide(session, DENVER, DECLINED, f"{BOSTON}:{BOSTON_CIO}", exchange_bot.clock.now)
    exchange_bot.clock.advance(seconds=exchange.ADMITTED_SECONDS - 1)
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    assert exchange_bot.replies()[-1].get("text") != exchange.DECLINED_MESSAGE  # still remembered
    exchange_bot.clock.advance(seconds=2)
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    assert exchange_bot.replies()[-1]["text"] == exchange.DECLINED_MESSAGE
    with exchange_bot.db.begin() as session:  # approved again elsewhere: seen at once (nothing refused is kept)
        decide(session, DENVER, APPROVED, f"{BOSTON}:{BOSTON_CIO}", exchange_bot.clock.now)
    search(exchange_bot, DENVER, DENVER_CHANNEL, DENVER_CIO)
    assert exchange_bot.replies()[-1].get("text") != exchange.DECLINED_MESSAGE
