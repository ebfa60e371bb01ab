"""Web API calls and response_url posts reuse one kept-alive connection; failures read as before."""

from __future__ import annotations

import http.client
import logging
import threading
import time
from collections.abc import Iterator
from functools import partial
from io import BytesIO
from typing import Any
from urllib.request import Request

import pytest
import slack_sdk.http_retry.builtin_handlers
import slack_sdk.http_retry.handler
import slack_sdk.http_retry.jitter
import slack_sdk.webhook
from hypothesis import example, given
from hypothesis import strategies as st
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.web import base_client

from bot import messages as m
from bot.emulator import SlackEmulator
from bot.keepalive import (
    KEPT,
    Connections,
    KeptAliveRespond,
    KeptAliveWebClient,
    KeptAliveWebhookClient,
    content_type,
)
from bot.render import slack as slack_render
from bot.slack import CONNECTION_ERRORS, make_client, with_token
from tests.harness import TestBot, run_together
from tests.harness import test_settings as settings_for


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    KEPT.close()  # connections kept by earlier tests belong to their emulators
    with SlackEmulator() as emulator:
        yield emulator
    KEPT.close()


def test_web_api_calls_share_one_connection(slack: SlackEmulator) -> None:
    client = make_client(settings_for(slack, "sqlite://"))
    assert isinstance(client, KeptAliveWebClient)
    for _ in range(5):
        assert client.auth_test()["ok"]
    assert isinstance(with_token(client, "xoxb-other"), KeptAliveWebClient)
    assert slack.connections == 1


def test_response_url_posts_share_one_connection(slack: SlackEmulator) -> None:
    for n in range(5):
        response = KeptAliveRespond(response_url=slack.response_url(f"r{n}"))(text=f"reply {n}",
                                                                              response_type="ephemeral")
        assert response.status_code == 200
    assert [c.args["text"] for c in slack.calls_to("response_url")] == [f"reply {n}" for n in range(5)]
    assert slack.connections == 1


def test_a_kept_alive_call_is_answered_without_waiting_for_a_delayed_ack(slack: SlackEmulator) -> None:
    """The emulator writes its headers and body in two sends: with Nagle's algorithm on, the body
    waited for the client's delayed ACK (40 ms) on every kept-alive call, which held each listener
    thread 40 ms per Slack call under bench/http_load.py."""
    client = make_client(settings_for(slack, "sqlite://"))
    assert client.auth_test()["ok"]
    started = time.monotonic()
    for _ in range(20):
        assert client.auth_test()["ok"]
    assert time.monotonic() - started < 0.6  # 20 delayed ACKs are 0.8 s at least
    assert slack.connections == 1


def test_a_burst_of_new_connections_is_answered_at_once(slack: SlackEmulator) -> None:
    """64 connections opened at once (listener threads posting together): with socketserver's
    listen backlog of 5 the dropped connects waited out TCP's retransmits (1 s, 3 s, timeouts)."""
    port = int(slack.api_url.split(":")[2].split("/")[0])
    together, took, failed = threading.Barrier(64), [], []

    def call(_n: int) -> None:
        together.wait()
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/api/auth.test", body=b"", headers={"Authorization": "Bearer xoxb-test-token"})
            conn.getresponse().read()
            conn.close()
        except OSError as error:
            failed.append(error)
        took.append(time.monotonic() - started)

    run_together(call, list(range(64)))
    assert failed == [] and max(took) < 0.9  # a dropped connect is retried after 1 s


def test_a_connection_the_server_dropped_is_not_reused(slack: SlackEmulator) -> None:
    client = make_client(settings_for(slack, "sqlite://"), retry_connection_errors=False)  # the outbox's
    assert client.auth_test()["ok"]
    slack.fail("auth.test", drop=True)  # the server closes the connection without answering
    with pytest.raises(CONNECTION_ERRORS):  # as from urllib: the outcome is unknown, never re-sent here
        client.auth_test()
    assert client.auth_test()["ok"]  # a new connection
    assert slack.connections == 2
    assert len(slack.calls_to("auth.test")) == 3  # nothing was sent twice


def test_http_errors_reach_slack_sdk_as_from_urllib(slack: SlackEmulator) -> None:
    client = KeptAliveWebClient(base_url=slack.api_url, token="xoxb-test",
                                retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])
    slack.fail("auth.test", status=500)
    assert client.auth_test()["ok"]  # retried by slack-sdk's handler, on the same connection
    slack.fail("auth.test", status=500)
    slack.fail("auth.test", status=500)
    with pytest.raises(SlackApiError) as refused:
        client.auth_test()
    assert refused.value.response.status_code == 500
    assert slack.connections == 1


def test_commands_reply_through_kept_alive_connections(bot: TestBot) -> None:
    KEPT.close()
    before = bot.emulator.connections
    for n in range(3):
        bot.command("/practice", f"search wireless {n}")
    assert len(bot.emulator.calls_to("response_url")) == 3
    assert bot.emulator.connections - before == 1


