"""The request path outside the listener, in one process: signed slash commands through the edge
(bot/web.SlackEdge) into Bolt, for Roundtable and bench/lean_app.py, CPU per command by thread kind.

    python -m bench.request_path [--requests 2000] [--concurrency 16] [--text help | --text mix]
                                 [--practices 0] [--apps roundtable,lean] [--engine sqlite|postgresql]
                                 [--listener-threads 32] [--profile DIR]

Each app gets the same pre-signed `/practice <text>` commands (each with its own response_url) from
--concurrency tasks on this process's event loop (no HTTP parsing, no sockets to the app: what
gunicorn's worker adds is the same for both apps), and the run ends when every reply reached the Web
API emulator. Roundtable is built as `serve` builds it (create_app with a ListenerExecutor, the
request log at INFO through bot/logs.py's writer thread, 8 `dispatch` threads); the lean app as
bench/lean_app.py (no log, Bolt's own listener pool). With the default text, `help`, both listeners
only post one fixed reply (the lean app's help branch), so what differs is the path around them;
`--text mix --practices 10000` is bench/http_load.py's search + share mix on its database.

Commands refused as busy (bot/shedding.py) are counted (`busy`) and expect no reply; CPU per
command is over every command sent. CPU is read per thread from /proc/self/task/<tid>/schedstat (nanoseconds) and summed by kind: the
event loop (this thread), `dispatch`, `listener`, the log writer; the emulator's threads are left
out. --profile DIR records the run with py-spy --gil --threads into DIR/<app>.txt
(bench/profile_summary.py reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from typing import Any

from bench.http_load import default_texts, seed
from bench.search import TEAM, database
from bot import payloads
from bot.emulator import SlackEmulator
from bot.logs import defer
from bot.runtime import make_installs, setup_logging
from bot.services import LISTENER_THREADS, ListenerExecutor, Services
from bot.shedding import BUSY
from bot.signing import RequestSigning
from bot.slack import make_client
from bot.web import SlackEdge
from bot.wiring import wire
from tests.harness import SIGNING_SECRET, test_settings, wait_until

USER = "U0MILLER"
KINDS = ("loop", "dispatch", "listener", "log writer")


def kind_of(thread: threading.Thread) -> str | None:
    if thread is threading.main_thread():
        return "loop"
    name = thread.name
    if name.startswith("dispatch"):
        return "dispatch"
    if name.startswith("listener"):
        return "listener"
    if "_monitor" in name:  # logging.handlers.QueueListener's thread (bot/logs.py defer)
        return "log writer"
    return None  # the emulator's


def cpu_by_kind() -> Counter[str]:
    """Nanoseconds of CPU each kind of thread used so far (threads that ended are not counted)."""
    used: Counter[str] = Counter()
    for thread in threading.enumerate():
        kind = kind_of(thread)
        if kind is None or thread.native_id is None:
            continue
        try:
            used[kind] += int(Path(f"/proc/self/task/{thread.native_id}/schedstat").read_text().split()[0])
        except (OSError, ValueError):
            continue
    return used


def scope(headers: dict[str, str]) -> dict[str, Any]:
    return {"type": "http", "path": "/slack/events", "method": "POST", "query_string": b"",
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]}


def receiver(body: bytes) -> Callable[[], Awaitable[dict[str, Any]]]:
    """An ASGI receive that gives the whole body at once, then never returns (no disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()
        return {}

    return receive


async def drive(edge: Any, requests: list[payloads.SignedRequest], concurrency: int) -> tuple[list[int], int]:
    """Send every request through `edge` from `concurrency` tasks: the statuses answered, and how
    many were refused as busy (bot/shedding.py: no reply follows those)."""
    statuses: list[int] = []
    refused = [0]
    queue = list(reversed(requests))

    async def client() -> None:
        while queue:
            request = queue.pop()
            body = request.body.encode() if isinstance(request.body, str) else request.body
            await edge(scope(dict(request.headers)), receiver(body), send)

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])
        elif BUSY.encode() in message.get("body", b""):
            refused[0] += 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return statuses, refused[0]


def signed(emulator: SlackEmulator, name: str, texts: list[str], count: int) -> list[payloads.SignedRequest]:
    return [payloads.encode(payloads.slash_command("/practice", texts[n % len(texts)].format(n=f"{name}{n}"),
                                                   user=USER, team=TEAM,
                                                   response_url=f"{emulator.response_url(name)}.{n}"),
                            SIGNING_SECRET) for n in range(count)]


def replies(emulator: SlackEmulator, name: str) -> int:
    prefix = f"/response/{name}."
    return sum(1 for c in emulator.calls_to("response_url") if c.path.startswith(prefix))


