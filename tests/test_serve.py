"""The production server: `python -m bot serve` as a subprocess, driven over real HTTP."""

from __future__ import annotations

import signal
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot import payloads
from bot.emulator import SlackEmulator
from bot.roundtables.blocks import SCHEDULE_CONFIRM
from bot.roundtables.plans import MeetingPlan, encode_plan
from handlers.errors import UNAVAILABLE
from storage.roundtables import Roundtable
from tests.conftest import _truncate_postgres
from tests.harness import MEMBER, MODERATOR, ServeProcess, bot_env, free_port, get, scalars_in, wait_until
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow


def roundup_command(emulator: SlackEmulator) -> dict:
    return payloads.slash_command("/roundup", "preview", user=MEMBER,
                                  response_url=emulator.response_url("serve"))


def test_serve_is_healthy_rejects_forgeries_answers_commands_and_stops_cleanly(
    emulator: SlackEmulator, database_url: str
) -> None:
    server = ServeProcess(bot_env(emulator, database_url, free_port()))
    try:
        server.wait_healthy()
        assert emulator.calls_to("auth.test"), "serve never reached the Web API emulator"

        assert server.post_payload(roundup_command(emulator), secret="forged")[0] == 401
        assert emulator.calls_to("response_url") == []

        status, _ = server.post_payload(roundup_command(emulator))
        assert status == 200
        reply = emulator.wait_for("response_url")[0].args
        assert "Roundtable roundup" in reply["text"]
    finally:
        code, output = server.stop(signal.SIGTERM)
    assert code == 0, output
    assert "xoxb-test-token" not in output
    assert "test-signing-secret" not in output


def schedule_command(emulator: SlackEmulator, name: str) -> dict:
    """The moderator's *Schedule and announce* under `/roundtable schedule 2027-03-04 15:00
    America/Chicago Wireless downtown`: the press that writes."""
    plan = MeetingPlan(title="Wireless downtown", starts_local=datetime(2027, 3, 4, 15, 0),
                       timezone="America/Chicago", channel_id="C0MAYORS")
    return payloads.block_action(SCHEDULE_CONFIRM, encode_plan(plan), user=MODERATOR, channel="C0MAYORS",
                                 response_url=emulator.response_url(name), ephemeral=True)


def roundtables_in(url: str) -> list[str]:
    return scalars_in(url, select(Roundtable.title))


def replies_to(emulator: SlackEmulator, name: str) -> list[str]:
    return [c.args["text"] for c in emulator.calls_to("response_url") if c.path.endswith("/" + name)]


@pytest.mark.faults
def test_database_cut_and_restored(emulator: SlackEmulator, postgres_url: str) -> None:
    _truncate_postgres(postgres_url)
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = ServeProcess(bot_env(emulator, proxied + "?connect_timeout=2", free_port()))
    try:
        server.wait_healthy()
        proxy.cut()
        wait_until(lambda: get(server.url + "/healthz", timeout=10)[0] == 503)

        assert server.post_payload(roundup_command(emulator))[0] == 200
        assert emulator.wait_for("response_url")[0].args["text"] == UNAVAILABLE
        assert server.post_payload(schedule_command(emulator, "during"))[0] == 200
        wait_until(lambda: replies_to(emulator, "during"))
        assert replies_to(emulator, "during") == [UNAVAILABLE]

        proxy.restore()
        wait_until(lambda: get(server.url + "/healthz", timeout=10)[0] == 200)
        # nothing half-written: the refused schedule left no roundtable and told the channel nothing
        assert roundtables_in(postgres_url) == []
        assert emulator.messages.get("C0MAYORS", []) == []

        assert server.post_payload(roundup_command(emulator))[0] == 200
        assert "Roundtable roundup" in emulator.wait_for("response_url", count=3)[2].args["text"]
        assert server.post_payload(schedule_command(emulator, "after"))[0] == 200
        wait_until(lambda: emulator.messages.get("C0MAYORS"))
        assert roundtables_in(postgres_url) == ["Wireless downtown"]
        assert "Scheduled roundtable #" in replies_to(emulator, "after")[0]
    finally:
        code, output = server.stop(signal.SIGTERM)
        proxy.close()
    assert code == 0, output


def test_sigterm_finishes_work_in_flight_then_exits_0(emulator: SlackEmulator, tmp_path) -> None:
    server = ServeProcess(bot_env(emulator, f"sqlite:///{tmp_path}/rt.db", free_port()))
    server.wait_healthy()
    emulator.latency = 1.0  # the reply after the ack is still on its way when SIGTERM arrives
    assert server.post_payload(roundup_command(emulator))[0] == 200
    code, output = server.stop(signal.SIGTERM)
    assert code == 0, output
    assert len(emulator.calls_to("response_url")) == 1, "the acked command's reply was lost"
