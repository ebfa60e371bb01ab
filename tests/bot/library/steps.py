"""The web library in-process: its ASGI app called directly, and a small exchange to read."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bot.library import Library
from storage.conversations import record
from storage.practices import Practice
from tests.harness import TestBot, test_settings
from tests.practice_steps import CHANNEL, FULL, TEAM, WHEN, members, newest_id, submit_share

CLIENT_ID, CLIENT_SECRET = "1234.5678", "openid-client-secret"
SECRET_KEY = "Y1Gm0Xx8PqyKJ0bgq3oD3rR7v0m1f2bL6QZ0aJt9s3w="  # a Fernet key: ROUNDTABLE_SECRET_KEY also encrypts installs
PRIVATE_CHANNEL = "G0PRIVATE"


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k == name), "")

    def cookies(self) -> list[str]:
        return [v for k, v in self.headers if k == "set-cookie"]


def library(bot: TestBot, *, public: bool, url: str = "http://127.0.0.1:9", **overrides: Any) -> Library:
    bot.emulator.openid_client = (CLIENT_ID, CLIENT_SECRET)
    values: dict[str, Any] = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "secret_keys": (SECRET_KEY,),
                              "library_public": public, "library_url": url,
                              "openid_authorize_url": bot.emulator.base_url + "openid/connect/authorize"}
    settings = test_settings(bot.emulator, bot.settings.database_url, **{**values, **overrides})
    return Library(settings, bot.db, bot.services.client, ThreadPoolExecutor(2), client_for=bot.services.client_for)


def get(app: Library, path: str, query: str = "", cookies: dict[str, str] | None = None,
        method: str = "GET") -> Answer:
    headers = [(b"host", b"127.0.0.1")]
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    scope = {"type": "http", "path": path, "method": method, "query_string": query.encode(), "headers": headers}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start, body = sent[0], sent[1]["body"]
    return Answer(start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]], body.decode())


def share(bot: TestBot, title: str, *, published: bool, channel: str = CHANNEL, **fields: str) -> int:
    """A practice shared through the form (its card in `channel`), published or not."""
    submit_share(bot, {**FULL, "title": title, **fields})
    practice_id = newest_id(bot)
    assert practice_id is not None
    with bot.db.begin() as session:
        practice = session.get(Practice, practice_id)
        assert practice is not None
        practice.published, practice.channel_id = published, channel
    return practice_id


def exchange(bot: TestBot) -> dict[str, int]:
    """Three practices: published in a public channel, published in a private one, not published."""
    members(bot)
    with bot.db.begin() as session:
        record(session, TEAM, CHANNEL, True, WHEN)
        record(session, TEAM, PRIVATE_CHANNEL, False, WHEN)
    return {
        "public": share(bot, "Wireless hotspots downtown", published=True),
        "private": share(bot, "Wireless tax portal for council members", published=True, channel=PRIVATE_CHANNEL),
        "unpublished": share(bot, "Wireless permits in one week", published=False),
    }


def no_redirect(url: str) -> str:
    """GET `url` without following its redirect; the Location it answers with."""
    class Stop(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    try:
        urllib.request.build_opener(Stop).open(url, timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 302, error.code
        return str(error.headers["Location"])
    raise AssertionError("no redirect")
