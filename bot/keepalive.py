"""Kept-alive HTTP connections for the Web API and `response_url` posts.

slack-sdk sends every call through urllib, which opens a new connection (and, on https, a new TLS
handshake) per request and closes it after. Here idle connections are kept per host and reused;
what callers see is unchanged: a status of 400 or more raises urllib's HTTPError (so slack-sdk's
retry handlers read 429 and 5xx as before) and a connection that cannot be opened or written raises
URLError. A kept connection the server closed while it was idle is noticed before it is used (it
reads as ready: end of file), so nothing is sent twice; a request is never retried here.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
from collections.abc import Callable
from email.message import Message
from io import BytesIO
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_bolt import BoltRequest
from slack_bolt.context.respond import Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient, WebhookResponse

IDLE_PER_HOST = 32  # as many as listener threads: each may have one call in flight
IDLE_IN_ALL = 64  # hosts come and go (workspaces' URLs, tests' emulators): the longest idle is closed past it

Key = tuple[str, str, int]


class Reply:
    """What urlopen would have returned: status, headers, the body (already read)."""

    def __init__(self, status: int, headers: Message, body: bytes) -> None:
        self.status = self.code = status
        self.headers = headers
        self._body = body

    def read(self) -> bytes:
        return self._body


class Connections:
    """Idle connections per (scheme, host, port), taken by one request at a time: at most
    `idle_per_host` for one host and `idle_in_all` in all, the most recently used kept."""

    def __init__(self, idle_per_host: int = IDLE_PER_HOST, idle_in_all: int = IDLE_IN_ALL) -> None:
        self.idle_per_host = idle_per_host
        self.idle_in_all = idle_in_all
        self._idle: list[tuple[Key, http.client.HTTPConnection]] = []  # oldest first
        self._lock = threading.Lock()

    def open(self, request: Request, timeout: float | None, context: ssl.SSLContext | None = None) -> Reply:
        url = urlsplit(request.full_url)
        key = (url.scheme, url.hostname or "", url.port or (443 if url.scheme == "https" else 80))
        conn = self._take(key) or self._connect(key, timeout, context)
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        path = url.path + (f"?{url.query}" if url.query else "")
        try:
            conn.request(request.get_method(), path or "/", body=request.data, headers=dict(request.header_items()))
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
        if response.status >= 400:
            raise HTTPError(request.full_url, response.status, response.reason, response.headers, BytesIO(body))
        return Reply(response.status, response.headers, body)

    def _connect(self, key: Key, timeout: float | None, context: ssl.SSLContext | None) -> http.client.HTTPConnection:
        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        return http.client.HTTPConnection(host, port, timeout=timeout)

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


class KeptAliveRespond(Respond):
    """Bolt's respond() posting through KeptAliveWebhookClient; the same message, the same URL."""

    def __call__(self, text: str | dict = "", blocks: object = None, attachments: object = None,  # type: ignore[override]
                 response_type: str | None = None, replace_original: bool | None = None,
                 delete_original: bool | None = None, unfurl_links: bool | None = None,
                 unfurl_media: bool | None = None, thread_ts: str | None = None,
                 metadata: dict | None = None) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):
            message = _build_message(**text)
        else:
            message = _build_message(text=text, blocks=blocks, attachments=attachments,  # type: ignore[arg-type]
                                     response_type=response_type, replace_original=replace_original,
                                     delete_original=delete_original, unfurl_links=unfurl_links,
                                     unfurl_media=unfurl_media, thread_ts=thread_ts, metadata=metadata)
        client = KeptAliveWebhookClient(url=self.response_url, proxy=self.proxy, ssl=self.ssl)
        return client.send_dict(message)


def keep_alive_respond(req: BoltRequest, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
    """Bolt middleware (`req`, `next`): this request's respond() on kept-alive connections."""
    url = req.context.get("response_url")
    if url:
        req.context["respond"] = KeptAliveRespond(response_url=url)
    return next()
