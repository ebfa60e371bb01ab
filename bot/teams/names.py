"""Who a mention in a Teams card names: a Teams member by the name Teams gives (the one speaking,
else the connector's members API, kept in `services.names`), a member of another platform (a Slack
member of the exchange) by the name the bot knows for them, as text: Teams cannot mention them.
Never a raw id: "a member" when no name is known. A conversation is named by the label the bot keeps
for it (`conversation_labels`: what Teams called it, storage/teams_conversations.py).

Names are looked up before rendering, on a worker thread (`names_for`), so the SDK's event loop
never waits on a platform call; the renderer then only reads the dict.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot import exchange
from bot import messages as m
from bot.render.slack import USER_ID as SLACK_MEMBER
from bot.services import Services
from bot.teams.wording import label
from storage.db import Database
from storage.teams_conversations import names_of

log = logging.getLogger("roundtable.teams")
UNKNOWN = "a member"


def mentioned(message: m.Message) -> list[str]:
    """Everyone the message (its notification text too) mentions."""
    return m.mentions(m.Message(message.fallback, (m.Paragraph(message.fallback), *message.parts)))


def other_platform_name(services: Services, user_id: str) -> str:
    """A Slack member's name: kept from an earlier lookup in any workspace, else the host workspace's
    users.info (single-workspace Slack, SLACK_BOT_TOKEN); "" when nobody can tell."""
    known = services.names.known_anywhere(user_id)
    if known or not services.settings.bot_token:
        return known
    with services.db.read() as session:
        host = exchange.host_team(session, services.settings)
    if not host or services.platform_of(host) != "slack":
        return ""
    try:
        return services.names.display_name(services.chat_for(host), host, user_id)
    except Exception as error:  # noqa: BLE001 - Slack unreachable: the card still goes out, unnamed
        log.warning("no name for a member of another platform: %s", type(error).__name__)
        return ""


def name_of(services: Services, tenant_id: str, user_id: str) -> str:
    if not SLACK_MEMBER.fullmatch(user_id):  # Teams' own ("29:...", an Entra object id)
        try:
            name = services.names.display_name(services.chat_for(tenant_id), tenant_id, user_id)
        except Exception as error:  # noqa: BLE001 - the connector unreachable: shown unnamed
            log.warning("no name for teams member: %s", type(error).__name__)
            name = ""
    else:
        name = other_platform_name(services, user_id)
    return name or UNKNOWN


def names_for(services: Services, tenant_id: str, user_ids: Iterable[str], speaker: tuple[str, str] = ("", "")
              ) -> dict[str, str]:
    """The name of each member in `user_ids`; `speaker` (id, name) as Teams sent it with the activity."""
    out = {speaker[0]: speaker[1]} if speaker[0] and speaker[1] else {}
    for user_id in user_ids:
        if user_id not in out:
            out[user_id] = name_of(services, tenant_id, user_id)
    return out


def conversation_labels(db: Database, tenant_id: str, conversation_ids: Iterable[str]) -> dict[str, str]:
    """The label ("Team › Channel", a group chat's name) of each of the tenant's conversations in
    `conversation_ids` that Teams has named."""
    wanted = set(conversation_ids)
    if not wanted:
        return {}
    with db.read() as session:
        named = names_of(session, tenant_id, wanted)
    return {c: label(name, team_name) for c, (name, team_name) in named.items()}