class CountedConnections(Connections):
    """The pool, keeping a note of every connection it opened."""

    def __init__(self, **bounds: int) -> None:
        super().__init__(**bounds)
        self.opened: list[http.client.HTTPConnection] = []

    def _connect(self, *args: Any) -> http.client.HTTPConnection:
        conn = super()._connect(*args)
        self.opened.append(conn)
        return conn

    def still_open(self) -> int:
        return sum(conn.sock is not None for conn in self.opened)


def test_idle_connections_are_bounded_across_hosts() -> None:
    """Hosts come and go (a test's emulator, a workspace's URL): what is kept idle stays bounded in all,
    and past the bound the longest idle is closed, not leaked."""
    pool = CountedConnections(idle_in_all=6)
    for _ in range(10):  # ten servers, each asked once (its connection kept), then gone
        with SlackEmulator() as emulator:
            request = Request(f"{emulator.api_url}auth.test", data=b"", method="POST")
            assert pool.open(request, timeout=10).status == 200
    assert (len(pool.opened), pool.still_open()) == (10, 6)
    assert all(conn.sock is None for conn in pool.opened[:4])  # the longest idle went first
    pool.close()
    assert pool.still_open() == 0


class Sleeps:
    """slack-sdk's retry handlers' clock: the back-off noted, not waited."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    clock = Sleeps()
    monkeypatch.setattr(slack_sdk.http_retry.handler, "time", clock)
    return clock


MESSAGE = slack_render.message(m.Message((m.Text("café <&> *ok*"),), (m.Paragraph((m.Text("a <b> & c"),)), m.Divider())))


def outcome(respond: Respond, slack: SlackEmulator, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """What a respond() call came to: its answer (or what it raised) and what the emulator recorded."""
    before = len(slack.calls_to("response_url"))
    try:
        answer = respond(*args, **kwargs)
        result: tuple[Any, ...] = (answer.status_code, answer.body, answer.headers.get("retry-after"),
                                   answer.headers.get("Retry-After"))
    except Exception as error:  # noqa: BLE001 - the kind is what is compared
        result = (type(error).__name__,)
    return result, [(c.args, c.status) for c in slack.calls_to("response_url")[before:]]


@pytest.mark.parametrize("case", ["text", "message", "whole", "refused", "rate-limited", "failed", "dropped"])
def test_a_response_url_post_comes_to_what_bolts_respond_came_to(case: str, slack: SlackEmulator,
                                                                 sleeps: Sleeps) -> None:
    """KeptAliveRespond posts the JSON itself (no WebhookClient, no urllib Request): the same body
    recorded, the same status and Retry-After answered, the same retry of a dropped connection."""
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {"text": "plain <text>", "response_type": "ephemeral"}
    if case == "message":
        kwargs = {**MESSAGE, "response_type": "ephemeral", "replace_original": False}
    if case == "whole":
        args, kwargs = ({**MESSAGE, "delete_original": True, "unfurl_links": None},), {}
    if case == "refused":
        kwargs["blocks"] = [{"type": "no-such-block"}]  # the emulator answers 400
    faults = {"rate-limited": {"status": 429, "retry_after": 7}, "failed": {"status": 500},
              "dropped": {"drop": True, "times": 2}}
    seen = []
    for respond in (Respond, KeptAliveRespond):
        if case in faults:
            slack.fail("response_url", **faults[case])
        seen.append(outcome(respond(response_url=slack.response_url(case)), slack, *args, **kwargs))
    assert seen[0] == seen[1]
    assert len(seen[1][1]) == (2 if case == "dropped" else 1)  # as Bolt: a dropped connection retried once
    assert len(sleeps.slept) == (2 if case == "dropped" else 0)


def test_a_response_url_post_builds_no_webhook_client(slack: SlackEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client, its urllib Request, its retry state and body walk were 7% of the worker's GIL time."""
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("WebhookClient built")

    monkeypatch.setattr(slack_sdk.webhook.WebhookClient, "__init__", refuse)
    assert KeptAliveRespond(response_url=slack.response_url())(text="hello").status_code == 200
    assert slack.calls_to("response_url")[0].args["text"] == "hello"


