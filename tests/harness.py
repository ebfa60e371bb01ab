"""The test bot: a whole working Roundtable, driven the way Slack drives it.

`TestBot` dispatches signed, Slack-shaped payloads to the real app in-process (fast) and the
Web API emulator records what the bot sent back. `serve_process` runs `python -m bot serve`
as a real subprocess for the few tests that need the production server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot import payloads
from bot.app import create_app
from bot.config import Settings
from bot.emulator import SlackEmulator
from bot.runtime import make_installs
from bot.services import ListenerExecutor, Services, listener_threads
from bot.slack import make_client
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
MODERATOR = "U0MOD"
MEMBER = "U0MEMBER"
LISTENER_TIMEOUT = 10.0


@dataclass
class FakeClock:
    """Injected time: tests set and advance it; nothing depends on the day the suite runs."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 14, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def test_settings(emulator: SlackEmulator, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": emulator.api_url,
        "database_url": database_url, "moderator_user_ids": frozenset({MODERATOR}),
        "roundup_channel": "C0ROUNDUP", "timezone": "America/New_York",
    }
    values.update(overrides)
    return Settings(**values)


class TestBot:
    __test__ = False  # not a pytest test class

    def __init__(self, settings: Settings, db: Database, emulator: SlackEmulator, clock: FakeClock) -> None:
        self.settings = settings
        self.emulator = emulator
        self.clock = clock
        self.db = db
        client = make_client(settings)
        self.services = Services(settings=settings, db=db, client=client, clock=clock,
                                 installs=make_installs(settings, db, client))
        self.executor = ListenerExecutor(listener_threads(db))  # as serve builds it
        self.app: App = create_app(self.services, executor=self.executor)

    # sending -----------------------------------------------------------------------------
    def send(self, payload: dict[str, Any], *, timestamp: int | None = None,
             retry_num: int | None = None, secret: str | None = None, wait: bool = True) -> BoltResponse:
        """Dispatch a payload signed as Slack signs it; by default wait for its listeners to finish."""
        if timestamp is None:
            timestamp = int(time.time())  # Bolt checks signatures against the real clock
        request = payloads.encode(payload, secret or SIGNING_SECRET, timestamp=timestamp,
                                  retry_num=retry_num)
        response = self.app.dispatch(BoltRequest(body=request.body, headers=request.headers))
        if wait:
            self.wait_idle()
        return response

    def wait_idle(self) -> None:
        assert self.executor.wait_idle(LISTENER_TIMEOUT), "listeners still running after timeout"

    def close(self) -> None:
        """Let the listeners finish, then stop their threads: every test bot ends so."""
        self.wait_idle()
        self.executor.shutdown(wait=True)

    def command(self, command: str, text: str = "", *, user: str = MEMBER,
                channel: str = "C0GENERAL", **kwargs: Any) -> BoltResponse:
        payload = payloads.slash_command(command, text, user=user, channel=channel,
                                         response_url=self.emulator.response_url(command.strip("/")))
        return self.send(payload, **kwargs)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, **kwargs: Any) -> BoltResponse:
        return self.send(payloads.event_callback(event, event_id=event_id), **kwargs)

    def replies(self) -> list[dict[str, Any]]:
        """Everything said back through response URLs, oldest first."""
        return [c.args for c in self.emulator.calls_to("response_url")]

    def last_reply_text(self) -> str:
        replies = self.replies()
        assert replies, "the bot said nothing through the response URL"
        return flatten(replies[-1])


def flatten(message: dict[str, Any]) -> str:
    """All the text of a message or view: its `text` and every text object in its blocks."""
    parts = [str(message.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
                parts.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    blocks = message.get("blocks")
    walk(payloads_json(blocks))
    return "\n".join(p for p in parts if p)


def payloads_json(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


# the real server -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post(url: str, body: str, headers: dict[str, str], timeout: float = 5.0) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(predicate: Any, timeout: float = 20.0, interval: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def run_together(target: Any, arguments: list[Any], timeout: float = 60.0) -> None:
    """Run `target(argument)` on one thread per argument, all at once; fail if one is still running
    after `timeout` seconds (a hang, not a slow machine, at that size)."""
    threads = [threading.Thread(target=target, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(threads)} threads still running after {timeout}s"


def scalars_in(url: str, statement: Any) -> list[Any]:
    """What `statement` selects from the database at `url`, read once on a connection of its own
    (a test watching a separate process's writes)."""
    db = Database(url)
    try:
        with db.begin() as session:
            return list(session.scalars(statement))
    finally:
        db.dispose()


def bot_env(emulator: SlackEmulator, database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update({
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": emulator.api_url, "DATABASE_URL": database_url,
        "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "INFO",
        "MODERATOR_USER_IDS": MODERATOR, "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


PORT_ATTEMPTS = 3


class PortTaken(Exception):
    """gunicorn could not bind the port free_port() found: something took it in between."""


class ServeProcess:
    """`python -m bot serve` as a subprocess, healthy before the test starts.

    Its output is read as it comes (a full pipe would block its logging, and then every request)
    and returned by stop()."""

    def __init__(self, env: dict[str, str], args: tuple[str, ...] = (), cwd: Path | None = None) -> None:
        self.env, self.args, self.cwd = dict(env), args, cwd or ROOT
        self.log_path = Path(env.get("ROUNDTABLE_TEST_LOG", "/dev/null"))
        self._start()

    def _start(self) -> None:
        self.port = int(self.env["PORT"])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *self.args], env=self.env, cwd=self.cwd,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self._output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self._output.append(line)

    def output(self) -> str:
        return "".join(self._output)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 30.0) -> float:
        """Until /healthz answers from this process. free_port() only found a port that was free:
        another engineer's test may take it before gunicorn binds it, so the listening line must
        name this process, and a port taken meanwhile means a new port and a new start."""
        start = time.monotonic()
        for _ in range(PORT_ATTEMPTS):
            try:
                wait_until(self._healthy, timeout=timeout)
                return time.monotonic() - start
            except PortTaken:
                self.stop(sig=9)
                self.env["PORT"] = str(free_port())
                self._start()
        raise AssertionError(f"no free port after {PORT_ATTEMPTS} attempts:\n{self.output()}")

    def _healthy(self) -> bool:
        output = self.output()
        if "Connection in use" in output:
            raise PortTaken(self.port)
        if self.process.poll() is not None:
            self._reader.join(timeout=5)
            raise AssertionError(f"serve exited early:\n{self.output()}")
        if f"Listening at: http://127.0.0.1:{self.port} ({self.process.pid})" not in output:
            return False  # not bound yet (what answers on the port may be someone else's)
        try:
            return get(self.url + "/healthz", timeout=1)[0] == 200
        except OSError:
            return False

    def post_payload(self, payload: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        request = payloads.encode(payload, kwargs.pop("secret", SIGNING_SECRET), **kwargs)
        return post(self.url + "/slack/events", request.body, request.headers)

    def stop(self, sig: int = 15, timeout: float = 30.0) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        return self.process.returncode, self.output()
