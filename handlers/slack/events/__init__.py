"""Events API events, one listener each."""

from slack_bolt import App

from handlers.slack.errors import guarded
from handlers.slack.events import home, installs, messages


def register(app: App) -> None:
    app.event("app_uninstalled")(guarded(installs.app_uninstalled))
    app.event("tokens_revoked")(guarded(installs.tokens_revoked))
    app.event("message")(guarded(messages.message))
    app.event("reaction_added")(guarded(messages.reaction_added))
    app.event("app_home_opened")(guarded(home.app_home_opened))
