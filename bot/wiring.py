"""What each feature plugs into another, wired when the app or the scheduler is built.

Nothing registers itself by being imported: the app factory (bot/app.py), the scheduler
(bot/scheduler.py) and `build_services` call `wire`, which names every outbox kind's renderer
and every source of a reminder's open questions here, in one place.
"""

from __future__ import annotations

from functools import partial

from bot.digests import reminders as digest_reminders
from bot.questions.agenda import mayors_open_questions
from bot.roundtables import reminders
from bot.roundtables.meetings import REMINDER_KIND
from bot.roundup import delivery as roundup_delivery
from bot.services import Services


def wire(services: Services) -> Services:
    """Fill in the services' renderers and agenda sources; what is already set (a test's) is kept."""
    if not services.agenda_sources:
        services.agenda_sources.append(mayors_open_questions)
    renderers = {
        REMINDER_KIND: partial(reminders.render_reminder, sources=services.agenda_sources),
        digest_reminders.KIND: digest_reminders.render_digest_reminder,
        roundup_delivery.KIND: roundup_delivery.render_roundup,
    }
    for kind, render in renderers.items():
        services.renderers.setdefault(kind, render)
    return services
