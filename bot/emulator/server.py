"""The Web API emulator's HTTP side: reads a request as Slack does (form, JSON, query, bearer or basic
credentials), applies the faults and rate limits a test asked for, and answers with the emulator's JSON.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from bot.emulator.calls import Call
from bot.emulator.methods import json_arg as _json_arg
from bot.render.slack_limits import message_problems


def handler_class(emulator: Any) -> type[BaseHTTPRequestHandler]:

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def setup(self) -> None:  # one per connection accepted (tests of kept-alive clients count them)
            super().setup()
            with emulator._lock:
                emulator.connections += 1

        def do_GET(self) -> None:  # noqa: N802
            path, _, query = self.path.partition("?")
            if path == "/oauth/v2/authorize":  # the installer's browser, not the bot
                args = dict(parse_qsl(query))
                emulator._record(Call("oauth.authorize", args, path), emulator.arrived)
                with emulator._lock:
                    status, where = emulator.authorize_redirect(args)
                emulator._record(Call("oauth.authorize", args, path, status=status))
                if status != 302:
                    return self._send(status, {"ok": False, "error": where})
                return self._send(302, {}, {"Location": where})
            self.do_POST()

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            path, _, query = self.path.partition("?")
            if path.startswith("/upload/"):
                return self._upload(path.removeprefix("/upload/"), raw)
            if path == "/openid/connect/authorize":
                return self._authorize(query)
            args = _parse_args(raw, query, self.headers.get("Content-Type", ""))
            if path.startswith("/api/openid."):  # client credentials or the user's token, as Slack reads them
                authorization = self.headers.get("Authorization", "")
                args["_basic" if authorization.startswith("Basic ") else "_bearer"] = authorization
            method = "response_url" if path.startswith("/response/") else path.removeprefix("/api/")
            scheme, _, credential = self.headers.get("Authorization", "").partition(" ")
            token = credential if scheme == "Bearer" else str(args.get("token") or "")
            basic = credential if scheme == "Basic" else ""
            team = emulator._caller(token)[0]
            emulator._record(Call(method, args, path, team=team), emulator.arrived)
            if emulator.latency:
                time.sleep(emulator.latency)
            fault = emulator._take_fault(method)
            if fault and fault.delay:
                time.sleep(fault.delay)
            if fault and (fault.drop or fault.lose_response):
                if fault.lose_response:
                    with emulator._lock:
                        emulator._answer(method, args, token, basic)
                emulator._record(Call(method, args, path, status=0, team=team))
                self.close_connection = True
                self.connection.close()
                return None
            if fault and fault.status != 200:
                emulator._record(Call(method, args, path, status=fault.status, team=team))
                headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
                error = "ratelimited" if fault.status == 429 else "internal_error"
                return self._send(fault.status, {"ok": False, "error": error}, headers)
            if fault and fault.error:
                emulator._record(Call(method, args, path, team=team))
                return self._send(200, {"ok": False, "error": fault.error})
            if retry_after := emulator._rate_limited(method, args, team):
                emulator._record(Call(method, args, path, status=429, team=team))
                return self._send(429, {"ok": False, "error": "ratelimited"},
                                  {"Retry-After": str(retry_after)})
            if method == "response_url":
                emulator._record(Call(method, args, path, team=team))
                problems = message_problems(_json_arg(args.get("blocks")))
                return self._send(400 if problems else 200, {"ok": not problems, "errors": problems})
            with emulator._lock:
                answer = emulator._answer(method, args, token, basic)
            emulator._record(Call(method, args, path, team=team, answer=answer))
            return self._send(200, answer)

        def _authorize(self, query: str) -> None:
            emulator._record(Call("openid.authorize", {}, "/openid/connect/authorize"))
            with emulator._lock:
                target = emulator.authorize(query)
            if target is None:
                return self._send(400, {"ok": False, "error": "invalid_request"})
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None

        def _upload(self, file_id: str, raw: str) -> None:
            with emulator._lock:
                stored = emulator._store_upload(file_id, raw)
            emulator._record(Call("upload", {"file_id": file_id}, self.path))
            return self._send(200 if stored else 404, {"ok": stored})

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:  # the caller hung up (or was killed) while Slack was answering
                self.close_connection = True

    return Handler


def _parse_args(raw: str, query: str, content_type: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query))
    if "json" in content_type and raw:
        args.update(json.loads(raw))
    elif raw:
        args.update(parse_qsl(raw, keep_blank_values=True))
    return args

