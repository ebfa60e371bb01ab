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
from functools import lru_cache
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
from slack_sdk.http_retry.response import HttpResponse as RetryHttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.proxy_env_variable_loader import load_http_proxy_from_env
from slack_sdk.web import SlackResponse
from slack_sdk.web.deprecation import show_deprecation_warning_if_any
from slack_sdk.web.internal_utils import _build_unexpected_body_error_message, _get_url
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
    """slack-sdk's WebClient on kept-alive connections (KEPT); a proxy goes through urllib as before.

    A call with a JSON body (chat.postMessage, chat.update, views.open...) is sent by `_json_call`:
    slack-sdk's api_call for that case without its urllib Request, its debug lines' formatting
    (when they would not be written) and its URL joined per call: the same headers (the token in
    Authorization only), the same retry handlers consulted with the same arguments (429 Retry-After,
    5xx, connection errors), the same SlackResponse, validated (SlackApiError on ok=false). Any other
    call, and every call while slack-sdk's debug log is on, takes slack-sdk's own path."""

    def api_call(self, api_method: str, *, http_verb: str = "POST", files: dict | None = None,  # type: ignore[override]
                 data: dict | None = None, params: dict | None = None, json: dict | None = None,
                 headers: dict | None = None, auth: dict | None = None) -> SlackResponse:
        if (not json or http_verb != "POST" or files is not None or data or params or headers or auth
                or self.proxy is not None or not self.base_url.lower().startswith("http")
                or self._logger.isEnabledFor(logging.DEBUG)):
            return super().api_call(api_method, http_verb=http_verb, files=files, data=data, params=params,
                                    json=json, headers=headers, auth=auth)
        return self._json_call(api_method, json)

    def _json_call(self, api_method: str, body: dict) -> SlackResponse:
        for name, value in self.default_params.items():  # as slack-sdk's _build_req_args
            body.setdefault(name, value)
        token = body.pop("token", None) or self.token
        # as slack-sdk's _get_headers merges them: the client's own headers (its User-Agent) win, JSON's type last
        request_headers = {**({"Authorization": f"Bearer {token}"} if token else {}), **self.headers,
                           "Content-Type": "application/json;charset=utf-8"}
        show_deprecation_warning_if_any(api_method)
        url = _api_url(self.base_url, api_method)
        resp = self._send_json(url, request_headers, json.dumps(body).encode("utf-8"))
        data: dict | bytes = resp["body"]
        if "parsed_body" in resp:
            data = resp["parsed_body"]
        elif isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError:
                message = _build_unexpected_body_error_message(resp["body"])
                self._logger.error(f"Failed to decode Slack API response: {message}")
                data = {"ok": False, "error": message}
        request_args = {"headers": request_headers, "data": {}, "params": {}, "files": None, "json": body}
        return SlackResponse(client=self, http_verb="POST", api_url=url, req_args=request_args, data=data,
                             headers=dict(resp["headers"]), status_code=resp["status"]).validate()

    def _send_json(self, url: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        """slack-sdk's _perform_urllib_http_request for a JSON body, on KEPT: the reply as a dict
        (status, headers, body, parsed_body) once its retry handlers ask for no other attempt."""
        state = RetryState()
        request = RetryHttpRequest(method="POST", url=url, headers={k.capitalize(): v for k, v in headers.items()},
                                   data=body)  # as from a urllib Request, whose header names are capitalized
        resp: dict[str, Any] | None = None
        last_error: Exception | None = None
        for _ in range(100):  # slack-sdk's counter for safety
            state.next_attempt_requested = False
            try:
                reply = KEPT.exchange("POST", url, body, headers, self.timeout, self.ssl)
                if reply.status < 400:
                    resp = {"status": reply.status, "headers": reply.headers, "body": _decoded(reply)}
                    if not self.retry_handlers:
                        return resp
                    text = resp["body"] if isinstance(resp["body"], str) else None
                    if text is not None and text.startswith("{"):
                        resp["parsed_body"] = json.loads(text)
                    response = RetryHttpResponse(status_code=reply.status, headers=reply.headers,  # type: ignore[arg-type]
                                                 body=resp.get("parsed_body", {}),
                                                 data=text.encode("utf-8") if text is not None else resp["body"])
                    if not self._retried(state, request, response, None):
                        return resp
                    continue
            except Exception as error:
                last_error = error
                self._logger.error(f"Failed to send a request to Slack API server: {error}")
                if not self._retried(state, request, None, error):
                    raise
                self._logger.info(f"Going to retry the same request: POST {url}")
                continue
            # a status of 400 or more, as slack-sdk reads urllib's HTTPError
            response_headers = dict(reply.headers.items())
            if reply.status == 429:
                for name, other in (("retry-after", "Retry-After"), ("Retry-After", "retry-after")):
                    if name not in response_headers and other in response_headers:
                        response_headers[name] = response_headers[other]
            text = reply.read().decode(charset_of(reply.headers))
            resp = {"status": reply.status, "headers": response_headers, "body": text}
            error = HTTPError(url, reply.status, reply.reason, reply.headers, BytesIO(reply.read()))
            response = RetryHttpResponse(status_code=reply.status, data=text.encode("utf-8"),
                                         headers={k: [v] for k, v in response_headers.items()})
            if not self._retried(state, request, response, error):
                return resp
        if resp is not None:
            return resp
        raise last_error  # type: ignore[misc]

    def _retried(self, state: RetryState, request: RetryHttpRequest, response: RetryHttpResponse | None,
                 error: Exception | None) -> bool:
        """The first of the client's retry handlers that takes this outcome prepares the next attempt."""
        for handler in self.retry_handlers:
            if handler.can_retry(state=state, request=request, response=response, error=error):
                if self._logger.level <= logging.DEBUG:  # as slack-sdk (a logger left at NOTSET too)
                    suffix = f" - {error}" if error is not None else ""
                    self._logger.info(f"A retry handler found: {type(handler).__name__} for POST {request.url}{suffix}")
                handler.prepare_for_next_attempt(state=state, request=request, response=response, error=error)
                break
        return state.next_attempt_requested

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict:  # type: ignore[override]
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)
        reply = KEPT.open(req, self.timeout, self.ssl)
        return {"status": reply.status, "headers": reply.headers, "body": _decoded(reply)}


