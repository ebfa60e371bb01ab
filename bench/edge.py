"""The edge under abuse: acks and /healthz while hundreds of connections stall, and the worker's
memory while several clients offer bodies far over the 1 MiB limit.

    python -m bench.edge [--stalled 500] [--requests 50] [--bodies 4] [--body-mib 100]

Runs `python -m bot serve` on a throwaway SQLite file against the Web API emulator, loopback
only. Stalled connections are a third that connect and say nothing and the rest that send half a
request header; then it times --requests signed `/roundup preview` commands and as many
/healthz, one at a time. Bodies: --bodies concurrent senders each offer --body-mib MiB (one of
them chunked) and stop when answered; it reports the answers and the worker's peak RSS growth.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import tempfile
import threading
import time

from bot import payloads
from bot.emulator import SlackEmulator
from tests.harness import SIGNING_SECRET, ServeProcess, bot_env, free_port, get, post
from tests.test_edge import command, offer_large_body, open_slow_clients, peak_kib, worker_pids


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def stalled(server: ServeProcess, emulator: SlackEmulator, count: int, requests: int) -> None:
    clients = open_slow_clients(server.port, count)
    try:
        def ack(n: int) -> None:
            request = payloads.encode(command(emulator, f"bench{n}"), SIGNING_SECRET)
            assert post(server.url + "/slack/events", request.body, request.headers, timeout=10)[0] == 200

        acks = [timed(lambda n=n: ack(n)) for n in range(requests)]
        health = [timed(lambda: get(server.url + "/healthz", timeout=10)) for _ in range(requests)]
    finally:
        for conn in clients:
            conn.close()
    for name, values in (("ack", acks), ("/healthz", health)):
        print(f"{count} stalled connections, {name}: p50 {statistics.median(values):.1f} ms, "
              f"max {max(values):.1f} ms over {requests}")


def bodies(server: ServeProcess, senders: int, mib: int) -> None:
    (worker,) = worker_pids(server.process.pid)
    before = peak_kib(worker)
    results: list[tuple[int, int]] = []
    threads = [threading.Thread(target=offer_large_body, args=(server.port, mib << 20, results, n == 0))
               for n in range(senders)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    print(f"{senders} concurrent {mib} MiB bodies: answers {sorted(s for s, _ in results)} within "
          f"{time.perf_counter() - start:.2f} s, each having sent {max(b for _, b in results) >> 20} MiB at most; "
          f"worker peak RSS {before / 1024:.1f} -> {peak_kib(worker) / 1024:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stalled", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--bodies", type=int, default=4)
    parser.add_argument("--body-mib", type=int, default=100)
    args = parser.parse_args()
    with SlackEmulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        server = ServeProcess(bot_env(emulator, f"sqlite:///{tmp}/rt.db", free_port(), LOG_LEVEL="WARNING"))
        try:
            server.wait_healthy()
            stalled(server, emulator, args.stalled, args.requests)
            bodies(server, args.bodies, args.body_mib)
        finally:
            server.stop(signal.SIGTERM)


if __name__ == "__main__":
    main()
