"""A Teams tenant in the exchange (issues 12 and 13): recorded on its first verified activity, then
gated like a Slack workspace by bot/exchange.py's rule.

A tenant joins pending (exchange_member, platform "teams") unless its id is in EXCHANGE_TEAM_IDS, and
the exchange moderators get the same approval DM and Home item as for a Slack workspace. With a
single Slack workspace (SLACK_BOT_TOKEN, no distribution), that workspace is recorded as the host
first, so its moderators decide; with no Slack at all, the first tenant is the host. Members of a
pending or declined tenant get the one short explanation for every message addressed to the bot and
every invoke (in a channel or group chat, privately in their personal chat), and nothing else runs
(no command, no exchange content); other activities (installs), and channel talk that does not
mention the bot (the app's RSC permission brings every channel message), just stop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx

from bot import exchange
from bot import messages as m
from bot.chat import ChatError
from bot.services import Services
from storage.exchange import PENDING, status_of

log = logging.getLogger("roundtable.teams")
EXPLAINED = ("message", "invoke")  # what a member did; other activities are stopped silently


def _record_slack_host(services: Services) -> None:
    """Single-workspace Slack: the SLACK_BOT_TOKEN's workspace is the exchange's host."""
    settings = services.settings
    if settings.distribution or not settings.bot_token or settings.exchange_host_team_id:
        return
    with services.db.read() as session:
        if exchange.host_team(session, settings) is not None:
            return
    try:
        host = services.chat.workspace().team_id  # auth.test, outside any transaction
    except Exception as error:  # noqa: BLE001 - Slack unreachable: the tenant waits for a host
        log.warning("no host recorded for the exchange (%s)", type(error).__name__)
        return
    with services.db.begin() as session:
        exchange.admit(session, settings, host, services.clock(), as_host=True)


def admit_tenant(services: Services, tenant_id: str) -> str:
    """Record a tenant the first time it is heard from; its status. A pending one is put to the
    exchange moderators once."""
    with services.db.read() as session:
        known = status_of(session, tenant_id)
    if known is not None:
        return known
    _record_slack_host(services)
    with services.db.begin() as session:
        new = status_of(session, tenant_id) is None
        current = exchange.admit(session, services.settings, tenant_id, services.clock(), platform="teams")
    log.info("teams tenant %s joined the exchange: %s", tenant_id, current)
    if new and current == PENDING:
        from bot.exchange_requests import ask_moderators

        ask_moderators(services, tenant_id)
    return current


def refusal_for(services: Services, tenant_id: str) -> str | None:
    """The explanation for a member of `tenant_id`, or None when the tenant is in the exchange."""
    admit_tenant(services, tenant_id)
    with services.db.read() as session:
        return exchange.refusal(session, services.settings, tenant_id)


def install_gate(teams: Any, services: Services, tenant_of: Callable[[Any], str],
                 addressed: Callable[[Any], bool] = lambda activity: True) -> None:
    """The SDK middleware: register it after the conversation-reference one, before any handler.
    `addressed`: whether a message activity speaks to the bot (in a channel: mentions it)."""

    @teams.use
    async def exchange_gate(ctx: Any) -> None:
        activity = ctx.activity
        tenant_id = tenant_of(activity)
        if not tenant_id:
            log.info("teams %s without a tenant: ignored", activity.type)
            return
        refusal = await asyncio.to_thread(refusal_for, services, tenant_id)
        if refusal is None:
            await ctx.next()
            return
        log.info("refused: teams tenant %s is not in the exchange (%s)", tenant_id, activity.type)
        if activity.type not in EXPLAINED or (activity.type == "message" and not addressed(activity)):
            return
        conversation = activity.conversation
        if (conversation.conversation_type or "personal") == "personal":
            await ctx.send(refusal)
        else:  # a channel or group chat: privately, in the member's 1:1 chat (Teams has no ephemeral)
            await asyncio.to_thread(explain_privately, services, tenant_id, conversation.id, activity.from_.id, refusal)


def explain_privately(services: Services, tenant_id: str, conversation_id: str, user_id: str, text: str) -> None:
    try:
        services.chat_for(tenant_id).post_private(conversation_id, user_id, m.Message(m.line(text), (m.Paragraph(m.line(text)),)))
    except (ChatError, httpx.HTTPError) as error:
        log.warning("explanation to a member of tenant %s not delivered: %s", tenant_id, type(error).__name__)
