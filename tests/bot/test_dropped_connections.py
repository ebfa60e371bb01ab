"""A connection to Slack that drops (the emulator hangs up without answering) is one error type,
ChatError(dropped), and each place that talks to Slack handles it as its callers expect."""

from __future__ import annotations

import pytest

from bot import payloads
from bot.chat import ChatError
from bot.config import Settings
from bot.digests.rules import CANNOT_READ_OTHER
from bot.emulator import TEAM_ID, SlackEmulator
from bot.installs import Installs
from bot.installs.host import keep_host_installed
from bot.library.signin import SignInRefused, finish
from bot.slack import SlackChat, make_client
from storage.db import Database
from tests import harness
from tests.harness import BOT_TOKEN, MEMBER, TestBot, flatten, payloads_json
from tests.installs import distribution_settings
from tests.threads import CHANNEL, MAYOR, PARENT_TS, long_thread

RETRIED = 3  # the first try and the client's two connection retries


def settings_for(emulator: SlackEmulator) -> Settings:
    return harness.test_settings(emulator, "sqlite://")


def test_a_dropped_post_is_a_chat_error_whose_outcome_is_unknown(emulator: SlackEmulator) -> None:
    chat = SlackChat(make_client(settings_for(emulator), retry_connection_errors=False))
    emulator.fail("chat.postMessage", drop=True)
    with pytest.raises(ChatError) as raised:
        chat.post("C0GENERAL", {"text": "hello"})
    assert raised.value.dropped and raised.value.busy and not raised.value.refused
    assert raised.value.status == 0 and "connection" in raised.value.code

    emulator.fail("chat.postMessage", error="not_in_channel")
    with pytest.raises(ChatError) as refused:
        chat.post("C0GENERAL", {"text": "hello"})
    assert refused.value.refused and not refused.value.dropped


def test_a_member_looked_up_over_a_dropped_connection_is_unknown(emulator: SlackEmulator) -> None:
    emulator.add_user(MAYOR, real_name="Frank Cownie")
    chat = SlackChat(make_client(settings_for(emulator)))
    emulator.fail("users.info", drop=True, times=RETRIED)
    assert chat.member(MAYOR) is None
    assert chat.member(MAYOR).name == "Frank Cownie"  # type: ignore[union-attr]


def test_sign_in_over_a_dropped_connection_is_refused_in_words(emulator: SlackEmulator) -> None:
    emulator.fail("openid.connect.token", drop=True, times=RETRIED)
    with pytest.raises(SignInRefused, match="could not be reached"):
        finish(make_client(settings_for(emulator)), client_id="1.2", client_secret="s", code="c",
               redirect_uri="http://127.0.0.1/cb", nonce="n", now=0.0)


def test_the_host_is_not_installed_over_a_dropped_connection_and_starting_goes_on(
        emulator: SlackEmulator, db: Database, database_url: str) -> None:
    settings = distribution_settings(emulator, database_url, bot_token=BOT_TOKEN)
    client = make_client(settings)
    installs = Installs(settings, db.engine, client)
    emulator.fail("auth.test", drop=True, times=RETRIED)
    assert keep_host_installed(installs, client) is None
    assert installs.store.find_bot(enterprise_id=None, team_id=TEAM_ID) is None
    assert keep_host_installed(installs, client) == TEAM_ID  # the next start installs it
    assert installs.store.find_bot(enterprise_id=None, team_id=TEAM_ID) is not None


def save_digest(bot: TestBot) -> None:
    thread = long_thread(6)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    bot.send(payloads.message_shortcut("save_digest", thread[0], user=MEMBER, channel=CHANNEL,
                                       response_url=bot.emulator.response_url("shortcut")))


def test_a_thread_read_over_a_dropped_connection_says_try_again(bot: TestBot) -> None:
    bot.emulator.fail("conversations.replies", drop=True, times=RETRIED)
    save_digest(bot)
    shown = payloads_json(bot.emulator.calls_to("views.update")[-1].args["view"])
    assert flatten(shown) == CANNOT_READ_OTHER


def test_names_looked_up_over_a_dropped_connection_leave_the_draft_to_the_ids(bot: TestBot) -> None:
    bot.emulator.add_user(MAYOR, real_name="Frank Cownie")
    bot.emulator.fail("users.info", drop=True, times=RETRIED * 10)
    save_digest(bot)
    draft = flatten(payloads_json(bot.emulator.calls_to("views.update")[-1].args["view"]))
    assert "From 5 messages" in draft and "Frank Cownie" not in draft
