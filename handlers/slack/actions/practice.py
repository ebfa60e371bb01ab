"""A practice card's buttons (Adopt, Withdraw, Ask about this, Show details, Edit, Publish), the
delete confirmation and the *Did you mean* buttons under a one-line share."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.practices import adoption, blocks, cards, commands, threads
from bot.services import Services
from bot.text import parse_id
from handlers.slack.commands.practice import answer, share_line
from handlers.slack.replies import (
    Respond,
    as_command,
    button_value,
    channel_of,
    note,
    reply,
    team_id_of,
    user_id_of,
)


def adopt(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    practice_id = parse_id(button_value(body))
    done = adoption.adopt_practice(services, team_id_of(body), user_id_of(body), practice_id)
    note(respond, blocks.build_adopted(done.message, practice_id or 0, done.withdrawable))


def withdraw(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    said, _ = adoption.withdraw(services, team_id_of(body), user_id_of(body), parse_id(button_value(body)))
    note(respond, said)


def ask_about(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    note(respond, threads.start_thread(services, team_id_of(body), user_id_of(body), parse_id(button_value(body)),
                                       channel_of(body)))


def details(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    practice_id = parse_id(button_value(body))
    shown = cards.load(services, team_id_of(body), practice_id) if practice_id else None
    if shown is None:
        note(respond, commands.DELETED)
        return
    form = blocks.build_details_form(shown.practice, shown.sharer, shown.cities)
    services.chat_for(team_id_of(body)).open_form(body["trigger_id"], form)


def edit(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    form = commands.edit_form(services, team_id_of(body), user_id_of(body), button_value(body), channel_of(body),
                              missing=commands.DELETED)
    if isinstance(form, str):
        note(respond, form)
    else:
        services.chat_for(team_id_of(body)).open_form(body["trigger_id"], form)


def publish(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    note(respond, commands.publish(services, team_id_of(body), user_id_of(body), button_value(body)))


def delete_confirmed(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    reply(respond, commands.delete(services, team_id_of(body), user_id_of(body), button_value(body), confirmed=True))


def run_suggested(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    """*Did you mean `/practice search wireless`?*: runs the command it names."""
    ack()
    answer(services, as_command(body), button_value(body), respond)


def share_as_typed(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    ack()
    if text := button_value(body):
        share_line(services, as_command(body), text, respond, as_typed=True)
