"""Features are plugged into each other by bot/wiring.py, never by a module's import side effect."""

from __future__ import annotations

import subprocess
import sys

from bot.digests import reminders as digest_reminders
from bot.questions.agenda import mayors_open_questions
from bot.roundtables.meetings import REMINDER_KIND
from bot.roundup import delivery as roundup_delivery
from tests.harness import ROOT, TestBot

KINDS = {REMINDER_KIND, digest_reminders.KIND, roundup_delivery.KIND}


def test_the_app_factory_wires_every_outbox_kind_and_the_agenda(bot: TestBot) -> None:
    assert set(bot.services.renderers) == KINDS
    assert bot.services.agenda_sources == [mayors_open_questions]


def test_importing_every_feature_registers_nothing_and_the_scheduler_wires_it_all() -> None:
    # a fresh process: whatever handlers or features it imports, only build_scheduler wires the services
    script = """
import bot.outbox, bot.roundtables.agenda, handlers
from bot.config import Settings
from bot.scheduler import build_scheduler
from bot.services import Services
assert not hasattr(bot.outbox, "RENDERERS") and not hasattr(bot.roundtables.agenda, "SOURCES")
services = Services(settings=Settings(database_url="sqlite://"), db=None, client=None)
assert services.renderers == {} and services.agenda_sources == []
build_scheduler(services)
print(sorted(services.renderers), [s.__name__ for s in services.agenda_sources])
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("] ")[0] + "]" == str(sorted(KINDS))
    assert "mayors_open_questions" in done.stdout
