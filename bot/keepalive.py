"""Kept-alive HTTP connections for the Web API and `response_url` posts.

slack-sdk sends every call through urllib, which opens a new connection (and, on https, a new TLS
handshake) per request and closes it after. Here idle connections are kept per host and reused;
what callers see is unchanged: a status of 400 or more raises urllib's HTTPError (so slack-sdk's
retry handlers read 429 and 5xx as before) and a connection that cannot be opened or written raises
URLError. A kept connection the server closed while it was idle is noticed before it is used (it
reads as ready: end of file), so nothing is sent twice; a request is never retried here.
respond() posts its JSON straight on them (post_to_response_url), without a WebhookClient per
reply, answering as WebhookClient did.
"""

from __future__ import annotations

import email.parser
import http.client
import json
import logging
import re
import select
import ssl
import threading
import types
from collections.abc import Callable, Sequence
from email.message import Message
from io import BytesIO
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_bolt import BoltRequest
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.http_retry import default_retry_handlers
from slack_sdk.http_retry.request import HttpRequest as RetryHttpRequest
from slack_sdk.http_retry.state import RetryState
from slack_sdk.proxy_env_variable_loader import load_http_proxy_from_env
from slack_sdk.webhook import WebhookClient, WebhookResponse
from slack_sdk.webhook.internal_utils import get_user_agent

IDLE_PER_HOST = 32  # as many as listener threads: each may have one call in flight
IDLE_IN_ALL = 64  # hosts come and go (workspaces' URLs, tests' emulators): the longest idle is closed past it

Key = tuple[str, str, int]


class Reply:
    """What urlopen would have returned: status, headers, the body (already read)."""

    def __init__(self, status: int, reason: str, headers: Message, body: bytes) -> None:
        self.status = self.code = status
        self.reason = reason
        self.headers = headers
        self._body = body

    def read(self) -> bytes:
        return self._body


SIMPLE_HEADER = re.compile(r"[\041-\071\073-\176]+:[^\r\n]*\r?\n")  # a name (email's headerRE), one line


def read_headers(fp: Any, _class: type[http.client.HTTPMessage] = http.client.HTTPMessage) -> http.client.HTTPMessage:
    """http.client.parse_headers without the email parser when every line is a plain `Name: value`
    (one line each, no continuation, no stray CR), as every HTTP server sends: the same lines read
    (http.client's limits), the same (name, value) pairs as the email parser keeps (compat32: the
    value's leading blanks and its line end stripped). Any other header block goes to the email parser."""
    lines = http.client._read_headers(fp)  # noqa: SLF001 - the reading (and its limits) kept as it is
    text = [line.decode("iso-8859-1") for line in lines[:-1]]
    if not all(SIMPLE_HEADER.fullmatch(line) for line in text):
        return email.parser.Parser(_class=_class).parsestr(b"".join(lines).decode("iso-8859-1"))
    message = _class()
    for line in text:
        name, value = line.split(":", 1)
        message.set_raw(name, value.lstrip(" \t").rstrip("\r\n"))
    return message


class KeptResponse(http.client.HTTPResponse):
    """http.client's response, its headers read by read_headers (the email parser was most of what
    reading a reply cost). begin() is http.client's own code, run with read_headers where it calls
    parse_headers; tests/bot/test_kept_response.py holds it to HTTPResponse's reading."""

    begin = types.FunctionType(http.client.HTTPResponse.begin.__code__,
                               {**vars(http.client), "parse_headers": read_headers}, "begin")


