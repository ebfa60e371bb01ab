"""gunicorn's asgi worker, with a deadline for a connection's first request headers.

gunicorn closes a kept-alive connection that has not sent its next request's headers within
`keepalive` seconds, but a new connection has no such bound: one that never finishes its
headers stays open until the client leaves, and enough of them use up the process's file
descriptors (and hold a stop for the whole grace period). Here a new connection must finish its
first request's headers within HEADER_TIMEOUT_SECONDS, or it is closed.

This leans on two names inside gunicorn (`ASGIProtocol._on_headers_complete`, and the module
global `gunicorn.workers.gasgi.ASGIProtocol` its worker builds each connection with);
tests/test_edge.py fails if a gunicorn release moves them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.workers import gasgi

HEADER_TIMEOUT_SECONDS = 10.0


class FirstHeadersDeadline(ASGIProtocol):  # type: ignore[misc]
    _headers_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._headers_deadline = self.worker.loop.call_later(HEADER_TIMEOUT_SECONDS, self._headers_too_slow)

    def _on_headers_complete(self) -> Any:
        self._cancel_headers_deadline()
        return super()._on_headers_complete()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._cancel_headers_deadline()
        super().connection_lost(exc)

    def _cancel_headers_deadline(self) -> None:
        if self._headers_deadline is not None:
            self._headers_deadline.cancel()
            self._headers_deadline = None

    def _headers_too_slow(self) -> None:
        self._headers_deadline = None
        self._close_transport()
        if self._request_ready is not None:  # wake the connection's task so it sees the close
            self._request_ready.set()


class RoundtableWorker(gasgi.ASGIWorker):  # type: ignore[misc]
    def init_process(self) -> None:
        gasgi.ASGIProtocol = FirstHeadersDeadline  # this worker process only, after the fork
        super().init_process()
