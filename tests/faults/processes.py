"""Real processes for the fault suite: `python -m bot scheduler` beside `serve`, reminders due now.

The processes run on the real clock, so the data is made due at real time (a reminder whose time
came half an hour ago for a meeting half an hour ahead) rather than by faking their clock.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot import slack
from bot.emulator import SlackEmulator
from bot.roundtables import meetings, reminders
from bot.roundtables.plans import MeetingPlan
from bot.services import Services
from bot.slack import make_client
from storage.db import Database
from storage.deliveries import Delivery
from tests.harness import ROOT, scalars_in, test_settings

TEAM = "T0ROUNDTBL"
SENT_LINE = re.compile(r"delivery roundtable_reminder (\S+) -> \S+ sent")


class SchedulerProcess:
    """`python -m bot scheduler` (the Procfile's clock process), its log in a file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "scheduler"], env=env, cwd=ROOT,
                                        stdout=self._log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text()

    def stop(self, sig: int = 15, timeout: float = 20.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._log.close()
        return code


def sent_keys(log: str) -> list[str]:
    """The `team/key` of every reminder a process's log says it posted."""
    return SENT_LINE.findall(log)


def seed_due_reminders(url: str, emulator: SlackEmulator, count: int, channels: int) -> set[str]:
    """`count` one-off roundtables starting in 30 minutes with a 60-minute reminder, spread over
    `channels` channels, and their reminders in the outbox (as a tick of the reminder job puts
    them); returns the delivery keys."""
    now = datetime.now(UTC)
    start = (now + timedelta(minutes=30)).replace(second=0, microsecond=0, tzinfo=None)
    db = Database(url)
    try:
        with db.begin() as session:
            for n in range(count):
                plan = MeetingPlan(title=f"Roundtable {n}: wireless downtown", starts_local=start,
                                   timezone="UTC", channel_id=f"C0FAULT{n % channels:03d}",
                                   reminder_minutes=[60])
                meetings.schedule(session, team_id=TEAM, user_id="U0MOD", plan=plan,
                                  now=now - timedelta(hours=2))
        settings = test_settings(emulator, url)
        services = Services(settings=settings, db=db, client=make_client(settings))
        assert reminders.enqueue_due_reminders(services) == count
        with db.begin() as session:
            return set(session.scalars(select(Delivery.key)))
    finally:
        db.dispose()


def delivery_states(url: str) -> Counter[str]:
    return Counter(scalars_in(url, select(Delivery.status)))


def posted_keys(emulator: SlackEmulator) -> list[str]:
    """The delivery key in the metadata of every outbox post the emulator holds, repeats kept."""
    with emulator._lock:
        messages = [m for channel in emulator.messages.values() for m in channel]
    return [m["metadata"]["event_payload"]["key"] for m in messages
            if (m.get("metadata") or {}).get("event_type") == slack.METADATA_EVENT]
