"""Practice buttons (Adopted in my city, Ask about this, Details, Edit) and the share modal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import messages as m
from bot.chat import ChatError
from bot.practices import blocks, cards
from bot.practices.modal import CALLBACK_ID, read_share, share_state, topic_problem
from bot.practices.rules import adoption_refusal, can_change, validate
from bot.questions.rules import credit
from bot.render import slack, slack_forms
from bot.services import Services
from bot.text import parse_id
from handlers.errors import UNAVAILABLE, guarded
from handlers.practices import open_edit_modal
from storage.practices import (
    add_practice,
    adopt,
    adoption_by,
    adoption_of,
    claim_ask,
    get_practice,
    release_ask,
    update_practice,
    withdraw_adoption,
)
from storage.profiles import get_profile

Respond = Callable[..., object]
log = logging.getLogger(__name__)


DELETED = "That practice was deleted."


def ids(body: dict[str, Any]) -> tuple[str, str, int | None]:
    """(team, user, practice id) of a button press."""
    value = (body.get("actions") or [{}])[0].get("value", "")
    return body["team"]["id"], body["user"]["id"], parse_id(value)


def channel_of(body: dict[str, Any]) -> str:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""


def register(app: App, services: Services) -> None:
    def tell(respond: Respond, text: str | m.Inline) -> None:
        respond(text=text if isinstance(text, str) else slack.mrkdwn(text), response_type="ephemeral",
                replace_original=False)

    def pressed(body: dict[str, Any], respond: Respond) -> cards.Shown | None:
        """The practice behind a card's button, or None after telling the member it is gone."""
        team_id, _, practice_id = ids(body)
        shown = cards.load(services, team_id, practice_id) if practice_id else None
        if shown is None:
            tell(respond, DELETED)
        return shown

    @app.action(blocks.ADOPT)
    @guarded
    def adopted(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        team_id, user_id, practice_id = ids(body)
        with services.db.begin() as session:
            practice = get_practice(session, team_id, practice_id) if practice_id else None
            profile = get_profile(session, team_id, user_id)
            city = profile.city if profile else ""
            counted, recorded_by = False, ""
            message: str | m.Inline
            if practice is None:
                message = DELETED
            elif refusal := adoption_refusal(practice, city):
                message = refusal
            elif mine := adoption_by(session, practice.id, user_id):
                recorded_by = user_id
                message = m.line("You already recorded ", m.Text(mine.city, cut=120),
                                 f" as adopting #{practice.id}; each member counts one city.")
            elif counted := adopt(session, practice, city, user_id, services.clock()):
                message = m.line("Thank you: ", m.Text(city, cut=120), f" now counts as adopting #{practice.id}.")
            else:
                earlier = adoption_of(session, practice.id, city)
                who = (" (", m.Mention(earlier.user_id), " recorded it)") if earlier and earlier.user_id != user_id else ()
                recorded_by = earlier.user_id if earlier else ""
                message = m.line(m.Text(city, cut=120), f" already counts as adopting #{practice.id}", *who, ".")
        if counted and practice is not None:
            cards.refresh_card(services, team_id, practice.id)
        withdrawable = bool(recorded_by) and (recorded_by == user_id or services.is_moderator(team_id, user_id))
        respond(response_type="ephemeral", replace_original=False,
                **slack.message(blocks.build_adopted(message, practice_id or 0, withdrawable)))

    @app.action(blocks.WITHDRAW)
    @guarded
    def withdrawn(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        team_id, user_id, practice_id = ids(body)
        moderator = services.is_moderator(team_id, user_id)  # before the session: it may read profiles
        with services.db.begin() as session:
            practice = get_practice(session, team_id, practice_id) if practice_id else None
            profile = get_profile(session, team_id, user_id)
            city = profile.city if profile else ""
            adoption = (adoption_by(session, practice.id, user_id) or adoption_of(session, practice.id, city)
                        if practice is not None else None)
            message: str | m.Inline
            if practice is None:
                message = DELETED
            elif adoption is None:
                message = m.line(m.Text(city or "Your city", cut=120), f" does not count as adopting #{practice.id}.")
            elif adoption.user_id != user_id and not moderator:
                message = m.line("Only ", m.Mention(adoption.user_id), ", who recorded it, or a moderator can withdraw it.")
                adoption = None
            else:
                withdraw_adoption(session, adoption)
                message = m.line("Withdrawn: ", m.Text(adoption.city, cut=120),
                                 f" no longer counts as adopting #{practice.id}.")
        if adoption is not None and practice is not None:
            cards.refresh_card(services, team_id, practice.id)
        tell(respond, message)

    @app.action(blocks.ASK)
    @guarded
    def ask(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        shown = pressed(body, respond)
        if shown is None:
            return
        practice, user_id = shown.practice, body["user"]["id"]
        if practice.user_id == user_id:
            tell(respond, "This is your own practice: others can ask you about it in its thread.")
            return
        with services.db.begin() as session:  # the sharer is mentioned once per member, not per press
            first = claim_ask(session, practice, user_id, services.clock())
        if not first:
            tell(respond, "You already started a thread about this practice: ask your question there.")
            return
        text = m.line(m.Mention(user_id), " has a question about ", m.bold(practice.title, cut=200),
                      f" (#{practice.id}) for ", m.Mention(practice.user_id), ". Ask it here in the thread.")
        channel, thread_ts = practice.channel_id, practice.message_ts
        if not thread_ts:  # no card (shared where the bot could not post): start the thread here
            channel = channel_of(body)
        try:
            services.chat_for(practice.team_id).post(channel, m.Message(text), thread=thread_ts)
        except ChatError as error:
            log.warning("could not start a thread about practice %s: %s", practice.id, error.code)
            with services.db.begin() as session:
                release_ask(session, practice.id, user_id)
            tell(respond, "I could not start a thread there: invite me with `/invite @Roundtable`.")
            return
        tell(respond, "I started a thread about it" + (" under the practice" if thread_ts else "") +
             ": ask your question there.")

    @app.action(blocks.DETAILS)
    @guarded
    def details(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        shown = pressed(body, respond)
        if shown is None:
            return
        services.chat_for(body["team"]["id"]).open_form(body["trigger_id"], blocks.build_details_form(shown.practice, shown.sharer, shown.cities))

    @app.action(blocks.EDIT)
    @guarded
    def edit(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        team_id, user_id, practice_id = ids(body)
        with services.db.begin() as session:
            practice = get_practice(session, team_id, practice_id) if practice_id else None
        if practice is None:
            tell(respond, DELETED)
        elif not can_change(practice, user_id, practice.user_id != user_id and services.is_moderator(team_id, user_id)):
            tell(respond, f"Only the member who shared #{practice.id} or a moderator can edit it.")
        else:
            open_edit_modal(services, client, body["trigger_id"], team_id, practice.id, channel_of(body))

    @app.action(blocks.PUBLISH)
    @guarded
    def publish(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        team_id, user_id, practice_id = ids(body)
        with services.db.begin() as session:
            practice = get_practice(session, team_id, practice_id) if practice_id else None
        if practice is None:
            tell(respond, DELETED)
            return
        if not can_change(practice, user_id, practice.user_id != user_id and services.is_moderator(team_id, user_id)):
            tell(respond, f"Only the member who shared #{practice.id} or a moderator can publish it.")
            return
        with services.db.begin() as session:
            found = get_practice(session, team_id, practice.id)
            if found is not None:
                found.published = not found.published
                published = found.published
        if found is None:
            tell(respond, DELETED)
            return
        cards.refresh_card(services, team_id, practice.id)
        tell(respond, f"#{practice.id} is now on the public web library." if published else
             f"#{practice.id} is no longer on the public web library.")

    @app.view(CALLBACK_ID)
    @guarded
    def shared(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        submitted = slack_forms.submitted(view)
        draft, carried = read_share(submitted.values), share_state(submitted.state)
        practice_id, channel_id, question_id = carried.practice_id, carried.channel_id, carried.question_id
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        errors = validate(draft)
        if problem := topic_problem(submitted.values):
            errors["free_topics"] = problem
        if errors:
            ack(**slack_forms.errors(errors))
            return
        moderator = services.is_moderator(team_id, user_id) if practice_id else False
        try:
            with services.db.begin() as session:
                if practice_id is None:
                    saved = credit(session, team_id, question_id, user_id) if question_id else None
                    practice = add_practice(session, team_id, saved.user_id if saved else user_id, services.clock(),
                                            topics=draft.topics, **draft.fields(),
                                            **({"asked_by": saved.asked_by, "saved_by": saved.saved_by}
                                               if saved else {}))
                    practice.published = draft.published
                else:
                    found = get_practice(session, team_id, practice_id)
                    if found is None or not can_change(found, user_id, moderator):
                        ack(response_action="errors", errors={"title": "You can no longer edit this practice."})
                        return
                    practice = update_practice(session, found, services.clock(), by=user_id, topics=draft.topics,
                                               **draft.fields())
                    practice.published = draft.published
        except SQLAlchemyError:
            log.exception("could not save a practice from the modal")
            ack(response_action="errors", errors={"title": UNAVAILABLE})  # the form stays open, nothing lost
            return
        ack()
        if practice_id is None:
            posted = cards.post_card(services, team_id, practice.id, channel_id)
            confirmation = blocks.build_shared(practice, posted)
        else:
            cards.refresh_card(services, team_id, practice.id)
            confirmation = blocks.build_shared(practice, True, verb="Saved")
        if channel_id:
            try:
                services.chat_for(team_id).post_private(channel_id, user_id, confirmation)
            except ChatError as error:
                log.warning("could not confirm practice %s: %s", practice.id, error.code)
