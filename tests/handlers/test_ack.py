"""A slash command is acknowledged as soon as Bolt has found its listener: the ack never waits for a
listener thread to start (under load they are all busy, and the ack waited behind their work)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.shedding import threshold
from storage.practices import Practice
from tests.bot.test_shedding import SHARE, Ticks, occupied, work
from tests.harness import TestBot


def practices(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(Practice)) or 0


def test_a_command_is_acknowledged_while_every_listener_thread_is_busy(bot: TestBot) -> None:
    ticks = Ticks()
    bot.executor.rate.clock = ticks
    work(bot.executor, ticks, 80, 0.0125)  # 80 commands a second: 4 may queue beyond the threads
    threads = bot.executor._max_workers
    assert threshold(bot.executor.rate.per_second(), threads) > threads
    with occupied(bot.executor):
        assert not bot.executor.busy()  # queued, not refused
        response = bot.command("/practice", SHARE, wait=False)
        assert (response.status, response.body) == (200, "")  # Slack's empty ack, as the listener's own
        assert practices(bot) == 0 and bot.replies() == []  # ... given before its listener even started
    bot.wait_idle()
    assert practices(bot) == 1
    assert "Shared" in bot.last_reply_text()

