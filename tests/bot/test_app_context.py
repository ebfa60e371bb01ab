"""Each request's Bolt context as Bolt would build it, without a new Web API client per request."""

from __future__ import annotations

from slack_bolt import App, BoltRequest

from bot import payloads
from bot.emulator import SlackEmulator
from bot.keepalive import KeptAliveWebClient
from bot.roundtables.blocks import SCHEDULE_CONFIRM
from storage.db import Database
from tests.harness import MEMBER, SIGNING_SECRET, FakeClock, TestBot
from tests.installs import BOSTON, DENVER, cities, distribution_settings


def request(team: str = "T0ROUNDTBL") -> BoltRequest:
    signed = payloads.encode(payloads.slash_command("/roundup", "preview", user=MEMBER, team=team,
                                                    response_url="http://127.0.0.1:1/r"), SIGNING_SECRET)
    return BoltRequest(body=signed.body, headers=dict(signed.headers))


def test_one_workspace_token_one_client_reused_across_requests(bot: TestBot) -> None:
    first, second, elsewhere = request(), request(), request(team="T0ENTERPR")
    for req in (first, second, elsewhere):
        bot.app._init_context(req)  # the hook Bolt calls at the start of every dispatch
    client = first.context.client
    assert second.context.client is client and elsewhere.context.client is not client
    assert isinstance(client, KeptAliveWebClient)  # the app's kind: kept-alive connections
    assert (client.token, client.default_params, client.base_url) == (
        bot.services.client.token, {"team_id": first.context.team_id}, bot.services.client.base_url)
    assert elsewhere.context.client.default_params == {"team_id": "T0ENTERPR"}


def test_the_context_has_what_bolt_puts_in_it(bot: TestBot) -> None:
    """Pins Bolt's own _init_context: a Bolt release that sets more (or other) keys fails here."""
    ours, bolts = request(), request()
    bot.app._init_context(ours)
    App._init_context(bot.app, bolts)
    assert set(ours.context) == set(bolts.context)
    for key in bolts.context:
        if key != "client":
            assert ours.context[key] == bolts.context[key], key
    mine, theirs = ours.context.client, bolts.context.client
    for attribute in ("token", "base_url", "timeout", "ssl", "proxy", "headers", "default_params"):
        assert getattr(mine, attribute) == getattr(theirs, attribute), attribute
    assert [type(h) for h in mine.retry_handlers] == [type(h) for h in theirs.retry_handlers]


def test_distribution_mode_keeps_a_client_per_request(emulator: SlackEmulator, db: Database, database_url: str,
                                                      clock: FakeClock) -> None:
    """Bolt's authorization sets each request's client's token to its workspace's: never shared."""
    cities(emulator)
    bot = TestBot(distribution_settings(emulator, database_url), db, emulator, clock)
    try:
        first, second = request(BOSTON), request(DENVER)
        bot.app._init_context(first)
        bot.app._init_context(second)
        assert first.context.client is not second.context.client
    finally:
        bot.close()


SAMPLES = [
    payloads.slash_command("/practice", "search wireless", user=MEMBER),
    payloads.slash_command("/profile", "", user=MEMBER),
    payloads.block_action(SCHEDULE_CONFIRM, "1", user=MEMBER),
    payloads.block_action("roundtable_rsvp_maybe", "1", user=MEMBER),  # matched by a pattern
    payloads.view_submission("practice_share", {}, user=MEMBER),
    payloads.message_shortcut("save_digest", {"ts": "1.2"}, user=MEMBER),
    payloads.event_callback(payloads.message_event("How do we start?", user=MEMBER)),
    payloads.event_callback({"type": "app_home_opened", "user": MEMBER, "tab": "home"}),
]


def test_listeners_are_matched_by_their_body_alone_as_bolt_would(bot: TestBot) -> None:
    """Bolt's built-in matchers (command name, action id, callback id, event type) are functions of
    the body; called directly, not through Bolt's argument building, they match exactly as before."""
    from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher

    from bot.app import BodyMatcher

    matchers = [m for listener in bot.app._listeners for m in listener.matchers]
    assert matchers and not [m for m in matchers if isinstance(m, BuiltinListenerMatcher)]
    for payload in SAMPLES:
        signed = payloads.encode(payload, SIGNING_SECRET)
        req = BoltRequest(body=signed.body, headers=dict(signed.headers))
        bot.app._init_context(req)
        ours = [m.matches(req, None) for m in matchers]
        bolts = [BuiltinListenerMatcher(func=m.func).matches(req, None) for m in matchers if isinstance(m, BodyMatcher)]
        assert ours == bolts and any(ours), payload
