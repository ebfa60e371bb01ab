"""Overload: Roundtable offered commands at a fixed rate above what it sustains, open loop.

    python -m bench.overload [--engine sqlite|postgresql] [--factor 2] [--seconds 10]
                             [--practices 10000] [--workers 1] [--apps roundtable,lean]
                             [--rate R] [--profile DIR [--gil]]

bench/http_load.py's load is closed (each client sends its next command when its ack arrives), so
it never offers more than an app answers. Here each app first runs that closed load (1,000
commands, concurrency 16) to find the rate it sustains (completed commands/s); then 4 load
processes send commands on a fixed schedule at FACTOR times that rate for SECONDS, each on a fresh
connection, whatever the app answers (open loop). Reported: the rate offered and achieved, acks and
their latency, how many were refused at once as busy, replies p50/p95/p99 (ack -> response_url)
for the commands accepted, and their end-to-end latency (sent -> reply). A bot that degrades evenly
keeps the accepted commands' replies short and refuses the excess at once; one that queues shows
reply latency growing with the run's length. `--rate R` skips the closed load and offers R commands/s
to every app: on a shared machine the sustained rate moves with the load, and two runs to compare
(before and after a change) should be offered the same rate. `--profile DIR` records each app's (first) worker
with py-spy during the open-loop phase only, as bench.http_load does (bench/profile_summary.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import os
import time
from pathlib import Path
from typing import Any

from bench.http_load import answers, default_texts, lean_server, profiled, quantiles_ms, run_load, seed
from bench.search import TEAM, database
from bot import payloads
from bot.emulator import SlackEmulator
from bot.shedding import BUSY
from tests.harness import SIGNING_SECRET, ServeProcess, bot_env, free_port, wait_until

PROCESSES = 4


async def _send(port: int, request: payloads.SignedRequest) -> tuple[int, bool]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    body = request.body.encode()
    writer.write(
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: {len(body)}\r\n"
        f"Connection: close\r\n\r\n".encode()
        + body
    )
    answer = await reader.read()  # to EOF: the edge closes a `Connection: close` request
    writer.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, BUSY.encode() in answer


def open_loop(
    port: int,
    start: float,
    rate: float,
    count: int,
    offset: int,
    texts: list[str],
    response_url: str,
    results: mp.Queue,
) -> None:
    """Send commands number offset, offset + PROCESSES, ... at start + n / rate, not waiting for answers."""
    timings: list[tuple[str, float, float, bool, int]] = []

    async def one(n: int) -> None:
        url = f"{response_url}.{n}"
        text = texts[n % len(texts)].format(n=n)
        request = payloads.encode(
            payloads.slash_command("/practice", text, user="U0MILLER", response_url=url, team=TEAM),
            SIGNING_SECRET,
        )
        sent = time.monotonic()
        try:
            status, shed = await _send(port, request)
        except OSError:
            status, shed = 0, False
        timings.append((url.rsplit("/", 1)[1], sent, time.monotonic(), shed, status))

    async def main() -> None:
        tasks = []
        for n in range(offset, count, PROCESSES):
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))  # pacing the schedule
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)

    asyncio.run(main())
    results.put(timings)


def overload(port: int, emulator: SlackEmulator, name: str, rate: float, seconds: float) -> dict[str, Any]:
    count = int(rate * seconds)
    start = time.monotonic() + 1.0  # every process starts on the same schedule (CLOCK_MONOTONIC is shared)
    results: mp.Queue = mp.Queue()
    procs = [
        mp.Process(
            target=open_loop,
            args=(port, start, rate, count, k, default_texts(), emulator.response_url(name), results),
        )
        for k in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    timings = [t for _ in procs for t in results.get(timeout=600)]
    for p in procs:
        p.join()
    accepted = [t for t in timings if t[4] == 200 and not t[3]]
    prefix = f"/response/{name}."

    def arrived() -> dict[str, float]:
        return {
            c.path.rsplit("/", 1)[1]: c.at
            for c in emulator.calls_to("response_url")
            if c.path.startswith(prefix)
        }

    with contextlib.suppress(AssertionError):  # replies that never came are reported as missing
        wait_until(lambda: len(arrived()) >= len(accepted), timeout=120, interval=0.1)
    at = arrived()
    replied = [t for t in accepted if t[0] in at]
    last_send = max(t[1] for t in timings)
    return {
        "offered": rate,
        "sent": len(timings),
        "sent_rate": len(timings) / (last_send - start),
        "errors": sum(1 for t in timings if t[4] != 200),
        "busy": sum(1 for t in timings if t[3]),
        "missing": len(accepted) - len(replied),
        "ack": quantiles_ms([t[2] - t[1] for t in timings]),
        "reply": quantiles_ms([at[t[0]] - t[2] for t in replied]) if len(replied) > 1 else None,
        "end_to_end": quantiles_ms([at[t[0]] - t[1] for t in replied]) if len(replied) > 1 else None,
        "done_rps": len(replied) / (max(at.values()) - start) if replied else 0.0,
    }


def report(app: str, sustained: float | None, r: dict[str, Any]) -> str:
    def q(x: dict[str, float] | None) -> str:
        return "-" if x is None else f"{x['p50']:.0f} / {x['p95']:.0f} / {x['p99']:.0f} ms"

    return (
        f"{app:>10}: sustains {'-' if sustained is None else f'{sustained:.1f}'}/s; offered {r['offered']:.1f}/s (sent {r['sent']} at "
        f"{r['sent_rate']:.1f}/s): busy {r['busy']}, errors {r['errors']}, replies missing {r['missing']}, "
        f"completed {r['done_rps']:.1f}/s\n{'':>12}ack p50/p95/p99 {q(r['ack'])}; reply {q(r['reply'])}; "
        f"sent -> reply {q(r['end_to_end'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="sqlite")
    parser.add_argument("--factor", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--apps", default="roundtable,lean")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers for every app (WEB_CONCURRENCY)")
    parser.add_argument("--profile", type=Path, help="py-spy record each app's worker into this directory")
    parser.add_argument("--rate", type=float, help="offer this many commands/s (no closed load first)")
    parser.add_argument("--gil", action="store_true", help="with --profile: only the thread holding the GIL")
    args = parser.parse_args()
    lines = []
    with SlackEmulator() as emulator, database(args.engine) as db:
        emulator.add_user("U0MILLER", name="derrick", real_name="Derrick Miller", tz="America/Detroit")
        seed(db, args.practices)
        for app in args.apps.split(","):
            port = free_port()
            if app == "roundtable":
                server = ServeProcess(
                    bot_env(emulator, db.url, port, LOG_LEVEL="INFO", WEB_CONCURRENCY=str(args.workers)),
                    args=("--no-scheduler",),
                )
                server.wait_healthy(timeout=120)
                stop, master = server.stop, server.process.pid
            else:
                process = lean_server(emulator, db.url, port, "/practice", args.workers)
                master = process.pid
                wait_until(lambda p=port: answers(p), timeout=30)

                def stop(process=process) -> None:
                    process.terminate()
                    process.wait()

            try:
                sustained = None
                if args.rate is None:
                    sustained = run_load(
                        port,
                        1000,
                        16,
                        "/practice",
                        default_texts(),
                        emulator,
                        f"{app}closed",
                        keep_alive=False,
                        replies=True,
                    )["done_rps"]
                rate = args.rate if sustained is None else args.factor * sustained
                with profiled(master, args.profile, f"{app}-overload", gil=args.gil):
                    result = overload(port, emulator, f"{app}open", rate, args.seconds)
                lines.append(report(app, sustained, result))
            finally:
                stop()
    offered = f"{args.rate:.0f}/s" if args.rate else f"{args.factor}x each app's sustained rate"
    print(
        f"open loop at {offered} for {args.seconds:.0f} s, {args.engine}, "
        f"{args.workers} gunicorn worker(s), {PROCESSES} load processes, a fresh connection per command; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
