"""Teams glue: a message activity (personal chat, group chat, or an @mention in a channel) read as
the same one-line commands as Slack's, answered in the same conversation through the connector.

The rules are the ones Slack's handlers call (bot/practices/oneline.py); the database work runs on
a worker thread so the SDK's event loop never blocks. A Teams tenant is a workspace: its team_id
is the tenant id, a plain string.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from microsoft_teams.api import MessageActivityInput
from microsoft_teams.apps import App

from bot import messages as m
from bot.practices import blocks, oneline
from bot.practices.help import TEAMS_HELP
from bot.render import teams as render
from bot.services import Services
from bot.teams.gate import install_gate
from bot.text import split_subcommand
from storage.teams_conversations import remember

log = logging.getLogger(__name__)
MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
SLACK_ONLY = ("list", "mine", "show", "edit", "delete")  # not yet answered from Teams


def command_text(text: str | None) -> str:
    """The typed command: the bot's @mention (`<at>Roundtable</at>`) and stray markup removed."""
    return " ".join(MENTION.sub(" ", text or "").replace("&nbsp;", " ").split())


def workspace_of(activity: Any) -> str:
    conversation = activity.conversation
    return (conversation.tenant_id if conversation else "") or ""


def answer(services: Services, team_id: str, user_id: str, user_name: str, conversation_id: str,
           text: str) -> m.Message | str | None:
    """What the bot says back to `text`; None when it is not a command Teams answers yet."""
    word, rest = split_subcommand(text)
    if word != "practice":
        return None
    subcommand, words = split_subcommand(rest)
    if not rest or subcommand == "help":
        return TEAMS_HELP
    if subcommand == "search":
        return oneline.search_answer(services, team_id, words, conversation_id, oneline.TEAMS)
    if subcommand in SLACK_ONLY:
        return f"`practice {subcommand}` is answered in Slack for now; from Teams: `practice search` and a one-line share."
    outcome = oneline.quick_share(services, team_id, user_id, rest)
    if not isinstance(outcome, tuple):
        return outcome
    practice, profile = outcome
    sharer = blocks.Sharer(name=user_name, role=profile.role if profile else "", city=profile.city if profile else "",
                           user_id=user_id)
    return blocks.build_card(practice, sharer, [])


def as_activity(message: m.Message | str) -> MessageActivityInput:
    if isinstance(message, str):
        message = m.Message(m.line(message), (m.Paragraph(m.line(message)),))
    return MessageActivityInput.model_validate(render.activity(message))


def remember_conversation(services: Services, activity: Any) -> None:
    """Keep the conversation reference a later proactive post needs (tenant, service URL, type)."""
    conversation, team_id = activity.conversation, workspace_of(activity)
    if not (team_id and conversation and conversation.id and activity.service_url):
        return
    with services.db.begin() as session:
        remember(session, conversation.id, team_id, activity.service_url, conversation.conversation_type or "",
                 services.clock())


def register(teams: App, services: Services) -> None:
    @teams.use
    async def every_activity(ctx: Any) -> None:
        await asyncio.to_thread(remember_conversation, services, ctx.activity)
        await ctx.next()

    install_gate(teams, services, workspace_of)  # the exchange gate (bot/teams/gate.py), before any handler

    @teams.on_message
    async def on_message(ctx: Any) -> None:
        activity = ctx.activity
        team_id = workspace_of(activity)
        if not team_id:
            log.info("teams message without a tenant: ignored")
            return
        said = await asyncio.to_thread(answer, services, team_id, activity.from_.id, activity.from_.name or "",
                                       activity.conversation.id, command_text(activity.text))
        if said is not None:
            await ctx.send(as_activity(said))
