"""Teams glue: messages (personal chat, group chat, or an @mention in a channel) read as the same
commands as Slack's (handlers/teams/commands.py), card buttons as universal actions
(handlers/teams/actions.py), forms as dialogs (handlers/teams/dialogs.py). With its RSC permission
the bot gets every message of a team's channels: one that does not @mention it is channel talk
(a question tracked, a reply in a question's thread recorded, as Slack's message events), never a
command.

The rules are the ones Slack's handlers call (bot/...); the database work runs on a worker thread
so the SDK's event loop never blocks. A Teams tenant is a workspace: its team_id is the tenant id.
Every verified activity first stores its conversation reference for later proactive posts. A message
that is no command but a question (bot/questions/rules.py) is tracked as in Slack, and `ask`'s post
too; the suggestion, when there is one, follows in the question's thread (a chat: the chat).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import httpx
from microsoft_teams.api import MessageActivityInput
from microsoft_teams.apps import App

from bot.chat import ChatError
from bot.questions import asking
from bot.questions import posts as questions
from bot.questions import rules as question_rules
from bot.questions.blocks import build_asked
from bot.questions.events import Posted
from bot.questions.rules import is_question
from bot.services import Services
from bot.teams.gate import install_gate
from bot.teams.names import UNKNOWN, mentioned, names_for
from bot.teams.wording import THREAD, for_teams
from bot.text import split_subcommand
from handlers.errors import FAILED, UNAVAILABLE, is_database_down
from handlers.teams import actions, commands, dialogs
from handlers.teams.replies import (
    Card,
    Said,
    Turn,
    activity,
    command_text,
    is_public,
    knowing,
    mentions_bot,
    names_sent,
    replaced,
    thread_root,
    turn_of,
    workspace_of,
)
from storage import conversations as conversation_store
from storage.practices import store_card
from storage.teams_conversations import remember, rename

__all__ = ["command_text", "register", "workspace_of"]
log = logging.getLogger(__name__)


def failure(error: Exception) -> str:
    """What the member is told when handling failed (the traceback goes to the log, never to them)."""
    if is_database_down(error):
        log.warning("database unavailable while handling a Teams activity: %s", type(error).__name__)
        return UNAVAILABLE
    log.exception("failed to handle a Teams activity")
    return FAILED


def as_activity(said: Said, names: Mapping[str, str], turn: Turn) -> MessageActivityInput:
    """`said` as an activity in `turn`'s conversation, each member it mentions by the name in `names`
    (bot/teams/names.py), each conversation as read there."""
    return MessageActivityInput.model_validate(activity(said, lambda user_id: names.get(user_id, UNKNOWN),
                                                        turn.channel_of()))


async def names_in(services: Services, turn: Turn, *said: Said | None) -> tuple[dict[str, str], Turn]:
    """The names of everyone `said` mentions (the member speaking as Teams gave it), and `turn` knowing
    the labels of the conversations it names (bot/teams/names.py), looked up on a worker thread: the
    connector or Slack may be asked."""
    mentions = [user for one in said if one is not None for user in mentioned(for_teams(one))]

    def look_up() -> tuple[dict[str, str], Turn]:
        members = names_for(services, turn.team_id, mentions, (turn.user_id, turn.user_name)) if mentions else {}
        return members, knowing(services.db, turn, *said)

    return await asyncio.to_thread(look_up)


def remember_conversation(services: Services, activity: Any) -> None:
    """Keep the conversation reference a later proactive post needs (tenant, service URL, type), with
    the names Teams sent (a thread's replies are its channel's)."""
    conversation, team_id = activity.conversation, workspace_of(activity)
    if not (team_id and conversation and conversation.id and activity.service_url):
        return
    kind, sent = conversation.conversation_type or "", names_sent(activity)
    turn = turn_of(activity)
    services.names.learn(turn.team_id, turn.user_id, turn.user_name)  # Teams says who speaks: no lookup needed
    channel = conversation.id.partition(THREAD)[0]  # a thread's reply: its channel is the conversation kept
    with services.db.begin() as session:
        remember(session, channel, team_id, activity.service_url, kind,
                 services.clock(), sent.here)
        if sent.channel_id:  # a channel event names a channel of the team it came through
            rename(session, sent.channel_id, team_id, sent.channel)
        for kept in dict.fromkeys((channel, conversation.id)):  # a thread reply's practice keeps the full id
            conversation_store.record(session, team_id, kept, is_public(activity), services.clock())


def addressed(activity: Any) -> bool:
    """A message that speaks to the bot: any in a chat, one that mentions it in a channel."""
    conversation = activity.conversation
    return (conversation.conversation_type if conversation else "") != "channel" or mentions_bot(activity)


def keep_card(services: Services, practice_id: int, conversation_id: str, activity_id: str) -> None:
    with services.db.begin() as session:
        store_card(session, practice_id, conversation_id, activity_id)


def track_question(services: Services, turn: Turn, posted_id: str, text: str) -> int | None:
    """A question (`ask`'s post, or one typed to the bot) tracked like one asked in Slack; its id, None
    when it was already tracked (a redelivered activity)."""
    question = asking.track(services, turn.team_id, turn.conversation_id, posted_id, turn.user_id, text)
    return question.id if question is not None else None


def record_reply(services: Services, turn: Turn, ref: str, root: str, text: str) -> None:
    """A reply in a channel's thread, as Slack's thread reply: an answer to the question the thread is
    under (the asker is prompted in their personal chat), else nothing."""
    channel = turn.conversation_id.partition(THREAD)[0]
    with services.db.begin() as session:
        outcome = question_rules.on_message(session, turn.team_id, Posted(channel, ref, turn.user_id, text, root),
                                            services.clock())
    try:
        questions.replied(services, outcome)
    except (ChatError, httpx.HTTPError) as error:
        log.warning("asker not prompted: %s", type(error).__name__)


def suggest(services: Services, team_id: str, question_id: int) -> None:
    """Slack's one reply to a new question (bot/questions/posts.py), through TeamsChat; a connector
    that fails leaves the question tracked (nudges follow) and the member unbothered."""
    try:
        questions.suggest(services, team_id, question_id)
    except (ChatError, httpx.HTTPError) as error:
        log.warning("no suggestion for question %s: %s", question_id, type(error).__name__)


def register(teams: App, services: Services) -> None:
    @teams.use
    async def every_activity(ctx: Any) -> None:
        await asyncio.to_thread(remember_conversation, services, ctx.activity)
        await ctx.next()

    install_gate(teams, services, workspace_of, addressed)  # the exchange gate (bot/teams/gate.py), first

    @teams.on_message
    async def on_message(ctx: Any) -> None:
        turn = turn_of(ctx.activity)
        if not turn.team_id:
            log.info("teams message without a tenant: ignored")
            return
        text = command_text(ctx.activity.text)
        if not addressed(ctx.activity):
            await channel_talk(turn, ctx.activity, text)  # RSC brings every channel message: never a command
            return
        try:
            said = await asyncio.to_thread(commands.answer, services, turn, text)
        except Exception as error:  # noqa: BLE001 - one short line for the member, the traceback in the log
            said = failure(error)
        word, question = split_subcommand(text)
        asked = None
        if said is None and word == "ask":
            posted = build_asked(turn.user_id, question)
            sent = await ctx.send(as_activity(posted, *await names_in(services, turn, posted)))
            asked = await asyncio.to_thread(track_question, services, turn, sent.id, question)
        elif said is None and (root := thread_root(ctx.activity)):  # a reply in a channel's thread that mentions us
            await asyncio.to_thread(record_reply, services, turn, ctx.activity.id, root, text)
        elif said is None and is_question(text):
            # typed to the bot (a channel's @mention, or a chat), not a reply in a thread (as in Slack)
            asked = await asyncio.to_thread(track_question, services, turn, ctx.activity.id, text)
        elif isinstance(said, Card):
            sent = await ctx.send(as_activity(said.message, *await names_in(services, turn, said.message)))
            await asyncio.to_thread(keep_card, services, said.practice_id, turn.conversation_id, sent.id)
        elif said is not None:
            await ctx.send(as_activity(said, *await names_in(services, turn, said)))
        if asked is not None:
            await asyncio.to_thread(suggest, services, turn.team_id, asked)

    async def channel_talk(turn: Turn, activity: Any, text: str) -> None:
        """A channel message that does not mention the bot, as Slack's message event: a reply in a
        question's thread is recorded, a new post that asks something is tracked (and suggested)."""
        if root := thread_root(activity):
            await asyncio.to_thread(record_reply, services, turn, activity.id, root, text)
        elif is_question(text):
            asked = await asyncio.to_thread(track_question, services, turn, activity.id, text)
            if asked is not None:
                await asyncio.to_thread(suggest, services, turn.team_id, asked)

    @teams.on_card_action_execute
    async def on_button(ctx: Any) -> dict[str, Any]:
        turn = turn_of(ctx.activity)
        verb, value = actions.verb_and_value(ctx.activity)
        try:
            answer = await asyncio.to_thread(actions.press, services, turn, verb, value)
        except Exception as error:  # noqa: BLE001 - one short line for the member, the traceback in the log
            return replaced(failure(error))
        names, turn = await names_in(services, turn, answer.shown, answer.everyone, answer.post)
        if answer.everyone is not None and ctx.activity.reply_to_id:  # the posted card, for everyone
            everyone = as_activity(answer.everyone, names, turn)
            everyone.id = ctx.activity.reply_to_id
            await ctx.send(everyone)
            if answer.card is not None:
                await asyncio.to_thread(keep_card, services, answer.card, turn.conversation_id, everyone.id)
        if answer.post is not None:
            await ctx.send(as_activity(answer.post, names, turn))
        return replaced(answer.shown, names, turn.channel_of())

    async def dialog(step: Any, ctx: Any, whole: bool = False) -> dict[str, Any]:
        """`step` on the invoke's data (`whole`: its whole value, a message action's)."""
        value, turn = ctx.activity.value, turn_of(ctx.activity)
        data = value if whole else (value.data if value else None)
        try:
            response, post = await asyncio.to_thread(step, services, turn, data)
        except Exception as error:  # noqa: BLE001 - the dialog closes with one short line
            return dialogs.closed(failure(error))
        if post is not None:
            await ctx.send(as_activity(post, *await names_in(services, turn, post)))
        return response

    @teams.on_dialog_open
    async def on_dialog_open(ctx: Any) -> dict[str, Any]:
        return await dialog(dialogs.opened, ctx)

    @teams.on_dialog_submit
    async def on_dialog_submit(ctx: Any) -> dict[str, Any]:
        return await dialog(dialogs.submitted, ctx)

    @teams.on_message_ext_open  # a message action (*Save discussion digest*) opens its dialog
    async def on_message_action(ctx: Any) -> dict[str, Any]:
        return await dialog(dialogs.message_action, ctx, whole=True)

    @teams.on_message_ext_submit  # and its dialog's submission
    async def on_message_action_submit(ctx: Any) -> dict[str, Any]:
        return await dialog(dialogs.submitted, ctx)

