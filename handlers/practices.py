"""/practice: share (modal or one line), search, list, show, mine, edit, delete, help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import messages as m
from bot.practices import blocks, cards, oneline
from bot.practices.help import HELP
from bot.practices.modal import share_form
from bot.practices.oneline import SEARCH_HINT
from bot.practices.rules import (
    PracticeDraft,
    SearchRequest,
    can_change,
    parse_id,
)
from bot.render import slack
from bot.services import Services
from bot.text import split_subcommand
from bot.topics import normalize_topic
from handlers.errors import guarded
from storage.practices import (
    adopting_cities,
    delete_practice,
    get_practice,
    list_practices,
)
from storage.profiles import get_profile

Respond = Callable[..., object]


def register(app: App, services: Services) -> None:
    def reply(respond: Respond, message: m.Message | str) -> None:
        respond(response_type="ephemeral", **({"text": message} if isinstance(message, str) else slack.message(message)))

    def open_share_modal(client: WebClient, trigger_id: str, team_id: str, user_id: str, channel_id: str) -> None:
        with services.db.begin() as session:
            profile = get_profile(session, team_id, user_id)
        draft = PracticeDraft(city=profile.city if profile else "")
        services.chat_for(team_id).open_form(trigger_id, share_form(draft, channel_id=channel_id))

    def quick_share(command: dict[str, Any], text: str, respond: Respond, *, as_typed: bool = False) -> None:
        outcome = oneline.quick_share(services, command["team_id"], command["user_id"], text, as_typed=as_typed)
        if not isinstance(outcome, tuple):
            reply(respond, outcome)
            return
        practice, profile = outcome
        posted = cards.post_new_card(services, practice, profile, command["channel_id"])
        reply(respond, blocks.build_shared(practice, posted))

    def read_filters(team_id: str, text: str) -> SearchRequest:
        return oneline.read_filters(services, team_id, text)

    filters_text = oneline.filters_text

    def search(command: dict[str, Any], text: str, respond: Respond) -> None:
        reply(respond, oneline.search_answer(services, command["team_id"], text, command.get("channel_id", "")))

    def listing(command: dict[str, Any], text: str, respond: Respond, *, mine: bool = False) -> None:
        """`/practice list` or `/practice mine`, filtered by `#topic` and `city:Name` as they read."""
        request = read_filters(command["team_id"], text)
        if request.query:  # `/practice list tax`: a bare word is a topic, as with `#`
            topic = normalize_topic(request.query)
            if topic is None:
                verb = "mine" if mine else "list"
                reply(respond, f"Usage: `/practice {verb}`, `/practice {verb} #open-data` or "
                               f"`/practice {verb} city:Detroit`.")
                return
            request.topics = [*request.topics, topic]
        with services.db.begin() as session:
            found = list_practices(session, command["team_id"], topics=request.topics, city=request.city,
                                   user_id=command["user_id"] if mine else None, limit=10)
            cities = adopting_cities(session, [p.id for p in found])
        where = filters_text(request)
        if mine:
            heading = m.line(m.bold("Your practices"), *where, ", newest first:")
            empty = (m.line("You have no practices", *where, ".") if where
                     else m.line("You have not shared a practice yet: ", m.code("/practice"), "."))
        else:
            heading = m.line(m.Styled("bold", m.line("Latest practices", *where, ":")))
            empty = m.line("No practices", *where, " yet. Share one with ", m.code("/practice"), ".")
        reply(respond, blocks.build_results(heading, found, cities, empty, SEARCH_HINT))

    def practice_or_refusal(command: dict[str, Any], text: str, verb: str) -> tuple[int | None, str]:
        practice_id = parse_id(text)
        if practice_id is None:
            return None, f"Usage: `/practice {verb} 12` (the number shown on the practice)."
        with services.db.begin() as session:
            practice = get_practice(session, command["team_id"], practice_id)
            owner = practice.user_id if practice else None
        if practice is None:
            return None, f"There is no practice #{practice_id}. `/practice mine` lists yours."
        if verb in ("edit", "delete") and not can_change(
                practice, command["user_id"],
                owner != command["user_id"] and services.is_moderator(command["team_id"], command["user_id"])):
            return None, f"Only the member who shared #{practice_id} or a moderator can {verb} it."
        return practice_id, ""

    def show(command: dict[str, Any], text: str, respond: Respond) -> None:
        practice_id, refusal = practice_or_refusal(command, text, "show")
        shown = cards.load(services, command["team_id"], practice_id) if practice_id else None
        reply(respond, blocks.build_show(shown.practice, shown.sharer, shown.cities) if shown else refusal)

    def edit(command: dict[str, Any], text: str, respond: Respond, client: WebClient) -> None:
        practice_id, refusal = practice_or_refusal(command, text, "edit")
        if practice_id is None:
            reply(respond, refusal)
            return
        open_edit_modal(services, client, command["trigger_id"], command["team_id"], practice_id,
                        command["channel_id"])

    def delete(command: dict[str, Any], text: str, respond: Respond, *, confirmed: bool = False) -> None:
        """`/practice delete 12` asks first; the confirmed button deletes."""
        practice_id, refusal = practice_or_refusal(command, text, "delete")
        if practice_id is None:
            reply(respond, refusal)
            return
        with services.db.begin() as session:
            practice = get_practice(session, command["team_id"], practice_id)
            if practice is not None and confirmed:
                delete_practice(session, practice, services.clock(), by=command["user_id"])
            prompt = blocks.build_delete_prompt(practice) if practice is not None and not confirmed else None
        if prompt is not None:
            reply(respond, prompt)
            return
        cards.refresh_card(services, command["team_id"], practice_id)
        reply(respond, f"Deleted practice #{practice_id}. It no longer shows in search, lists or roundups.")

    def as_command(body: dict[str, Any]) -> dict[str, Any]:
        """A button press under one of our replies, as the command fields the steps read."""
        return {"team_id": body["team"]["id"], "user_id": body["user"]["id"], "trigger_id": body["trigger_id"],
                "channel_id": (body.get("channel") or {}).get("id")
                or (body.get("container") or {}).get("channel_id", "")}

    def pressed_value(body: dict[str, Any]) -> str:
        return str((body.get("actions") or [{}])[0].get("value", "")).strip()

    @app.action(blocks.SLIP_RUN)
    @guarded
    def run_corrected(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        dispatch(as_command(body), pressed_value(body), respond, client)

    @app.action(blocks.SLIP_SHARE)
    @guarded
    def share_as_typed(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        text = pressed_value(body)
        if text:
            quick_share(as_command(body), text, respond, as_typed=True)

    @app.action(blocks.DELETE)
    @guarded
    def delete_confirmed(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        delete(as_command(body), pressed_value(body), respond, confirmed=True)

    @app.command("/practice")
    @guarded
    def practice_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        dispatch(command, command.get("text", "").strip(), respond, client)

    def dispatch(command: dict[str, Any], text: str, respond: Respond, client: WebClient) -> None:
        subcommand, rest = split_subcommand(text)
        if not text:
            open_share_modal(client, command["trigger_id"], command["team_id"], command["user_id"],
                             command["channel_id"])
        elif subcommand == "help":
            reply(respond, HELP)
        elif subcommand == "search":
            search(command, rest, respond)
        elif subcommand == "list":
            listing(command, rest, respond)
        elif subcommand == "mine":
            listing(command, rest, respond, mine=True)
        elif subcommand == "show":
            show(command, rest, respond)
        elif subcommand == "edit":
            edit(command, rest, respond, client)
        elif subcommand == "delete":
            delete(command, rest, respond)
        else:
            quick_share(command, text, respond)


def open_edit_modal(services: Services, client: WebClient, trigger_id: str, team_id: str, practice_id: int,
                    channel_id: str) -> None:
    with services.db.begin() as session:
        practice = get_practice(session, team_id, practice_id)
        draft = PracticeDraft.of(practice) if practice else None
    if draft is not None:
        services.chat_for(team_id).open_form(trigger_id, share_form(draft, channel_id=channel_id,
                                                                   practice_id=practice_id))