def test_a_response_url_post_through_a_proxy_keeps_slack_sdks_path(slack: SlackEmulator,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    posted = []
    monkeypatch.setattr(KeptAliveWebhookClient, "send_dict", lambda self, message: posted.append((self.proxy, message)))
    KeptAliveRespond(response_url=slack.response_url(), proxy="http://proxy.invalid:3128")(text="hi")
    assert posted == [("http://proxy.invalid:3128", {"text": "hi"})]
    assert slack.calls_to("response_url") == []


WEB_FAULTS: dict[str, list[dict[str, Any]]] = {
    "ok": [], "refused": [{"error": "channel_not_found"}], "rate-limited": [{"status": 429, "retry_after": 7}],
    "rate-limited past retries": [{"status": 429, "retry_after": 2, "times": 4}],
    "failed once": [{"status": 500}], "failed past retries": [{"status": 503, "times": 3}],
    "dropped": [{"drop": True}], "dropped past retries": [{"drop": True, "times": 3}],
}


def without_ts(data: Any) -> Any:
    """An answer without its message timestamps (each post has its own)."""
    if isinstance(data, dict):
        return {k: without_ts(v) for k, v in data.items() if k != "ts"}
    return data


def web_outcome(call: Any, slack: SlackEmulator, caplog: pytest.LogCaptureFixture) -> tuple[Any, ...]:
    """What a Web API call came to: its SlackResponse (or what it raised, with the response it
    carried), what the emulator recorded, and slack-sdk's log lines."""
    before, lines = len(slack.calls), len(caplog.records)
    try:
        answer, raised = call(), ""
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        answer, raised = getattr(error, "response", None), type(error).__name__
    response = () if answer is None else (
        answer.status_code, without_ts(answer.data), answer.api_url, answer.http_verb, answer.req_args,
        {k: v for k, v in answer.headers.items() if k.lower() in ("retry-after", "content-type")})
    return (raised, response, [(c.method, c.args, c.status, c.team) for c in slack.calls[before:]],
            [(r.name, r.levelname, r.getMessage()) for r in caplog.records[lines:]])


@pytest.mark.parametrize("case", list(WEB_FAULTS))
@pytest.mark.parametrize("connection_retries", [True, False])
def test_a_json_web_api_call_comes_to_what_slack_sdks_path_came_to(
        case: str, connection_retries: bool, slack: SlackEmulator, sleeps: Sleeps,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """KeptAliveWebClient sends a JSON call itself (no urllib Request, no Web API URL joined per call):
    the same body, token and retries (429 Retry-After, 5xx, dropped connections) as slack-sdk's own
    api_call on the same connections, the same SlackResponse or error, the same log lines."""
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(slack_sdk.http_retry.jitter.random, "random", lambda: 0.25)  # the back-offs compared
    monkeypatch.setattr(slack_sdk.http_retry.builtin_handlers, "time", sleeps)  # Retry-After noted, not waited
    client = make_client(settings_for(slack, "sqlite://"), retry_connection_errors=connection_retries)
    seen, slept = [], []
    for api_call in (WebClient.api_call, KeptAliveWebClient.api_call):
        for fault in WEB_FAULTS[case]:
            slack.fail("chat.postMessage", **fault)
        body = {**MESSAGE, "channel": "C0GENERAL", "metadata": {"event_type": "e", "event_payload": {"k": 1}}}
        seen.append(web_outcome(partial(api_call, client, "chat.postMessage", json=body), slack, caplog))
        slept.append(list(sleeps.slept))
        sleeps.slept.clear()
    assert seen[0] == seen[1]
    assert slept[0] == slept[1]
    raised, response, calls, _ = seen[1]
    assert {c[3] for c in calls} == {"T0ROUNDTBL"}  # the bot's token, read from the Authorization header
    answered = case in ("ok", "rate-limited", "failed once") or (case == "dropped" and connection_retries)
    assert (raised == "") == answered
    assert len(calls) == 1 + len(slept[1])  # each retry after its back-off


def test_a_json_web_api_call_builds_no_urllib_request_and_logs_no_token(
        slack: SlackEmulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("urllib Request built")

    client = make_client(settings_for(slack, "sqlite://"))
    with monkeypatch.context() as patched:
        patched.setattr(base_client, "Request", refuse)
        assert client.chat_postMessage(channel="C0GENERAL", text="hello")["ok"]
        assert client.views_publish(user_id="U0MAYOR", view={"type": "home", "blocks": []})["ok"]
    caplog.set_level(logging.DEBUG, logger="slack_sdk")  # slack-sdk's own path, its debug lines as ever
    assert client.chat_postMessage(channel="C0GENERAL", text="hello again")["ok"]
    assert any("Sending a request" in r.getMessage() for r in caplog.records)
    assert not any(client.token in r.getMessage() for r in caplog.records)
    assert [c.args["text"] for c in slack.calls_to("chat.postMessage")] == ["hello", "hello again"]


CONTENT_TYPES = ["application/json; charset=utf-8", "application/json;charset=UTF-8", "text/html", "",
                 "application/gzip", "a/b; x=1; CharSet = latin-1 ; charset=utf-8", "nonsense; charset",
                 'text/plain; charset="utf-8"', "text/plain; charset*=utf-8''x", "a/b/c; charset=x", "é/x"]


@given(st.one_of(st.sampled_from(CONTENT_TYPES),
                 st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40),
                 st.text(st.sampled_from(list('ab/;= "\\*tcharsetCHARSET-8\t(<')), max_size=40)))
@example("text/plain; charset=utf-8")
def test_the_content_type_is_read_as_the_email_package_reads_it(value: str) -> None:
    raw = b"Content-Type: " + value.encode("utf-8", "surrogateescape") + b"\r\n\r\n"
    headers = http.client.parse_headers(BytesIO(raw))
    assert content_type(headers) == (headers.get_content_type(), headers.get_content_charset())
    absent = http.client.parse_headers(BytesIO(b"\r\n"))
    assert content_type(absent) == ("text/plain", None)
