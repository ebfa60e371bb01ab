"""Steps the distribution-mode tests share: several workspaces, installing one through Bolt's OAuth
flow, reading what the installation store holds."""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import create_engine, text

from bot import payloads
from bot.config import Settings
from bot.emulator import SlackEmulator
from tests.harness import TestBot, test_settings

CLIENT_ID = "1234567890.0987654321"
CLIENT_SECRET = "test-client-secret-5f3a9c"
SECRET_KEY = "vZzKfR9Q9glEJ0C9m4qjLu1a8arIn0wgWrrw92uteVY="
OLD_KEY = "HEGUDKp3-XAbN0bxs64dro0a_aoVeqZtAHCLplfkR6s="
BOSTON, BOSTON_CHANNEL, BOSTON_CIO = "T0BOSTON", "C0BOSTON", "U0BOSCIO"
DENVER, DENVER_CHANNEL, DENVER_CIO = "T0DENVER", "C0DENVER", "U0DENCIO"
SHARED = "C0SHARED"  # Boston's channel, shared with Denver (Slack Connect): the `connected` fixture
DENVER_MAYOR, BOSTON_CLERK, STRANGER = "U0DENMAY", "U0BOSCLK", "U0DENNEW"


def distribution_settings(emulator: SlackEmulator, database_url: str, **overrides: Any) -> Settings:
    """Boston and Denver are in the exchange on install (EXCHANGE_TEAM_IDS) unless a test says otherwise."""
    values: dict[str, Any] = {
        "bot_token": "", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "secret_keys": (SECRET_KEY,),
        "authorize_url": emulator.base_url + "oauth/v2/authorize", "exchange_team_ids": frozenset({BOSTON, DENVER}),
    }
    values.update(overrides)
    return test_settings(emulator, database_url, **values)


def cities(emulator: SlackEmulator, *, redirect_uri: str = "http://127.0.0.1:1/slack/oauth_redirect",
           token_lifetime: int | None = None) -> None:
    """Two more workspaces beside the host, each with a channel and a CIO, and the app's OAuth side."""
    emulator.oauth_app(CLIENT_ID, CLIENT_SECRET, redirect_uri=redirect_uri, token_lifetime=token_lifetime)
    for team, name, channel, cio in ((BOSTON, "Boston", BOSTON_CHANNEL, BOSTON_CIO),
                                     (DENVER, "Denver", DENVER_CHANNEL, DENVER_CIO)):
        emulator.add_workspace(team, name)
        emulator.add_channel(channel, team)
        emulator.add_user(cio, team=team, real_name=f"{name} CIO", tz="America/New_York")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One GET, redirects not followed: (status, headers with lower-case names, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        connection.close()


def approve(emulator: SlackEmulator, authorize_url: str, team: str) -> str:
    """The installer approves in Slack: the query string Slack sends the browser back with."""
    assert emulator.oauth is not None
    emulator.oauth.installing_team = team
    status, headers, body = get(authorize_url)
    assert status == 302, body
    return urlsplit(headers["location"]).query


def install(app: Any, emulator: SlackEmulator, team: str) -> BoltResponse:
    """The whole flow in-process: /slack/install, Slack's approval, the redirect with the cookie."""
    flow = app.oauth_flow
    started = flow.handle_installation(BoltRequest(body="", query="", headers={}))
    assert started.status == 302
    cookie = started.headers["set-cookie"][0].split(";")[0]
    query = approve(emulator, started.headers["location"][0], team)
    return flow.handle_callback(BoltRequest(body="", query=query, headers={"cookie": cookie}))


def decrypted(raw: str) -> str:
    """A token as stored, decrypted with the test key: it fails unless the column holds ciphertext.
    (Never test ciphertext for a substring such as "xox": base64 holds any three letters now and then.)"""
    return Fernet(SECRET_KEY.encode()).decrypt(raw.encode()).decode()


def stored_tokens(database_url: str, table: str = "slack_bots") -> list[dict[str, Any]]:
    """The rows as they are on disk, tokens still encrypted."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT team_id, bot_token, bot_refresh_token FROM {table} ORDER BY id"))
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def deliver(bot: TestBot, event: dict[str, Any], *through: str) -> None:
    """Slack sends a shared channel's event to each installation in `through` (its own envelope and event id)."""
    for team in through:
        envelope = payloads.event_callback(event, team=team)
        envelope.update(is_ext_shared_channel=True, context_team_id=BOSTON)
        bot.send(envelope)


def said(bot: TestBot, user: str, text: str, *through: str, thread_ts: str | None = None,
         **extra: Any) -> dict[str, Any]:
    """`user` posts in the shared channel; the event reaches the installations in `through`."""
    team = DENVER if user in (DENVER_MAYOR, STRANGER) else BOSTON
    message = payloads.message_event(text, user=user, channel=SHARED, thread_ts=thread_ts, user_team=team, **extra)
    bot.emulator.add_message(SHARED, message)
    deliver(bot, message, *through)
    return message
