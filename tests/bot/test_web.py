"""The ASGI edge in-process: size, slowness and signatures are settled before Bolt sees a byte."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot import payloads, web
from bot.signing import RequestSigning
from tests.harness import MEMBER, SIGNING_SECRET, TestBot


def call(edge: web.SlackEdge, method: str, path: str, headers: Iterable[tuple[str, str]] = (),
         chunks: Iterable[bytes] = (b"",), stall: bool = False) -> tuple[int, bytes, int]:
    """Drive the ASGI app once; return (status, body, how many body chunks it asked for)."""
    pending = list(chunks)
    asked = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal asked
        asked += 1
        if not pending:
            if stall:
                await asyncio.sleep(3600)
            return {"type": "http.disconnect"}
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending) or stall}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    asyncio.run(edge(scope, receive, send))
    if not sent:
        return 0, b"", asked
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), asked


@pytest.fixture
def edge(bot: TestBot) -> web.SlackEdge:
    with ThreadPoolExecutor(2) as pool:
        yield web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool)


def signed_command(bot: TestBot, secret: str = SIGNING_SECRET) -> tuple[list[tuple[str, str]], bytes]:
    request = payloads.encode(payloads.slash_command("/roundup", "preview", user=MEMBER,
                                                     response_url=bot.emulator.response_url("edge")), secret)
    return [(k, str(v)) for k, v in request.headers.items()], request.body.encode()


def test_a_signed_command_reaches_bolt(edge: web.SlackEdge, bot: TestBot) -> None:
    headers, body = signed_command(bot)
    status, _, _ = call(edge, "POST", "/slack/events", headers, [body[:10], body[10:]])
    bot.wait_idle()
    assert status == 200
    assert bot.replies()


def test_declared_oversize_body_gets_413_before_any_of_it_is_read(edge: web.SlackEdge, bot: TestBot) -> None:
    headers, _ = signed_command(bot)
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    status, _, asked = call(edge, "POST", "/slack/events",
                            [*headers, ("Content-Length", str(web.MAX_BODY_BYTES + 1))], [b"x" * 1000] * 5)
    assert (status, asked) == (413, 0)


def test_streamed_body_is_cut_off_at_the_limit(edge: web.SlackEdge, bot: TestBot) -> None:
    piece = b"x" * (64 << 10)
    status, _, asked = call(edge, "POST", "/slack/events", [], [piece] * 100)
    assert status == 413
    assert asked == web.MAX_BODY_BYTES // len(piece) + 1  # it stopped reading right past the cap


@pytest.mark.parametrize("length", ["12, 12", "-1", "1e3", "", "１２"])
def test_malformed_content_length_gets_400(edge: web.SlackEdge, length: str) -> None:
    assert call(edge, "POST", "/slack/events", [("Content-Length", length)])[0] == 400


def test_a_body_that_trickles_gets_408(edge: web.SlackEdge, bot: TestBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "BODY_TIMEOUT_SECONDS", 0.05)
    assert call(edge, "POST", "/slack/events", [], [b"token="], stall=True)[0] == 408
    assert [c.method for c in bot.emulator.calls if c.method != "auth.test"] == []


def test_unsigned_request_is_refused_and_logged_by_its_reason_only(
    edge: web.SlackEdge, bot: TestBot, caplog: pytest.LogCaptureFixture
) -> None:
    headers, body = signed_command(bot, secret="guessed")
    with caplog.at_level(logging.DEBUG):
        status, answer, _ = call(edge, "POST", "/slack/events", headers, [body])
    assert status == 401
    assert [r.getMessage() for r in caplog.records if r.name != "asyncio"] == ["refused request: signature mismatch"]
    assert bot.emulator.calls_to("response_url") == []


def test_health_and_other_paths(edge: web.SlackEdge) -> None:
    assert call(edge, "GET", "/healthz")[:2] == (200, b"ok\n")
    assert call(edge, "GET", "/slack/events")[0] == 405
    assert call(edge, "POST", "/elsewhere")[0] == 404


@pytest.mark.parametrize("body, content_type", [("{not json", "application/json"),
                                                ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
                                                ("[1, 2]", "application/json")])
def test_a_signed_body_bolt_cannot_parse_gets_400_not_500(edge: web.SlackEdge, bot: TestBot, body: str,
                                                          content_type: str) -> None:
    request = payloads.signed(body, content_type, SIGNING_SECRET)
    headers = [(k, str(v)) for k, v in request.headers.items()]
    assert call(edge, "POST", "/slack/events", headers, [body.encode()])[0] == 400
    assert [c.method for c in bot.emulator.calls if c.method != "auth.test"] == []


class Counting(RequestSigning):
    def __init__(self) -> None:
        super().__init__(SIGNING_SECRET)
        self.checked = 0

    def refusal(self, headers, body):  # type: ignore[no-untyped-def]
        self.checked += 1
        return super().refusal(headers, body)


def bolt_signing(bot: TestBot) -> Counting:
    """The app's own check (handlers/slack/signing.VerifiedRequests), counted."""
    from handlers.slack.signing import VerifiedRequests

    verifier = next(m for m in bot.app._middleware_list if isinstance(m, VerifiedRequests))
    verifier.signing = Counting()
    return verifier.signing


def test_a_request_the_edge_verified_is_not_verified_again(bot: TestBot) -> None:
    edge_signing, in_bolt = Counting(), bolt_signing(bot)
    with ThreadPoolExecutor(2) as pool:
        edge = web.SlackEdge(bot.app, bot.db, edge_signing, pool)
        headers, body = signed_command(bot)
        assert call(edge, "POST", "/slack/events", headers, [body])[0] == 200
    bot.wait_idle()
    assert (edge_signing.checked, in_bolt.checked) == (1, 0)
    assert bot.replies()


def test_what_did_not_come_through_the_edge_is_still_verified_by_bolt(bot: TestBot) -> None:
    """The console, the tests, anything dispatching to the app itself: Bolt checks the signature;
    no value a caller can put in a request (a header, a body field, a context key) passes for the
    edge's mark but the edge's own object."""
    from slack_bolt import BoltRequest

    in_bolt = bolt_signing(bot)
    headers, body = signed_command(bot, secret="guessed")
    forged = {web.EDGE_CONTEXT_KEY: True, "roundtable_verified": True}
    text = body.decode() + f"&{web.EDGE_CONTEXT_KEY}=1"
    response = bot.app.dispatch(BoltRequest(body=text, headers=dict(headers), context=forged))
    assert response.status == 401 and in_bolt.checked == 1
    bot.wait_idle()
    assert bot.emulator.calls_to("response_url") == []
    assert bot.command("/roundup", "preview").status == 200 and in_bolt.checked == 2
