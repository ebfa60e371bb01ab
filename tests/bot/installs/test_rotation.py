"""Expiring tokens are refreshed before use, in requests and in scheduled jobs, once, even with
several processes (Slack's refresh tokens are single-use: a second refresh would be refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot

from bot import outbox, payloads
from bot.installs import Installs
from bot.slack import make_client
from storage import deliveries
from storage.db import Database
from storage.deliveries import Delivery
from tests.harness import TestBot, run_together
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, decrypted, install, stored_tokens

KIND = "rotation_note"
HOUR, TWELVE_HOURS = 3600, 12 * 3600


def render_note(session: Any, delivery: Delivery, now: datetime) -> dict[str, Any]:
    return {"text": f"note {delivery.key}"}


def installed_then_expired(bot: TestBot) -> str:
    """Boston installs with tokens good for an hour (inside the refresh window); then they expire."""
    assert bot.emulator.oauth is not None
    bot.emulator.oauth.token_lifetime = HOUR
    install(bot.app, bot.emulator, BOSTON)
    first = next(t for t, info in bot.emulator.tokens.items() if info.team_id == BOSTON)
    bot.emulator.expire_tokens(BOSTON)
    bot.emulator.oauth.token_lifetime = TWELVE_HOURS
    bot.services.forget_client(BOSTON)
    bot.emulator.reset()
    return first


def refreshes(bot: TestBot) -> list[Any]:
    return [c for c in bot.emulator.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]


def test_a_scheduled_delivery_refreshes_an_expiring_token_first_and_saves_it_encrypted(
    distribution: TestBot,
) -> None:
    old = installed_then_expired(distribution)
    before = stored_tokens(distribution.settings.database_url)[0]
    distribution.services.renderers[KIND] = render_note
    for key in ("one", "two"):
        with distribution.db.begin() as session:
            deliveries.enqueue(session, team_id=BOSTON, kind=KIND, key=key, channel_id=BOSTON_CHANNEL,
                               due_at=distribution.clock.now, now=distribution.clock.now)

    assert [o.status for o in outbox.deliver_due(distribution.services)] == ["sent", "sent"]
    assert len(refreshes(distribution)) == 1  # the second delivery used the refreshed token
    posts = distribution.emulator.calls_to("chat.postMessage")
    assert {c.team for c in posts} == {BOSTON} and all(c.status == 200 for c in posts)

    after = stored_tokens(distribution.settings.database_url)[0]
    assert after["bot_token"] != before["bot_token"] and after["bot_refresh_token"] != before["bot_refresh_token"]
    bot = distribution.services.installs.store.find_bot(enterprise_id=None, team_id=BOSTON)
    assert bot is not None and bot.bot_token != old and bot.bot_token.startswith("xoxe.xoxb-")
    assert decrypted(after["bot_token"]) == bot.bot_token and decrypted(after["bot_refresh_token"]).startswith("xoxe-")


def test_a_request_refreshes_an_expiring_token_before_its_listener_runs(distribution: TestBot) -> None:
    installed_then_expired(distribution)
    distribution.send(payloads.slash_command("/ask", "Who runs open data in your city?", user=BOSTON_CIO,
                                             channel=BOSTON_CHANNEL, team=BOSTON,
                                             response_url=distribution.emulator.response_url("ask")))
    assert len(refreshes(distribution)) == 1
    posted = distribution.emulator.calls_to("chat.postMessage")
    assert [(c.team, c.status) for c in posted] == [(BOSTON, 200)]
    assert distribution.emulator.message(BOSTON_CHANNEL, posted[0].args.get("ts", "")) is None  # a new post
    assert distribution.emulator.messages[BOSTON_CHANNEL]


def test_several_processes_refresh_once_and_all_use_the_new_token(distribution: TestBot) -> None:
    """Four workers in two "processes" (each its own engine and cache) find the token expiring at once."""
    installed_then_expired(distribution)
    distribution.emulator.fail("oauth.v2.access", delay=0.5)  # Slack is slow: the workers overlap
    databases = [Database(distribution.settings.database_url) for _ in range(2)]
    processes = [Installs(distribution.settings, db.engine, make_client(distribution.settings)) for db in databases]
    got: list[Bot | Exception] = []

    def work(installs: Installs) -> None:
        try:
            got.append(installs.bot_for(BOSTON))
        except Exception as error:  # noqa: BLE001 - recorded and asserted on
            got.append(error)

    try:
        run_together(work, [processes[i % 2] for i in range(4)])
    finally:
        for db in databases:
            db.dispose()
    assert all(isinstance(bot, Bot) for bot in got), got
    assert len(refreshes(distribution)) == 1
    assert len({bot.bot_token for bot in got if isinstance(bot, Bot)}) == 1
    client = make_client(distribution.settings)
    client.token = got[0].bot_token  # type: ignore[union-attr]
    assert client.auth_test()["team_id"] == BOSTON


def test_a_new_secret_key_reads_tokens_saved_with_the_old_one_and_a_dropped_key_is_retried(
    distribution: TestBot, caplog,
) -> None:
    """ROUNDTABLE_SECRET_KEY="new,old" rotates the key; with "new" alone old tokens are unreadable:
    deliveries wait (and say why) instead of being skipped as uninstalled."""
    from dataclasses import replace

    from tests.installs import OLD_KEY, SECRET_KEY

    old = replace(distribution.settings, secret_keys=(OLD_KEY,))
    install(TestBot(old, distribution.db, distribution.emulator, distribution.clock).app,
            distribution.emulator, BOSTON)
    for keys, expected in (((SECRET_KEY, OLD_KEY), "sent"), ((SECRET_KEY,), "retry")):
        settings = replace(distribution.settings, secret_keys=keys)
        rotated = TestBot(settings, distribution.db, distribution.emulator, distribution.clock)
        rotated.services.renderers[KIND] = render_note
        with distribution.db.begin() as session:
            deliveries.enqueue(session, team_id=BOSTON, kind=KIND, key=expected, channel_id=BOSTON_CHANNEL,
                               due_at=distribution.clock.now, now=distribution.clock.now)
        assert [o.status for o in outbox.deliver_due(rotated.services)] == [expected]
    assert "UnreadableToken" in caplog.text
    assert OLD_KEY not in caplog.text and SECRET_KEY not in caplog.text
