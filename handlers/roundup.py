"""/roundup: the weekly roundup on demand."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App

from bot import roundup
from bot.services import Services
from bot.text import split_subcommand
from handlers.errors import guarded

USAGE = "Usage: `/roundup preview` shows this week's roundup to you only."


def register(app: App, services: Services) -> None:
    @app.command("/roundup")
    @guarded
    def roundup_command(ack: Ack, command: dict, respond: Callable[..., object]) -> None:
        ack()
        subcommand, _ = split_subcommand(command.get("text", ""))
        if subcommand not in ("", "preview"):
            respond(text=USAGE, response_type="ephemeral")
            return
        with services.db.begin() as session:
            built = roundup.build_roundup(
                session, command["team_id"], services.clock(), services.settings.timezone
            )
        respond(text=built.title, blocks=roundup.render_blocks(built), response_type="ephemeral")
