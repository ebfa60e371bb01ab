"""The ASGI edge in-process: size, slowness and signatures are settled before Bolt sees a byte."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest

from bot import payloads, web
from bot.shedding import ADMISSION_WAIT, BUSY
from bot.signing import RequestSigning
from tests.bot.test_shedding import Ticks
from tests.harness import MEMBER, SIGNING_SECRET, TestBot, wait_until


def call(edge: web.SlackEdge, method: str, path: str, headers: Iterable[tuple[str, str]] = (),
         chunks: Iterable[bytes] = (b"",), stall: bool = False) -> tuple[int, bytes, int]:
    """Drive the ASGI app once; return (status, body, how many body chunks it asked for)."""
    return asyncio.run(drive(edge, method, path, headers, chunks, stall))


async def drive(edge: web.SlackEdge, method: str, path: str, headers: Iterable[tuple[str, str]] = (),
                chunks: Iterable[bytes] = (b"",), stall: bool = False) -> tuple[int, bytes, int]:
    """call() on the running event loop."""
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
    await edge(scope, receive, send)
    if not sent:
        return 0, b"", asked
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), asked


@pytest.fixture
def edge(bot: TestBot) -> web.SlackEdge:
    with ThreadPoolExecutor(2) as pool:
        yield web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool)


def signed_command(bot: TestBot, secret: str = SIGNING_SECRET,
                   text: str = "preview") -> tuple[list[tuple[str, str]], bytes]:
    request = payloads.encode(payloads.slash_command("/roundup", text, user=MEMBER,
                                                     response_url=bot.emulator.response_url("edge")), secret)
    return [(k, str(v)) for k, v in request.headers.items()], request.body.encode()


def test_a_signed_command_reaches_bolt(edge: web.SlackEdge, bot: TestBot) -> None:
    headers, body = signed_command(bot)
    status, _, _ = call(edge, "POST", "/slack/events", headers, [body[:10], body[10:]])
    bot.wait_idle()
    assert status == 200
    assert bot.replies()


@pytest.mark.parametrize("text", ["search payload", "payload=1"])
def test_a_command_whose_words_hold_payload_is_still_a_command(edge: web.SlackEdge, bot: TestBot, text: str) -> None:
    """Bolt's parse_body reads any form holding the word "payload" as an interaction (and then finds
    nothing in it): `/roundup payload` would be an unhandled request. The edge reads it by its fields."""
    headers, body = signed_command(bot, text=text)
    status, _, _ = call(edge, "POST", "/slack/events", headers, [body])
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


# admission at the edge ------------------------------------------------------------------------

@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def shedding(bot: TestBot, ticks: Ticks) -> Iterator[web.SlackEdge]:
    """The edge as `serve` builds it (shed_commands), on one dispatch thread, timed by `ticks`."""
    with ThreadPoolExecutor(1) as pool:
        yield web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool, shed_commands=True, clock=ticks)


@contextmanager
def saturated(edge: web.SlackEdge) -> Iterator[None]:
    """The edge's dispatch thread held, and one more piece of work queued for it, until the block ends."""
    assert edge.timed is not None
    release, running = threading.Event(), threading.Event()

    def hold() -> None:
        running.set()
        release.wait(timeout=30)

    edge.pool.submit(hold)
    assert running.wait(timeout=10)
    edge.pool.submit(release.wait, 30)
    try:
        wait_until(lambda: edge.timed.queued() == 1, timeout=5, interval=0.01)  # type: ignore[union-attr]
        yield
    finally:
        release.set()