def _decoded(reply: Reply) -> str | bytes:
    """A Web API reply's body as slack-sdk reads it: bytes when gzipped (admin.analytics.getFile), else text."""
    kind, charset = content_type(reply.headers)
    return reply.read() if kind == "application/gzip" else reply.read().decode(charset or "utf-8")


PLAIN_PARAMETERS = frozenset('"\\*<>()')  # what only the email package's own parsing reads as it means


def content_type(headers: Message) -> tuple[str, str | None]:
    """headers.get_content_type() and headers.get_content_charset(), read from the one header: the email
    package parses every parameter (quoting, RFC 2231) for each, 10% of a Web API call's CPU. A value
    holding quotes, escapes, RFC 2231 marks or anything but ASCII is still read by the email package."""
    value = headers.get("Content-Type")
    if not isinstance(value, str) or not value.isascii() or not PLAIN_PARAMETERS.isdisjoint(value):
        return headers.get_content_type(), headers.get_content_charset()
    parameters = value.split(";")
    kind = parameters[0].strip().lower()
    if kind.count("/") != 1:
        kind = headers.get_default_type()
    for parameter in parameters:  # the type too, as the email package reads it
        name, _, charset = parameter.partition("=")
        if name.strip().lower() == "charset":
            return kind, charset.strip().lower()
    return kind, None


def charset_of(headers: Message) -> str:
    """The reply's charset, UTF-8 when it names none (as WebhookClient and WebClient read it)."""
    return content_type(headers)[1] or "utf-8"


@lru_cache(maxsize=256)
def _api_url(base_url: str, api_method: str) -> str:
    return _get_url(base_url, api_method)


class KeptAliveWebhookClient(WebhookClient):
    """slack-sdk's WebhookClient (response_url posts) on kept-alive connections."""

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_http_request_internal(url, req)
        reply = KEPT.open(req, self.timeout, self.ssl)
        return WebhookResponse(url=url, status_code=reply.status, body=reply.read().decode(charset_of(reply.headers)),
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
