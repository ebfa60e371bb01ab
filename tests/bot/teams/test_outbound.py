"""Scheduled posts to Teams (issue 13): the outbox posts to stored conversation references through
the emulated Bot Connector, with the bot's own token from the emulated token endpoint; and a Teams
tenant in the exchange (pending until approved). Both databases, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from bot import messages as m
from bot import outbox
from bot.chat import ChatError, NoHistory
from bot.config import load_settings
from bot.digests import reminders as digest_reminders
from bot.emulator import SlackEmulator
from bot.emulator.teams import TeamsEmulator
from bot.exchange import PENDING_MESSAGE
from bot.exchange_requests import settle
from bot.questions.nudges import nudge_questions
from bot.roundtables import reminders
from bot.roundup.delivery import enqueue_roundups
from bot.services import Services
from bot.settings_checks import ConfigError
from bot.slack import SlackChat, make_client
from bot.teams.chat import TeamsChat
from bot.teams.gate import admit_tenant
from bot.teams.tokens import ClientCredentials, token_url
from bot.wiring import wire
from storage.db import Database
from storage.deliveries import Delivery
from storage.exchange import ExchangeMember
from storage.practices import Practice
from storage.questions import add_question
from storage.roundtables import Roundtable
from storage.roundup_settings import save_settings
from storage.teams_conversations import remember
from tests.bot.teams.edge import APP_ID, TENANT, post, wait_for
from tests.harness import MODERATOR, FakeClock, TestBot, run_together
from tests.installs import BOSTON, DENVER, distribution_settings

# ids as long as Teams' (they did not fit the 32 characters Slack's did: migration 0016)
CHANNEL = "19:" + "3f2a" * 8 + "@thread.tacv2"
ORGANIZER = "29:1" + "Xy7_" * 20
OTHER_TENANT = "2f6c1a8e-4b7d-4e0f-9a3c-5d8e7f6a1b2c"
PERSONAL = "a:1" + "Qw9-" * 30
MAYOR = "29:1" + "Zz3k" * 20


@pytest.fixture
def tenant(bot: TestBot, microsoft: TeamsEmulator) -> str:
    """The tests' tenant joined (listed, so approved) and its channel's conversation reference stored."""
    microsoft.check_tokens = True  # every connector call must carry a token the endpoint issued
    assert admit_tenant(bot.services, TENANT) == "approved"
    with bot.db.begin() as session:
        remember(session, CHANNEL, TENANT, microsoft.service_url, "channel", bot.clock())
    wire(bot.services)
    return TENANT


@pytest.fixture
def second_ticker(bot: TestBot, database_url: str) -> Iterator[Services]:
    """Another scheduler process's services: its own database pool and token, the same clock."""
    db = Database(database_url)
    yield wire(Services(settings=bot.settings, db=db, client=make_client(bot.settings), clock=bot.clock))
    db.dispose()


def activities(microsoft: TeamsEmulator, conversation: str = CHANNEL) -> list[dict[str, Any]]:
    return [s for s in microsoft.sent if s["method"] == "POST"
            and s["path"] == f"/v3/conversations/{quote(conversation, safe='')}/activities"]


def card_text(body: dict[str, Any]) -> str:
    return " ".join(str(part.get("text", "")) for part in body["attachments"][0]["content"]["body"])


def rows(bot: TestBot, kind: str) -> list[Delivery]:
    """The tenant's deliveries of `kind` (the Slack host has its own roundup)."""
    with bot.db.read() as session:
        found = list(session.scalars(select(Delivery).where(Delivery.kind == kind, Delivery.team_id == TENANT)))
        session.expunge_all()
        return found


def roundtable_in_teams(bot: TestBot) -> None:
    """A meeting at 10:00 New York (15:00 UTC) today, reminded 30 minutes before, in the Teams channel."""
    now = bot.clock()
    with bot.db.begin() as session:
        session.add(Roundtable(team_id=TENANT, channel_id=CHANNEL, title="Wireless downtown",
                               starts_local="2026-11-23T10:00", timezone="America/New_York", reminder_minutes=[30],
                               duration_minutes=60, created_by=ORGANIZER, created_at=now, updated_at=now,
                               schedule_set_at=now))


def tick(services: Services) -> None:
    reminders.enqueue_due_reminders(services)
    enqueue_roundups(services)
    outbox.deliver_due(services)


