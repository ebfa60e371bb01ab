"""Questions in the channels: messages, edits and deletions, /ask, replies, ✅ and Mark answered."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot import conversations
from bot.chat import ChatError
from bot.practices.modal import share_form
from bot.questions import posts as question_posts
from bot.questions import rules as questions
from bot.questions.blocks import MARK_ANSWERED, SAVE_AS_PRACTICE, build_asked, parse_button_value
from bot.services import Services
from handlers.errors import guarded
from handlers.home import publish_home, workspace_url
from storage import conversations as conversation_store
from storage import questions as store
from storage.questions import UNRESOLVED

log = logging.getLogger("roundtable.questions")
USAGE = "Usage: `/ask &lt;your question&gt;` posts it here for the exchange and tracks it until it is answered."
MAX_ASK_CHARS = 3000
NOT_IN_CHANNEL = ("I can't post in this conversation. Invite me with `/invite @Roundtable`, "
                  "or ask in a channel I'm in.")


def register(app: App, services: Services) -> None:
    @app.event("message")
    @guarded
    def on_message(event: dict, context: BoltContext) -> None:
        team_id = context.team_id or ""
        with services.db.begin() as session:
            outcome = questions.on_message(session, team_id, event, services.clock(),
                                           context.bot_user_id or "")
        question = outcome.question
        if outcome.kind == "asked" and question is not None:
            question_posts.suggest(services, team_id, question.id, workspace_url(context))
        elif outcome.kind == "answered" and question is not None and outcome.answer is not None:
            if outcome.new_answerer and question.status in UNRESOLVED:
                question_posts.prompt_asker(services, question, outcome.answer)
        elif outcome.kind == "removed" and question is not None:
            question_posts.take_down(services, team_id, question.channel_id, outcome.delete_ts)

    @app.command("/ask")
    @guarded
    def ask(ack: Ack, command: dict, respond: Callable[..., object], context: BoltContext) -> None:
        ack()
        text = questions.plain_text(command.get("text", ""))
        if not text or text.lower() in ("help", "?") or not questions.is_askable(text):
            respond(text=USAGE, response_type="ephemeral")
            return
        if len(text) > MAX_ASK_CHARS:
            respond(text=f"That question is too long ({len(text)} characters); keep it under "
                    f"{MAX_ASK_CHARS}.", response_type="ephemeral")
            return
        user, channel = command["user_id"], command["channel_id"]
        try:
            posted = services.chat_for(command["team_id"]).post(channel, build_asked(user, text))
        except ChatError as error:
            if error.code not in ("not_in_channel", "channel_not_found", "is_archived"):
                raise
            respond(text=NOT_IN_CHANNEL, response_type="ephemeral")
            return
        public = conversations.ask_slack(services.client_for(command["team_id"]), channel,
                                         command.get("channel_name", ""))
        with services.db.begin() as session:
            conversation_store.record(session, command["team_id"], channel, public, services.clock())
            question = store.add_question(session, command["team_id"], channel, posted, user, text,
                                          services.clock())
        if question is not None:
            question_posts.suggest(services, command["team_id"], question.id, workspace_url(context))

    @app.event("reaction_added")
    @guarded
    def on_reaction(event: dict, context: BoltContext) -> None:
        team_id = context.team_id or ""
        with services.db.begin() as session:
            target = questions.reaction_target(session, team_id, event.get("item") or {},
                                               event.get("reaction", ""))
        if target is None:
            return
        question, answer_ts = target
        refusal = question_posts.mark_answered(services, team_id, question.id, event.get("user", ""),
                                               answer_ts=answer_ts, workspace_url=workspace_url(context))
        if refusal:  # anyone may react ✅; only the asker's or a moderator's closes the question
            log.info("reaction on question %s ignored: %s", question.id, refusal)

    @app.action(MARK_ANSWERED)
    @guarded
    def on_mark_answered(ack: Ack, body: dict[str, Any], respond: Callable[..., object],
                         context: BoltContext) -> None:
        ack()
        parsed = parse_button_value((body.get("actions") or [{}])[0].get("value", ""))
        user = body["user"]["id"]
        team_id = context.team_id or ""
        if parsed is None:
            return
        refusal = question_posts.mark_answered(services, team_id, parsed[0], user, answer_ts=parsed[1],
                                               workspace_url=workspace_url(context))
        container = body.get("container") or {}
        if container.get("type") == "view":
            publish_home(services, team_id, user, workspace_url(context))
        elif refusal:
            respond(text=refusal, response_type="ephemeral", replace_original=False)
        elif container.get("is_ephemeral"):
            respond(text="Marked answered. Thank you!", replace_original=True)

    @app.action(SAVE_AS_PRACTICE)
    @guarded
    def on_save_as_practice(ack: Ack, body: dict[str, Any], respond: Callable[..., object]) -> None:
        ack()
        parsed = parse_button_value((body.get("actions") or [{}])[0].get("value", ""))
        team_id, user = body["team"]["id"], body["user"]["id"]
        with services.db.begin() as session:
            draft = questions.practice_draft(session, team_id, parsed[0], user) if parsed else None
            tracked = store.question_by_id(session, team_id, parsed[0]) if parsed else None
        if draft is None or tracked is None:
            respond(text="That question is no longer tracked (it was deleted).", response_type="ephemeral",
                    replace_original=False)
            return
        form = share_form(draft, channel_id=tracked.channel_id, question_id=tracked.id)
        services.chat_for(team_id).open_form(body["trigger_id"], form)
