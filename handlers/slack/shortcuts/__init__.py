"""Message shortcuts, one listener each."""

from slack_bolt import App

from handlers.slack.errors import guarded
from handlers.slack.shortcuts.digest import save_digest


def register(app: App) -> None:
    app.shortcut("save_digest")(guarded(save_digest))
