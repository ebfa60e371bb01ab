"""Slack's listeners: module-level functions, one per command, action, view, shortcut and event,
registered per kind (bolt-python's starter template). Each is thin glue: ack, read the payload,
call a rule in bot/ (the same Teams' handlers call), render, reply. The app's services reach them
through the request's context (middleware.ProvideServices), never a module global."""

from slack_bolt import App

from bot.services import Services
from handlers.slack import actions, commands, connect, errors, events, exchange, middleware, shortcuts, views


def register(app: App, services: Services) -> None:
    middleware.register(app, services)
    errors.register(app)
    commands.register(app)
    actions.register(app, exchange_requests_on=services.installs is not None)
    views.register(app)
    shortcuts.register(app)
    events.register(app)
    if services.installs is not None:  # after the request log and the events' de-duplication
        app.use(middleware.Plain(exchange.exchange_gate))
        app.use(middleware.Plain(connect.conversation_home))  # after the gate: a refused workspace claims nothing