def bolt_dispatches(bot: TestBot, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every request that reaches Bolt's dispatch, from now on."""
    seen: list[Any] = []
    dispatch = bot.app.dispatch
    monkeypatch.setattr(bot.app, "dispatch", lambda request: seen.append(request) or dispatch(request))
    return seen


def test_a_command_that_would_wait_too_long_for_a_dispatch_thread_is_answered_busy_at_once(
    bot: TestBot, shedding: web.SlackEdge, ticks: Ticks, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen = bolt_dispatches(bot, monkeypatch)
    headers, body = signed_command(bot)
    with saturated(shedding):
        ticks.advance(ADMISSION_WAIT + 0.01)  # what is queued has waited past the bound
        with caplog.at_level(logging.DEBUG):
            status, answer, _ = call(shedding, "POST", "/slack/events", headers, [body])
        assert shedding.timed.queued() == 1  # type: ignore[union-attr] # it never joined the queue
    assert (status, json.loads(answer)) == (200, {"response_type": "ephemeral", "text": BUSY})
    bot.wait_idle()
    assert seen == [] and bot.replies() == []
    assert [r.getMessage() for r in caplog.records if r.name != "asyncio"] == [
        f"shed command=/roundup team={payloads.DEFAULT_TEAM} user={MEMBER} at the edge: the event loop 0 ms late, "
        "the dispatch queue's oldest waiting 510 ms"]


@pytest.mark.parametrize("text", ["search payload", "payload=1", "{payload}"])
def test_a_command_is_told_by_its_fields_not_by_the_words_typed_in_it(
    bot: TestBot, shedding: web.SlackEdge, ticks: Ticks, monkeypatch: pytest.MonkeyPatch, text: str,
) -> None:
    """Bolt reads a form with a `payload` field as an interaction; words typed after the command,
    whatever they are, are the `text` field's (form-encoded): the command is still a command."""
    seen = bolt_dispatches(bot, monkeypatch)
    headers, body = signed_command(bot, text=text)
    with saturated(shedding):
        ticks.advance(ADMISSION_WAIT + 0.01)
        status, answer, _ = call(shedding, "POST", "/slack/events", headers, [body])
    assert (status, json.loads(answer)["text"]) == (200, BUSY)
    assert seen == []


def test_a_command_while_the_event_loop_lags_is_answered_busy_at_once(
    bot: TestBot, shedding: web.SlackEdge, ticks: Ticks, monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = bolt_dispatches(bot, monkeypatch)
    headers, body = signed_command(bot)

    async def lagging() -> tuple[int, bytes, int]:
        shedding.lag.watch(asyncio.get_running_loop())  # type: ignore[union-attr]
        ticks.advance(web.LAG_INTERVAL + ADMISSION_WAIT / 2 + 0.01)  # overdue: twice that is past the bound
        return await drive(shedding, "POST", "/slack/events", headers, [body])

    status, answer, _ = asyncio.run(lagging())
    assert (status, json.loads(answer)["text"]) == (200, BUSY)
    assert seen == []


@pytest.mark.parametrize("payload", [
    payloads.event_callback(payloads.app_home_opened(MEMBER)),
    payloads.block_action("question_mark_answered", "1", user=MEMBER),
], ids=["event", "interaction"])
def test_an_event_or_an_interaction_in_the_same_state_is_queued_not_refused(
    bot: TestBot, shedding: web.SlackEdge, ticks: Ticks, monkeypatch: pytest.MonkeyPatch, payload: dict[str, Any],
) -> None:
    seen = bolt_dispatches(bot, monkeypatch)
    request = payloads.encode(payload, SIGNING_SECRET)
    headers = [(k, str(v)) for k, v in request.headers.items()]
    answered: list[tuple[int, bytes, int]] = []
    with saturated(shedding):
        ticks.advance(ADMISSION_WAIT + 0.01)
        asking = threading.Thread(target=lambda: answered.append(
            call(shedding, "POST", "/slack/events", headers, [request.body.encode()])))
        asking.start()
        wait_until(lambda: shedding.timed.queued() == 2, timeout=5, interval=0.01)  # type: ignore[union-attr]
        assert answered == []  # it waits for the dispatch thread
    asking.join(timeout=10)
    status, answer, _ = answered[0]
    assert status == 200 and BUSY.encode() not in answer
    assert len(seen) == 1
    bot.wait_idle()


def test_an_unsigned_command_in_the_same_state_gets_401_not_busy(
    bot: TestBot, shedding: web.SlackEdge, ticks: Ticks, monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = bolt_dispatches(bot, monkeypatch)
    headers, body = signed_command(bot, secret="guessed")
    with saturated(shedding):
        ticks.advance(ADMISSION_WAIT + 0.01)
        status, answer, _ = call(shedding, "POST", "/slack/events", headers, [body])
    assert (status, answer) == (401, b'{"error": "invalid request"}')
    assert seen == []


def test_below_the_bound_a_command_waits_for_its_dispatch_thread(
    bot: TestBot, shedding: web.SlackEdge, ticks: Ticks, monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = bolt_dispatches(bot, monkeypatch)
    headers, body = signed_command(bot)
    answered: list[tuple[int, bytes, int]] = []
    with saturated(shedding):
        ticks.advance(ADMISSION_WAIT - 0.01)
        asking = threading.Thread(target=lambda: answered.append(
            call(shedding, "POST", "/slack/events", headers, [body])))
        asking.start()
        wait_until(lambda: shedding.timed.queued() == 2, timeout=5, interval=0.01)  # type: ignore[union-attr]
    asking.join(timeout=10)
    assert answered[0][:2] == (200, b"")  # acked by Bolt
    bot.wait_idle()
    assert len(seen) == 1 and bot.replies()


def test_an_edge_without_shedding_never_answers_busy(bot: TestBot, ticks: Ticks,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/lean_app.py's edge: no admission of its own."""
    seen = bolt_dispatches(bot, monkeypatch)
    with ThreadPoolExecutor(1) as pool:
        edge = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool, clock=ticks)
        assert edge.timed is None and edge.lag is None
        headers, body = signed_command(bot)
        assert call(edge, "POST", "/slack/events", headers, [body])[:2] == (200, b"")
    bot.wait_idle()
    assert len(seen) == 1


def test_the_timed_pool_reports_how_long_the_oldest_waiting_work_has_waited() -> None:
    ticks = Ticks()
    with ThreadPoolExecutor(1) as inner:
        pool = web.TimedPool(inner, ticks)
        release, running = threading.Event(), threading.Event()
        pool.submit(lambda: (running.set(), release.wait(30)))
        assert running.wait(timeout=10)
        assert (pool.queued(), pool.oldest_wait()) == (0, 0.0)  # what runs no longer waits
        pool.submit(release.wait, 30)
        ticks.advance(1.0)
        late = pool.submit(release.wait, 30)
        ticks.advance(0.5)
        assert (pool.queued(), pool.oldest_wait()) == (2, 1.5)
        assert late.cancel()  # work cancelled before it started no longer waits
        assert pool.queued() == 1
        release.set()
        wait_until(lambda: pool.queued() == 0, timeout=5, interval=0.01)
        assert pool.oldest_wait() == 0.0


def test_the_loop_lag_is_how_overdue_its_heartbeat_is_then_how_late_it_woke_fading() -> None:
    ticks = Ticks()
    lag = web.LoopLag(interval=0.001, clock=ticks)

    async def beat() -> None:
        """Until the heartbeat has woken once more (real time: it sleeps `interval`)."""
        beats = lag.beats
        async with asyncio.timeout(5):
            while lag.beats == beats:
                await asyncio.sleep(0.001)

    async def scenario() -> None:
        lag.watch(asyncio.get_running_loop())
        assert lag.seconds() == 0.0
        ticks.advance(0.001 + 0.3)
        assert lag.seconds() == pytest.approx(0.3)  # overdue
        await beat()
        assert lag.seconds() == pytest.approx(0.3)  # woke 0.3 s late
        ticks.advance(0.1)
        assert lag.seconds() == pytest.approx(0.2)  # fading as time passes
        await beat()
        assert lag.seconds() == pytest.approx(0.099)  # the beat due 0.001 s after the last woke 0.1 s late

    asyncio.run(scenario())
