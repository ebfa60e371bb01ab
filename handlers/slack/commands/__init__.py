"""Slash commands, one listener each."""

from slack_bolt import App

from handlers.slack.commands.ask import ask
from handlers.slack.commands.digest import digest
from handlers.slack.commands.practice import practice
from handlers.slack.commands.profile import profile
from handlers.slack.commands.roundtable import roundtable
from handlers.slack.commands.roundup import roundup
from handlers.slack.errors import guarded


def register(app: App) -> None:
    app.command("/practice")(guarded(practice))
    app.command("/ask")(guarded(ask))
    app.command("/roundtable")(guarded(roundtable))
    app.command("/roundup")(guarded(roundup))
    app.command("/digest")(guarded(digest))
    app.command("/profile")(guarded(profile))