@contextmanager
def profiled(out: Path | None, label: str) -> Iterator[None]:
    if out is None:
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(os.getpid()),
                            "--format", "raw", "--rate", "200", "--threads", "--nonblocking", "--gil",
                            "--output", str(out / f"{label}.txt")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)


def measure(edge: Any, emulator: SlackEmulator, name: str, args: argparse.Namespace) -> dict[str, float]:
    """Warm, then the timed run: CPU microseconds per command by thread kind, and the wall time."""
    loop = asyncio.new_event_loop()
    try:
        warm = signed(emulator, f"{name}warm", args.text, args.concurrency * 10)
        _, refused = loop.run_until_complete(drive(edge, warm, args.concurrency))
        wait_until(lambda: replies(emulator, f"{name}warm") >= len(warm) - refused, timeout=60, interval=0.02)
        requests = signed(emulator, name, args.text, args.requests)
        with profiled(args.profile, name):
            before, started = cpu_by_kind(), time.monotonic()
            statuses, refused = loop.run_until_complete(drive(edge, requests, args.concurrency))
            wait_until(lambda: replies(emulator, name) >= len(requests) - refused, timeout=120, interval=0.01)
            wall, after = time.monotonic() - started, cpu_by_kind()
    finally:
        loop.close()
    bad = sum(1 for s in statuses if s != 200)
    result = {kind: (after[kind] - before[kind]) / 1000 / args.requests for kind in KINDS}
    result.update(total=sum(result.values()), per_second=args.requests / wall, errors=bad, busy=refused)
    return result


def roundtable_edge(settings: Any, db: Any, threads: int) -> tuple[Any, Callable[[], None]]:
    """Roundtable as `serve` builds it (bot/server.py load), the log written to /dev/null."""
    from bot.app import create_app

    sink = open(os.devnull, "w")  # noqa: SIM115 - closed by the returned undo
    with redirect_stderr(sink):
        setup_logging("INFO", [settings.signing_secret, settings.bot_token])
    undefer = defer()
    client = make_client(settings)
    services = wire(Services(settings=settings, db=db, client=client, installs=make_installs(settings, db, client)))
    executor = ListenerExecutor(max_workers=threads)
    app = create_app(services, executor=executor)
    pool = ThreadPoolExecutor(8, thread_name_prefix="dispatch")
    edge = SlackEdge(app, db, RequestSigning(settings.signing_secret), pool)

    def undo() -> None:
        executor.wait_idle(timeout=30)
        undefer()
        logging.getLogger().handlers[:] = []
        sink.close()

    return edge, undo


def lean_edge(settings: Any, url: str) -> Any:
    """bench/lean_app.py (it reads its configuration when imported), no log as under bench/http_load.py."""
    os.environ.update(SLACK_SIGNING_SECRET=settings.signing_secret, SLACK_BOT_TOKEN=settings.bot_token,
                      SLACK_API_URL=settings.api_url, DATABASE_URL=url)
    from bench import lean_app

    logging.getLogger().setLevel(logging.WARNING)
    return lean_app.asgi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--text", action="append", help="the /practice text, repeat for a mix ({n} numbers "
                        "it; default help; `mix`: bench.http_load's search + share mix)")
    parser.add_argument("--practices", type=int, default=0, help="seed bench.http_load's practices first")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--apps", default="roundtable,lean")
    parser.add_argument("--listener-threads", type=int, default=LISTENER_THREADS, help="Roundtable's")
    parser.add_argument("--profile", type=Path, help="py-spy --gil each app's run into this directory")
    args = parser.parse_args()
    args.text = default_texts() if args.text == ["mix"] else args.text or ["help"]
    results: dict[str, dict[str, float]] = {}
    with SlackEmulator() as emulator, database(args.engine) as db:
        emulator.add_user(USER, name="derrick", real_name="Derrick Miller", tz="America/Detroit")
        seed(db, args.practices)
        settings = test_settings(emulator, db.url)
        for app in args.apps.split(","):
            if app == "roundtable":
                edge, undo = roundtable_edge(settings, db, args.listener_threads)
                try:
                    results[app] = measure(edge, emulator, "bot", args)
                finally:
                    undo()
            else:
                results[app] = measure(lean_edge(settings, db.url), emulator, "lean", args)
    print(f"{args.requests} x /practice {' | '.join(args.text)[:60]!r} at concurrency {args.concurrency}, {args.engine}, in one "
          f"process; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for app, r in results.items():
        parts = "  ".join(f"{kind} {r[kind]:6.1f}" for kind in KINDS)
        print(f"{app:>10}: CPU us/command {parts}  total {r['total']:6.1f}  "
              f"({r['per_second']:.0f} commands/s, errors {r['errors']:.0f}, busy {r['busy']:.0f})")


if __name__ == "__main__":
    main()
