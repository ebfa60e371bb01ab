"""Slash commands, one listener each.

Each is acknowledged as soon as Bolt has matched it (AckedAtOnce, on the dispatch thread): a command's
ack is always Slack's empty 200, and every answer goes through respond(). Bolt would otherwise wait,
polling every 10 ms, for the listener to start on a listener thread and call ack() itself, so under
load an ack waited behind the listeners' work. The listeners still call ack() (a no-op by then)."""

from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from handlers.slack.commands.ask import ask
from handlers.slack.commands.digest import digest
from handlers.slack.commands.practice import practice
from handlers.slack.commands.profile import profile
from handlers.slack.commands.roundtable import roundtable
from handlers.slack.commands.roundup import roundup
from handlers.slack.errors import guarded


class AckedAtOnce(Middleware):
    """A listener middleware: the empty ack, before the listener is queued."""

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002 - Bolt's name
        req.context.ack()
        return next()


def register(app: App) -> None:
    acked = [AckedAtOnce()]
    app.command("/practice", middleware=acked)(guarded(practice))
    app.command("/ask", middleware=acked)(guarded(ask))
    app.command("/roundtable", middleware=acked)(guarded(roundtable))
    app.command("/roundup", middleware=acked)(guarded(roundup))
    app.command("/digest", middleware=acked)(guarded(digest))
    app.command("/profile", middleware=acked)(guarded(profile))