def first_reminder_answered(bot: TestBot, microsoft: TeamsEmulator, status: int) -> Delivery:
    """A roundtable's reminder, due, whose first connector call is answered `status` (0: the connection
    drops): its row after that tick."""
    roundtable_in_teams(bot)
    bot.clock.advance(minutes=31)
    microsoft.fail_next = [status]
    tick(bot.services)
    [row] = rows(bot, reminders.REMINDER_KIND)
    return row


def test_the_platform_is_chosen_in_one_place(bot: TestBot, tenant: str) -> None:
    assert isinstance(bot.services.chat_for(TENANT), TeamsChat)
    assert isinstance(bot.services.chat_for("T0TEAM"), SlackChat)
    with pytest.raises(NoHistory):
        bot.services.chat_for(TENANT).find_posted(CHANNEL, outbox.DeliveryKey(TENANT, "k", "1"), bot.clock())


def test_a_reminder_and_a_roundup_reach_the_teams_channel_once_with_two_tickers(
        bot: TestBot, microsoft: TeamsEmulator, tenant: str, second_ticker: Services) -> None:
    roundtable_in_teams(bot)
    with bot.db.begin() as session:  # Mondays 09:30 New York: due at 14:30 UTC, like the reminder
        save_settings(session, TENANT, ORGANIZER, bot.clock(), day="mon", time="09:30", timezone="America/New_York",
                      channel_id=CHANNEL, post_quiet_weeks=True)
    bot.clock.advance(minutes=31)
    run_together(tick, [bot.services, second_ticker])
    run_together(tick, [bot.services, second_ticker])

    posted = activities(microsoft)
    assert len(posted) == 2, [card_text(p["body"])[:60] for p in posted]
    texts = sorted(card_text(p["body"]) for p in posted)
    reminder = next(t for t in texts if "Wireless downtown" in t)
    assert "{{DATE(2026-11-23T15:00:00Z, SHORT)}} {{TIME(2026-11-23T15:00:00Z)}}" in reminder
    assert any("oundup" in t for t in texts)
    assert all(p["auth"].removeprefix("Bearer ") in microsoft.issued for p in posted)
    assert len(microsoft.issued) <= 2  # one token per ticker, kept, not one per post
    for kind in (reminders.REMINDER_KIND, "roundup"):
        [row] = rows(bot, kind)
        assert (row.status, row.team_id, row.channel_id) == ("sent", TENANT, CHANNEL) and row.slack_ts


