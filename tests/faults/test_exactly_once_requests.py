"""Exactly once when Slack answers oddly, in a real `python -m bot serve`: `/roundup now` through a
dropped connection (nothing posted, the claim released) and a lost answer (found, kept once)."""

from __future__ import annotations

import signal
from pathlib import Path

from sqlalchemy import create_engine, text

from bot import payloads
from bot.emulator import SlackEmulator
from tests.harness import MODERATOR, ServeProcess, bot_env, free_port

CHANNEL = "C0ROUNDUP"


def roundups_in_channel(slack: SlackEmulator) -> list[dict]:
    return [m for m in slack.messages.get(CHANNEL, []) if "roundup" in (m.get("text") or "").lower()]


def claims(url: str) -> list[tuple[str, bool]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [(row[0], row[1] is not None) for row in conn.execute(
                text("SELECT key, posted_at FROM posted_roundup ORDER BY id"))]
    finally:
        engine.dispose()


def wait_reply(slack: SlackEmulator, count: int) -> str:
    return str(slack.wait_for("response_url", count, timeout=20.0)[count - 1].args.get("text", ""))


def test_roundup_now_resolves_its_claim_whatever_slack_answers(slack: SlackEmulator, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/rt.db"
    server = ServeProcess(bot_env(slack, url, free_port(), ROUNDUP_CHANNEL=CHANNEL), args=("--no-scheduler",))
    server.wait_healthy()
    try:
        slack.fail("chat.postMessage", drop=True)  # never reached Slack
        server.post_payload(payloads.slash_command("/roundup", "now", user=MODERATOR,
                                                   response_url=slack.response_url("now1")))
        assert "nothing was posted" in wait_reply(slack, 1)
        assert roundups_in_channel(slack) == [] and claims(url) == []  # the week is free again

        slack.fail("chat.postMessage", lose_response=True)  # posted, then the connection dropped
        server.post_payload(payloads.slash_command("/roundup", "now", user=MODERATOR,
                                                   response_url=slack.response_url("now2")))
        assert wait_reply(slack, 2) == f"Posted this week's roundup in <#{CHANNEL}>."
        assert len(roundups_in_channel(slack)) == 1  # found by its metadata, not posted again
        assert [posted for _, posted in claims(url)] == [True]
    finally:
        code, output = server.stop(signal.SIGTERM)
    assert code == 0, output[-2000:]
