"""The edge of `python -m bot serve` under abuse: malformed signatures, huge bodies, slow clients.

Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import select
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import payloads
from bot.emulator import SlackEmulator
from tests.harness import MEMBER, SIGNING_SECRET, ServeProcess, bot_env, free_port, get, post

pytestmark = pytest.mark.slow

SLOW_CLIENTS = 300  # "a few hundred slow or idle connections" (issue 10)
ACK_DEADLINE = 3.0  # Slack's ack deadline (shared/reference/slack-platform.md)
LARGE_BODY = 64 << 20  # each of four concurrent senders offers 64 MiB
MEMORY_BUDGET_KIB = 48 << 10  # the worker's peak may grow by this much, not by the bodies' size


@pytest.fixture
def server(emulator: SlackEmulator, tmp_path: Path) -> Iterator[ServeProcess]:
    served = ServeProcess(bot_env(emulator, f"sqlite:///{tmp_path}/rt.db", free_port()))
    try:
        served.wait_healthy()
        yield served
    finally:
        code, output = served.stop(signal.SIGTERM)
        served.final_output = output  # type: ignore[attr-defined]


def command(emulator: SlackEmulator, name: str = "edge") -> dict:
    return payloads.slash_command("/roundup", "preview", user=MEMBER, response_url=emulator.response_url(name))


def raw_request(port: int, head: str, body: bytes = b"", timeout: float = 5.0) -> int:
    """Send a request byte for byte (duplicated headers included); return the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n" + body)
        answer = conn.recv(4096).decode("latin-1")
    return int(answer.split(" ", 2)[1])


def head_for(body: str, headers: list[tuple[str, str]]) -> str:
    lines = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
             f"Content-Length: {len(body.encode())}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    return "\r\n".join(lines) + "\r\n"


def test_malformed_signature_headers_over_http_get_401_and_leave_no_trace(
    server: ServeProcess, emulator: SlackEmulator
) -> None:
    request = payloads.encode(command(emulator), SIGNING_SECRET)
    ts, sig = str(request.headers["X-Slack-Request-Timestamp"]), str(request.headers["X-Slack-Signature"])
    variants = {
        "duplicated timestamp": [("X-Slack-Request-Timestamp", ts), ("X-Slack-Request-Timestamp", ts),
                                 ("X-Slack-Signature", sig)],
        "float timestamp": [("X-Slack-Request-Timestamp", "1e9"), ("X-Slack-Signature", sig)],
        "empty timestamp": [("X-Slack-Request-Timestamp", ""), ("X-Slack-Signature", sig)],
        "duplicated signature": [("X-Slack-Request-Timestamp", ts), ("X-Slack-Signature", sig),
                                 ("X-Slack-Signature", sig)],
        "no headers": [],
    }
    for name, headers in variants.items():
        assert raw_request(server.port, head_for(request.body, headers), request.body.encode()) in (400, 401), name
    # the same request, signed properly, is answered: the refusals were about the headers alone
    assert server.post_payload(command(emulator, "good"))[0] == 200
    emulator.wait_for("response_url")
    assert [c.path for c in emulator.calls_to("response_url")] == ["/response/good"]
    output = server.output()
    assert "Traceback" not in output and " ERROR " not in output
    assert "response_url" not in output and "/response/edge" not in output


def offer_large_body(port: int, size: int, results: list[tuple[int, int]], chunked: bool = False) -> None:
    """Stream up to `size` bytes until the server answers; record (status, bytes sent)."""
    head = "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {size}\r\n\r\n"
    piece = b"x" * (64 << 10)
    if chunked:
        piece = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    sent, status, deadline = 0, 0, time.monotonic() + 60
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head.encode())
        conn.setblocking(False)
        poll = select.poll()  # not select(): any descriptor number
        poll.register(conn, select.POLLIN | select.POLLOUT)
        while sent < size and time.monotonic() < deadline:
            events = dict(poll.poll(1000)).get(conn.fileno(), 0)
            if events & (select.POLLIN | select.POLLHUP | select.POLLERR):
                break
            if events & select.POLLOUT:
                try:
                    sent += conn.send(piece)
                except (BlockingIOError, ConnectionError):
                    break
        conn.setblocking(True)
        try:
            answer = conn.recv(4096).decode("latin-1")
            status = int(answer.split(" ", 2)[1]) if answer else 0
        except (OSError, IndexError, ValueError):
            status = 0
    results.append((status, sent))


def worker_pids(master: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_bodies_over_the_limit_get_413_and_memory_stays_flat(server: ServeProcess, emulator: SlackEmulator) -> None:
    (worker,) = worker_pids(server.process.pid)
    before = peak_kib(worker)
    results: list[tuple[int, int]] = []
    senders = [threading.Thread(target=offer_large_body, args=(server.port, LARGE_BODY, results, n == 3))
               for n in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=90)
    grown = peak_kib(worker) - before
    print(f"\n4 concurrent {LARGE_BODY >> 20} MiB bodies: statuses {[s for s, _ in results]}, "
          f"sent {[b >> 20 for _, b in results]} MiB before the answer; worker peak RSS grew {grown} KiB")
    assert sorted(status for status, _ in results) == [413] * 4
    assert grown < MEMORY_BUDGET_KIB
    assert server.post_payload(command(emulator))[0] == 200  # and the server still answers
    assert "xxxxxxxx" not in server.output()


def open_slow_clients(port: int, count: int) -> list[socket.socket]:
    """A third connect and say nothing; the rest send half a request header and stall."""
    clients = []
    for n in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n % 3:
            conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Requ")
        clients.append(conn)
    return clients


def test_signed_requests_are_answered_while_hundreds_of_clients_stall(
    server: ServeProcess, emulator: SlackEmulator
) -> None:
    clients = open_slow_clients(server.port, SLOW_CLIENTS)
    try:
        health, acks = [], []
        for n in range(10):
            start = time.monotonic()
            assert get(server.url + "/healthz", timeout=ACK_DEADLINE)[0] == 200
            health.append(time.monotonic() - start)
            request = payloads.encode(command(emulator, f"slow{n}"), SIGNING_SECRET)
            start = time.monotonic()
            assert post(server.url + "/slack/events", request.body, request.headers, timeout=ACK_DEADLINE)[0] == 200
            acks.append(time.monotonic() - start)
        print(f"\nwith {SLOW_CLIENTS} stalled connections: /healthz max {max(health) * 1000:.0f} ms, "
              f"ack max {max(acks) * 1000:.0f} ms (median {sorted(acks)[5] * 1000:.0f} ms)")
        emulator.wait_for("response_url", count=10)
    finally:
        for conn in clients:
            conn.close()


def test_a_connection_that_never_finishes_its_headers_is_closed(server: ServeProcess) -> None:
    from bot.worker import HEADER_TIMEOUT_SECONDS

    clients = open_slow_clients(server.port, 6)
    try:
        start = time.monotonic()
        for conn in clients:
            conn.settimeout(HEADER_TIMEOUT_SECONDS + 10)
            assert conn.recv(1024) == b"", "the server answered a request it never received"
        waited = time.monotonic() - start
    finally:
        for conn in clients:
            conn.close()
    assert waited >= HEADER_TIMEOUT_SECONDS - 1  # closed by the deadline, not at once
    code, _ = server.stop(signal.SIGTERM)
    assert code == 0