class Connections:
    """Idle connections per (scheme, host, port), taken by one request at a time: at most
    `idle_per_host` for one host and `idle_in_all` in all, the most recently used kept."""

    def __init__(self, idle_per_host: int = IDLE_PER_HOST, idle_in_all: int = IDLE_IN_ALL) -> None:
        self.idle_per_host = idle_per_host
        self.idle_in_all = idle_in_all
        self._idle: list[tuple[Key, http.client.HTTPConnection]] = []  # oldest first
        self._lock = threading.Lock()

    def open(self, request: Request, timeout: float | None, context: ssl.SSLContext | None = None) -> Reply:
        """urlopen's contract (slack-sdk's Web API calls): a status of 400 or more raises HTTPError."""
        reply = self.exchange(request.get_method(), request.full_url, request.data, dict(request.header_items()),
                              timeout, context)
        if reply.status >= 400:
            raise HTTPError(request.full_url, reply.status, reply.reason, reply.headers, BytesIO(reply.read()))
        return reply

    def exchange(self, method: str, full_url: str, data: bytes | None, headers: dict[str, str],
                 timeout: float | None, context: ssl.SSLContext | None = None) -> Reply:
        """One request on a kept connection and its reply, whatever its status; URLError when it could
        not be connected or sent, the reader's error (IncompleteRead, RemoteDisconnected...) after."""
        url = urlsplit(full_url)
        key = (url.scheme, url.hostname or "", url.port or (443 if url.scheme == "https" else 80))
        conn = self._take(key) or self._connect(key, timeout, context)
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        path = url.path + (f"?{url.query}" if url.query else "")
        try:
            conn.request(method, path or "/", body=data, headers=headers)
        except OSError as error:  # as urllib: could not connect or send
            conn.close()
            raise URLError(error) from error
        try:
            response = conn.getresponse()
            body = response.read()
        except BaseException:
            conn.close()
            raise
        if response.will_close:
            conn.close()
        else:
            self._give(key, conn)
        return Reply(response.status, response.reason, response.headers, body)

    def _connect(self, key: Key, timeout: float | None, context: ssl.SSLContext | None) -> http.client.HTTPConnection:
        scheme, host, port = key
        if scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        conn.response_class = KeptResponse
        return conn

    def _take(self, key: Key) -> http.client.HTTPConnection | None:
        while True:
            with self._lock:
                at = next((n for n in range(len(self._idle) - 1, -1, -1) if self._idle[n][0] == key), None)
                conn = self._idle.pop(at)[1] if at is not None else None
            if conn is None:
                return None
            if conn.sock is not None and not _closed_by_peer(conn.sock):
                return conn
            conn.close()

    def _give(self, key: Key, conn: http.client.HTTPConnection) -> None:
        closing = []
        with self._lock:
            if sum(k == key for k, _ in self._idle) >= self.idle_per_host:
                closing.append(conn)
            else:
                self._idle.append((key, conn))
                while len(self._idle) > self.idle_in_all:
                    closing.append(self._idle.pop(0)[1])
        for idle in closing:
            idle.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, conn in idle:
            conn.close()


def _closed_by_peer(sock: object) -> bool:
    """An idle connection with something to read has been closed (or spoken to out of turn)."""
    poll = select.poll()  # not select(): any descriptor number
    poll.register(sock, select.POLLIN)
    try:
        return bool(poll.poll(0))
    except OSError:
        return True


KEPT = Connections()  # one per process: listeners and jobs share it


class KeptAliveWebClient(WebClient):
    """slack-sdk's WebClient on kept-alive connections (KEPT); a proxy goes through urllib as before."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict:  # type: ignore[override]
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)
        reply = KEPT.open(req, self.timeout, self.ssl)
        if reply.headers.get_content_type() == "application/gzip":
            return {"status": reply.status, "headers": reply.headers, "body": reply.read()}
        charset = reply.headers.get_content_charset() or "utf-8"
        return {"status": reply.status, "headers": reply.headers, "body": reply.read().decode(charset)}


class KeptAliveWebhookClient(WebhookClient):
    """slack-sdk's WebhookClient (response_url posts) on kept-alive connections."""

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_http_request_internal(url, req)
        reply = KEPT.open(req, self.timeout, self.ssl)
        charset = reply.headers.get_content_charset() or "utf-8"
        return WebhookResponse(url=url, status_code=reply.status, body=reply.read().decode(charset),
                               headers=reply.headers)  # type: ignore[arg-type]


WEBHOOK_LOG = logging.getLogger("slack_sdk.webhook.client")  # the lines WebhookClient wrote, as before
WEBHOOK_TIMEOUT = 30  # WebhookClient's
JSON_HEADERS = {"Content-Type": "application/json;charset=utf-8", "User-Agent": get_user_agent()}
PROXY_FROM_ENV = load_http_proxy_from_env()  # read once, as the app's WebClient reads it (each read: 4 KeyErrors)
MESSAGE_FIELDS = ("response_type", "replace_original", "delete_original", "unfurl_links", "unfurl_media",
                  "thread_ts", "metadata")


