"""Bolt listeners, grouped by feature (practices, questions, roundtables...), plus the request middleware
and the error handler. Each group exports `register(app, services)`."""

from slack_bolt import App

from bot.services import Services
from handlers import (
    digests,
    errors,
    home,
    inputs,
    middleware,
    practice_actions,
    practices,
    profiles,
    questions,
    roundtable_actions,
    roundtables,
    roundup,
)


def register(app: App, services: Services) -> None:
    middleware.register(app, services)
    inputs.register(app, services)
    errors.register(app, services)
    roundup.register(app, services)
    digests.register(app, services)
    practices.register(app, services)
    practice_actions.register(app, services)
    profiles.register(app, services)
    questions.register(app, services)
    home.register(app, services)
    roundtables.register(app, services)
    roundtable_actions.register(app, services)
