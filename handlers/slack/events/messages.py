"""Channel messages, their edits and deletions, and reactions: Slack's events translated to the
bot's terms (bot/questions/events.py) here, at the edge, then applied by the question rules."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from bot import conversations
from bot.messages import words
from bot.questions import events
from bot.questions import posts as question_posts
from bot.questions import rules as questions
from bot.services import Services
from handlers.slack.home import workspace_url

log = logging.getLogger("roundtable.questions")
NEW_MESSAGE_SUBTYPES = (None, "file_share", "thread_broadcast")


def from_bot(message: dict[str, Any], bot_user_id: str) -> bool:
    return bool(message.get("bot_id") or message.get("subtype") == "bot_message"
                or not message.get("user") or message.get("user") == bot_user_id)


def translated(event: dict[str, Any], bot_user_id: str) -> events.ConversationEvent:
    """A `message` event (any subtype) as what happened."""
    channel, public, subtype = str(event.get("channel", "")), conversations.from_event(event), event.get("subtype")
    if subtype == "message_changed":
        message = event.get("message") or {}
        if message.get("subtype") == "tombstone":  # a question with replies was deleted
            return events.Removed(channel, message.get("ts", ""), public)
        if from_bot(message, bot_user_id):
            return events.Seen(channel, public)
        return events.Edited(channel, message.get("ts", ""), message.get("user", ""),
                             questions.plain_text(message.get("text", "")), message.get("thread_ts") or "", public)
    if subtype == "message_deleted":
        return events.Removed(channel, event.get("deleted_ts", ""), public)
    if subtype not in NEW_MESSAGE_SUBTYPES or from_bot(event, bot_user_id):
        return events.Seen(channel, public)
    return events.Posted(channel, event.get("ts", ""), event.get("user", ""), questions.plain_text(event.get("text", "")),
                         event.get("thread_ts") or "", subtype == "thread_broadcast", public)


def message(event: dict[str, Any], context: BoltContext, services: Services) -> None:
    team_id = context.team_id or ""
    with services.db.begin() as session:
        outcome = questions.on_message(session, team_id, translated(event, context.bot_user_id or ""), services.clock())
    question = outcome.question
    if outcome.kind == "asked" and question is not None:
        question_posts.suggest(services, team_id, question.id, workspace_url(context))
    elif outcome.kind == "answered":
        question_posts.replied(services, outcome)
    elif outcome.kind == "removed" and question is not None:
        question_posts.take_down(services, team_id, question.channel_id, outcome.delete_ts)


def reaction_added(event: dict[str, Any], context: BoltContext, services: Services) -> None:
    """✅ on a question or a reply: the asker's or a moderator's closes it."""
    item = event.get("item") or {}
    if item.get("type") != "message":
        return
    reacted = events.Reacted(item.get("channel", ""), item.get("ts", ""),
                             event.get("reaction", "").split("::")[0],  # skin tones: white_check_mark::skin-tone-2
                             event.get("user", ""))
    team_id = context.team_id or ""
    with services.db.read() as session:
        target = questions.reaction_target(session, team_id, reacted)
    if target is None:
        return
    question, answer_ts = target
    refusal = question_posts.mark_answered(services, team_id, question.id, reacted.user_id, answer_ts=answer_ts,
                                           workspace_url=workspace_url(context))
    if refusal:  # anyone may react ✅; only the asker's or a moderator's closes the question
        log.info("reaction on question %s ignored: %s", question.id, words(refusal) if isinstance(refusal, tuple) else refusal)
