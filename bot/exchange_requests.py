"""A pending workspace put to the exchange moderators (issue 12): a DM to each with Approve /
Decline (a confirm on Decline), the same in the host's Home tab, and what a press does.

Messages are composed here in neutral terms (bot/messages.py) and sent with the host's token
(services.chat_for(host)). The exchange moderators are the host's moderators: MODERATOR_USER_IDS
and the host members given the moderator role (`/profile`); a workspace admin of the host sees the
requests in the Home tab (services.is_moderator)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import exchange
from bot import messages as m
from bot.chat import ChatError
from bot.services import Services
from storage.exchange import APPROVED, DECLINED, PENDING, decide, members
from storage.profiles import Profile

log = logging.getLogger("roundtable.exchange")

APPROVE, DECLINE = "exchange_approve", "exchange_decline"
REQUESTS_ROW = "exchange_request"
NOT_EXCHANGE_MODERATOR = "Only an exchange moderator (a moderator of the host workspace) can approve or decline a workspace."
UNKNOWN = "That workspace has not asked to join the exchange (or was removed), so nothing changed."


@dataclass(frozen=True)
class Request:
    team_id: str
    name: str = ""  # the workspace's name, as its installation gave it


def request_parts(request: Request) -> tuple[m.Part, ...]:
    """One pending workspace, with its two buttons."""
    name = m.bold(request.name or request.team_id, cut=80)
    decline = m.Confirm("Decline this workspace?",
                        m.line("Its members will not be able to use Roundtable or see the exchange's content."),
                        "Decline", "Cancel", "danger")
    return (m.Paragraph(m.line(name, f" ({request.team_id}) installed Roundtable and asks to join the exchange. "
                               "Approved, its members share and see the exchange's practices, digests and profiles.")),
            m.Actions((m.Button("Approve this workspace", APPROVE, request.team_id, "primary"),
                       m.Button("Decline this workspace", DECLINE, request.team_id, "danger", decline)), id=REQUESTS_ROW))


def request_message(request: Request) -> m.Message:
    return m.Message(m.line("A workspace asks to join the exchange: ", m.Text(request.name or request.team_id)),
                     request_parts(request))


def decided_message(request: Request, approved: bool, by_user: str) -> m.Message:
    """What the DM says once a moderator pressed a button (it replaces the buttons)."""
    what = "approved" if approved else "declined"
    text = m.line(m.bold(request.name or request.team_id, cut=80), f" ({request.team_id}) was {what} by ",
                  m.Mention(by_user), ".")
    return m.Message(text, (m.Paragraph(text),))


def home_parts(requests: list[Request]) -> tuple[m.Part, ...]:
    """The host Home tab's section for an exchange moderator; nothing when no workspace waits."""
    if not requests:
        return ()
    parts: list[m.Part] = [m.Heading("Workspaces asking to join the exchange")]
    for request in requests:
        parts += request_parts(request)
    return tuple(parts)


def host_moderators(session: Session, services: Services, host: str) -> list[str]:
    role = select(Profile.user_id).where(Profile.team_id == host, Profile.role == "moderator")
    return sorted(set(services.settings.moderator_user_ids) | set(session.scalars(role)))


def named(services: Services, team_id: str) -> Request:
    bot = services.installs.store.find_bot(enterprise_id=None, team_id=team_id) if services.installs else None
    return Request(team_id, (bot.team_name or "") if bot is not None else "")


def pending_requests(services: Services, team_id: str) -> list[Request]:
    """What the host's Home tab lists (nothing for another workspace); names read after the transaction."""
    with services.db.begin() as session:
        waiting = members(session, PENDING) if team_id == exchange.host_team(session, services.settings) else []
    return [named(services, pending) for pending in waiting]


def ask_moderators(services: Services, team_id: str) -> int:
    """DM each exchange moderator about a pending workspace; how many DMs went out."""
    with services.db.begin() as session:
        host = exchange.host_team(session, services.settings)
        moderators = host_moderators(session, services, host) if host else []
    if not host or not moderators:
        log.warning("workspace %s waits for approval; the exchange has no moderator to ask", team_id)
        return 0
    message, sent = request_message(named(services, team_id)), 0
    for user_id in moderators:
        try:
            services.chat_for(host).send_direct(user_id, message)
            sent += 1
        except (ChatError, LookupError) as error:
            log.warning("approval request for %s not sent to %s: %s", team_id, user_id, type(error).__name__)
    return sent


def settle(services: Services, team_id: str, approve: bool, by_team: str, by_user: str) -> str | None:
    """A press of Approve / Decline: None when done, else the short reason nothing changed. (The
    moderator check runs outside the transaction: it may ask the platform who the member is.)"""
    with services.db.begin() as session:
        host = exchange.host_team(session, services.settings)
    if host is None or by_team != host or not services.is_moderator(by_team, by_user):
        return NOT_EXCHANGE_MODERATOR
    with services.db.begin() as session:
        if not decide(session, team_id, APPROVED if approve else DECLINED, f"{by_team}:{by_user}", services.clock()):
            return UNKNOWN
    services.admitted.forget(team_id)  # this process's gate reads the decision on the next request
    log.info("workspace %s %s by %s:%s", team_id, "approved" if approve else "declined", by_team, by_user)
    return None