def test_an_unknown_outcome_is_never_posted_twice(bot: TestBot, microsoft: TeamsEmulator, tenant: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    row = first_reminder_answered(bot, microsoft, 0)  # the connector records the activity, then the connection drops
    assert row.status == "sending" and "outcome unknown" in row.error  # held until it is resolved
    for _ in range(3):  # later ticks, past every retry time
        bot.clock.advance(minutes=5)
        tick(bot.services)
    assert len(activities(microsoft)) == 1
    [row] = rows(bot, reminders.REMINDER_KIND)
    assert row.status == "failed" and row.error.startswith("maybe posted")
    assert any("maybe posted" in r.getMessage() for r in caplog.records)


def test_a_429_is_retried_later_and_posted_once(bot: TestBot, microsoft: TeamsEmulator, tenant: str) -> None:
    row = first_reminder_answered(bot, microsoft, 429)
    assert (row.status, row.error, len(activities(microsoft))) == ("pending", "ratelimited", 0)
    tick(bot.services)  # not yet due again: nothing is sent
    assert len(activities(microsoft)) == 0
    bot.clock.advance(seconds=31)
    tick(bot.services)
    [row] = rows(bot, reminders.REMINDER_KIND)
    assert row.status == "sent" and len(activities(microsoft)) == 1


def test_connector_refusals_map_to_chat_errors(bot: TestBot, microsoft: TeamsEmulator, tenant: str) -> None:
    chat = bot.services.chat_for(TENANT)
    hello = m.Message(m.line("hello"), (m.Paragraph(m.line("hello")),))
    microsoft.fail_next = [413]
    with pytest.raises(ChatError) as too_big:
        chat.post(CHANNEL, hello)
    assert (too_big.value.code, too_big.value.busy) == ("MessageSizeTooBig", False)
    microsoft.fail_next = [503]
    with pytest.raises(ChatError) as busy:
        chat.post(CHANNEL, hello)
    assert busy.value.busy
    with pytest.raises(ChatError) as unknown:
        chat.post("19:never-heard-from@thread.tacv2", hello)
    assert unknown.value.code == "conversation_not_found"
    assert activities(microsoft) == []


def test_a_private_answer_and_a_direct_message_go_to_the_members_personal_chat(
        bot: TestBot, microsoft: TeamsEmulator, tenant: str) -> None:
    microsoft.members["29:mayor"] = "Dianah <b>Neff</b>"
    chat = bot.services.chat_for(TENANT)
    assert chat.member("29:mayor").name == "Dianah <b>Neff</b>"
    chat.post_private(CHANNEL, "29:mayor", m.Message(m.line("only you"), (m.Paragraph(m.line("only you ", m.Mention("29:mayor"))),)))
    created = [s for s in microsoft.sent if s["path"] == "/v3/conversations"]
    assert created[0]["body"]["members"] == [{"id": "29:mayor"}]
    assert created[0]["body"]["tenantId"] == TENANT
    [sent] = [s for s in microsoft.sent if s["path"].endswith("/activities")]
    assert "<at>Dianah &lt;b&gt;Neff&lt;/b&gt;</at>" in card_text(sent["body"])  # escaped, a mention entity
    assert sent["body"]["entities"][0]["mentioned"]["id"] == "29:mayor"


def say(url: str, microsoft: TeamsEmulator, text: str, tenant: str) -> str:
    before = len(microsoft.sent)
    activity = microsoft.message(text, tenant=tenant, conversation=PERSONAL, conversation_type="personal", user=MAYOR)
    assert post(url, activity, microsoft.sign(activity)) == 200
    sent = wait_for(lambda: microsoft.sent[before:])
    return str(sent[0]["body"].get("text") or "")


def test_a_pending_tenant_is_refused_until_an_exchange_moderator_approves_it(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    share = "practice Permits online. Residents apply from home."
    assert say(teams_url, microsoft, share, OTHER_TENANT) == PENDING_MESSAGE
    assert say(teams_url, microsoft, "practice search permits", OTHER_TENANT) == PENDING_MESSAGE
    with bot.db.read() as session:
        assert session.query(Practice).count() == 0
        member = session.get(ExchangeMember, OTHER_TENANT)
        assert (member.platform, member.status) == ("teams", "pending")
        host = session.scalar(select(ExchangeMember.workspace_id).where(ExchangeMember.host.is_(True)))
    asked = bot.emulator.wait_for("chat.postMessage")  # the host's moderator got the approval request
    assert asked[0].args["channel"] == MODERATOR and OTHER_TENANT in str(asked[0].args)
    assert len(bot.emulator.calls_to("chat.postMessage")) == 1  # once, not once per message

    assert settle(bot.services, OTHER_TENANT, True, host, MODERATOR) is None
    assert "No practices" in say(teams_url, microsoft, "practice search permits", OTHER_TENANT)
    say(teams_url, microsoft, share, OTHER_TENANT)
    with bot.db.read() as session:  # a person is (tenant, user id), at Teams' lengths
        assert [(p.team_id, p.user_id) for p in session.query(Practice)] == [(OTHER_TENANT, MAYOR)]


def test_a_declined_tenant_stays_out(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    say(teams_url, microsoft, "practice search permits", "tenant-3")
    with bot.db.read() as session:
        host = session.scalar(select(ExchangeMember.workspace_id).where(ExchangeMember.host.is_(True)))
    assert settle(bot.services, "tenant-3", False, host, MODERATOR) is None
    assert "not part of the Roundtable exchange" in say(teams_url, microsoft, "practice search permits", "tenant-3")


def test_the_organizer_gets_the_digest_reminder_in_their_personal_chat(
        bot: TestBot, microsoft: TeamsEmulator, tenant: str) -> None:
    roundtable_in_teams(bot)
    bot.clock.advance(minutes=31)
    tick(bot.services)  # the meeting's reminder, in the channel
    bot.clock.advance(hours=1, minutes=30)  # the meeting has ended
    digest_reminders.enqueue_digest_reminders(bot.services)
    outbox.deliver_due(bot.services)
    [opened] = [s for s in microsoft.sent if s["path"] == "/v3/conversations"]
    assert opened["body"]["members"] == [{"id": ORGANIZER}]
    [row] = rows(bot, digest_reminders.KIND)
    assert row.status == "sent" and row.channel_id.startswith("a:")  # the 1:1 conversation the connector gave
    [dm] = activities(microsoft, row.channel_id)
    assert "Wireless downtown" in card_text(dm["body"])


def test_a_nudge_whose_outcome_is_unknown_is_not_repeated(bot: TestBot, microsoft: TeamsEmulator,
                                                          tenant: str) -> None:
    with bot.db.begin() as session:  # a question in a Teams channel; its ts is the activity id
        add_question(session, TENANT, CHANNEL, "1700000000000", MAYOR, "Who runs permits online?", bot.clock())
    bot.clock.advance(days=bot.settings.question_nudge_days, minutes=1)
    microsoft.fail_next = [0]
    nudge_questions(bot.services)
    nudge_questions(bot.services)
    replies = [s for s in microsoft.sent if s["path"].endswith("/activities")]
    assert len(replies) == 1 and quote(f"{CHANNEL};messageid=1700000000000", safe="") in replies[0]["path"]


def test_the_bot_token_is_asked_once_and_a_refusal_is_a_chat_error(bot: TestBot, microsoft: TeamsEmulator) -> None:
    tokens = ClientCredentials(bot.settings)
    assert tokens() == tokens() == microsoft.issued[0] and len(microsoft.issued) == 1
    wrong = ClientCredentials(replace(bot.settings, teams_app_password="not-the-secret"))
    with pytest.raises(ChatError) as refused:
        wrong()
    assert refused.value.status == 401 and "not-the-secret" not in str(refused.value)


def test_the_token_url_is_a_test_setting() -> None:
    with pytest.raises(ConfigError):
        load_settings({"TEAMS_TOKEN_URL": "http://login.example.org/token"}, dotenv=False)
    assert token_url(load_settings({"TEAMS_TENANT_ID": "contoso-id"}, dotenv=False)) == (
        "https://login.microsoftonline.com/contoso-id/oauth2/v2.0/token")


def test_in_a_channel_the_explanation_is_private(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    activity = microsoft.message("<at>Roundtable</at> practice search permits", tenant=OTHER_TENANT,
                                 conversation=CHANNEL, conversation_type="channel", user=MAYOR)
    assert post(teams_url, activity, microsoft.sign(activity)) == 200
    sent = wait_for(lambda: [s for s in microsoft.sent if s["path"].endswith("/activities")])
    assert [s["path"] for s in microsoft.sent][0] == "/v3/conversations"  # the member's 1:1 chat, opened
    assert "has not approved it yet" in card_text(sent[0]["body"]) and activities(microsoft) == []  # nothing in the channel


def test_channel_talk_of_a_pending_tenant_gets_no_explanation(bot: TestBot, microsoft: TeamsEmulator,
                                                             teams_url: str) -> None:
    """With RSC every channel message reaches the bot: only one addressed to it (the mention) is told."""
    chatter = microsoft.message("lunch at noon?", tenant=OTHER_TENANT, conversation=CHANNEL, conversation_type="channel",
                                user=MAYOR, mention=False)
    assert post(teams_url, chatter, microsoft.sign(chatter)) == 200
    asked = microsoft.message("practice search permits", tenant=OTHER_TENANT, conversation=CHANNEL,
                              conversation_type="channel", user=MAYOR)
    assert post(teams_url, asked, microsoft.sign(asked)) == 200
    wait_for(lambda: [s for s in microsoft.sent if s["path"].endswith("/activities")])
    assert [s["path"] for s in microsoft.sent].count("/v3/conversations") == 1  # one explanation: the mention's


def test_in_distribution_mode_an_approved_tenant_gets_its_roundup(
        emulator: SlackEmulator, microsoft: TeamsEmulator, db: Database, database_url: str, clock: FakeClock) -> None:
    """Slack's installations do not list Teams tenants: the exchange's approved ones get theirs too."""
    settings = distribution_settings(emulator, database_url, teams_app_id=APP_ID, teams_app_password=microsoft.password,
                                     teams_token_url=microsoft.token_url,
                                     exchange_team_ids=frozenset({BOSTON, DENVER, TENANT}))
    bot = TestBot(settings, db, emulator, clock)
    try:
        assert admit_tenant(bot.services, TENANT) == "approved"
        with db.begin() as session:
            remember(session, CHANNEL, TENANT, microsoft.service_url, "channel", clock())
            save_settings(session, TENANT, ORGANIZER, clock(), day="mon", time="09:30", timezone="America/New_York",
                          channel_id=CHANNEL, post_quiet_weeks=True)
        clock.advance(minutes=31)
        tick(wire(bot.services))
        [posted] = activities(microsoft)
        assert "oundup" in card_text(posted["body"])
    finally:
        bot.close()


def test_a_message_too_big_fails_at_once(bot: TestBot, microsoft: TeamsEmulator, tenant: str) -> None:
    row = first_reminder_answered(bot, microsoft, 413)
    assert (row.status, row.error) == ("failed", "refused: MessageSizeTooBig")