def respond_message(text: str | None = "", blocks: Sequence[Any] | None = None,
                    attachments: Sequence[Any] | None = None, **fields: Any) -> dict[str, Any]:
    """What Bolt's respond() posts (its `_build_message`, then WebhookClient's `_build_body`): the text,
    blocks and attachments (as dicts) when there are any, the fields given, nothing that is None."""
    message: dict[str, Any] = {"text": text}
    if blocks:
        message["blocks"] = [b if isinstance(b, dict) else b.to_dict() for b in blocks]
    if attachments:
        message["attachments"] = [a if isinstance(a, dict) else a.to_dict() for a in attachments]
    unknown = fields.keys() - MESSAGE_FIELDS
    if unknown:
        raise TypeError(f"respond() got unexpected arguments {sorted(unknown)}")
    message.update((name, fields[name]) for name in MESSAGE_FIELDS if fields.get(name) is not None)
    return {k: v for k, v in message.items() if v is not None}


def post_to_response_url(url: str, message: dict[str, Any], context: ssl.SSLContext | None = None) -> WebhookResponse:
    """WebhookClient.send_dict's contract without its machinery: the JSON posted on a kept connection;
    any status is answered (a 429's Retry-After under both spellings), never raised; a connection
    error is logged, retried by slack-sdk's default handler (once, after its back-off) and then raised."""
    data = json.dumps(message).encode("utf-8")
    state: RetryState | None = None
    while True:
        try:
            reply = KEPT.exchange("POST", url, data, JSON_HEADERS, WEBHOOK_TIMEOUT, context)
        except Exception as error:
            WEBHOOK_LOG.error(f"Failed to send a request to Slack API server: {error}")
            state = state or RetryState()
            if not _retried(state, url, data, error):
                raise
            continue
        body = reply.read().decode(charset_of(reply.headers))
        if reply.status < 400:
            return WebhookResponse(url=url, status_code=reply.status, body=body, headers=reply.headers)  # type: ignore[arg-type]
        headers = dict(reply.headers.items())
        for name, other in (("retry-after", "Retry-After"), ("Retry-After", "retry-after")):
            if reply.status == 429 and name not in headers and other in headers:
                headers[name] = headers[other]
        return WebhookResponse(url=url, status_code=reply.status, body=body, headers=headers)


def charset_of(headers: Message) -> str:
    """The reply's charset (get_content_charset() or UTF-8), without walking the type's parameters
    when it names no charset (there is then none to find)."""
    named = "charset" in (headers.get("content-type") or "").lower()
    return (headers.get_content_charset() if named else None) or "utf-8"


def _retried(state: RetryState, url: str, data: bytes, error: Exception) -> bool:
    request = RetryHttpRequest(method="POST", url=url, headers=dict(JSON_HEADERS), data=data)
    for handler in default_retry_handlers():
        if handler.can_retry(state=state, request=request, response=None, error=error):
            WEBHOOK_LOG.info(f"A retry handler found: {type(handler).__name__} for POST {url} - {error}")
            handler.prepare_for_next_attempt(state=state, request=request, response=None, error=error)
            WEBHOOK_LOG.info(f"Going to retry the same request: POST {url}")
            return True
    return False


class KeptAliveRespond(Respond):
    """Bolt's respond(): the same message to the same URL, posted by post_to_response_url (through
    KeptAliveWebhookClient when a proxy is given or was in the environment when the process started,
    or the URL is not http)."""

    def __call__(self, text: str | dict = "", blocks: Sequence[Any] | None = None,  # type: ignore[override]
                 attachments: Sequence[Any] | None = None, **fields: Any) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):
            message = respond_message(**text)
        elif isinstance(text, str):
            message = respond_message(text, blocks, attachments, **fields)
        else:
            raise ValueError(f"The arg is unexpected type ({type(text)})")
        if self.proxy or PROXY_FROM_ENV or not self.response_url.lower().startswith("http"):
            return KeptAliveWebhookClient(url=self.response_url, proxy=self.proxy, ssl=self.ssl).send_dict(message)
        return post_to_response_url(self.response_url, message, self.ssl)


def keep_alive_respond(req: BoltRequest, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
    """Bolt middleware (`req`, `next`): this request's respond() on kept-alive connections."""
    url = req.context.get("response_url")
    if url:
        req.context["respond"] = KeptAliveRespond(response_url=url)
    return next()
