"""What every emulator is on the wire: a threaded HTTP server on 127.0.0.1, on a port the system picks."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class Server(ThreadingHTTPServer):
    """socketserver's listen backlog is 5: a burst of new connections (a bot's listeners posting at
    once) overflowed it, and the dropped connects waited out TCP's 1 s, 3 s... retransmits."""

    request_queue_size = 1024


class LocalServer:
    """Serves an emulator's handler in a daemon thread; `with emulator:` starts and stops it."""

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = Server(("127.0.0.1", 0), handler)  # daemon threads, one per connection
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
