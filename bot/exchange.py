"""Who is in the exchange (issue 12): the rule, as plain functions over storage/exchange.py.

One deployment is one exchange. A workspace that installs is pending until an exchange moderator
approves it, unless its id is in EXCHANGE_TEAM_IDS or it is the host (EXCHANGE_HOST_TEAM_ID, else
the first workspace that joined; in single-workspace mode the one workspace). The exchange
moderators are the host's moderators. Members of a pending or declined workspace get NOT_MEMBER
for every command and action, and see no exchange content.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from threading import Lock
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.config import Settings
from storage.exchange import (
    APPROVED,
    DECLINED,
    PENDING,
    decide,
    first_host,
    join,
    members,
    platform_of,
    status_of,
)
from storage.sql import Reader

if TYPE_CHECKING:
    from bot.services import Services

PENDING_MESSAGE = ("Your workspace has asked to join the Roundtable exchange; an exchange moderator has not "
                   "approved it yet. You will be able to use Roundtable once they do.")
DECLINED_MESSAGE = "Your workspace is not part of the Roundtable exchange, so Roundtable is not available here."
ADMITTED_SECONDS = 10.0  # an approved workspace is trusted this long per process without a read
ADMITTED_KEPT = 10_000  # workspaces remembered per process (the least recently approved go first)


def host_team(session: Reader, settings: Settings) -> str | None:
    """EXCHANGE_HOST_TEAM_ID, else the first workspace that joined."""
    if settings.exchange_host_team_id:
        return settings.exchange_host_team_id
    return first_host(session)


def admit(session: Session, settings: Settings, team_id: str, now: datetime, platform: str = "slack",
          as_host: bool = False) -> str:
    """A workspace installed: record it (approved if listed or the host, else pending); its status.
    A reinstall keeps the status it had, except the host (`as_host`: SLACK_BOT_TOKEN's), always approved."""
    known = status_of(session, team_id)
    if as_host and known != APPROVED:
        if known is None:
            join(session, team_id, APPROVED, now, platform, host=True)
        else:
            decide(session, team_id, APPROVED, "SLACK_BOT_TOKEN", now)
        return APPROVED
    if known is not None:
        return known
    host = host_team(session, settings)
    if host is None and join(session, team_id, APPROVED, now, platform, host=True):
        return APPROVED
    # Another workspace became the host meanwhile (the unique host index let one of them): this one waits.
    listed = team_id in settings.exchange_team_ids or team_id == host
    join(session, team_id, APPROVED if listed else PENDING, now, platform)
    return status_of(session, team_id) or PENDING


def status(session: Session, settings: Settings, team_id: str) -> str:
    """The workspace's status; single-workspace mode: always approved for the one Slack workspace
    (the host), while a Teams tenant is gated in every mode."""
    if not settings.distribution and platform_of(session, team_id) != "teams":
        return APPROVED
    if team_id and (team_id in settings.exchange_team_ids or team_id == settings.exchange_host_team_id):
        return APPROVED
    return status_of(session, team_id) or PENDING


def refusal(session: Session, settings: Settings, team_id: str) -> str | None:
    """The one short explanation a member of a workspace outside the exchange gets, or None if it is in."""
    current = status(session, settings, team_id)
    if current == APPROVED:
        return None
    return DECLINED_MESSAGE if current == DECLINED else PENDING_MESSAGE


class Admitted:
    """Workspaces the gate recently found in the exchange, so a request of theirs reads nothing: each
    for ADMITTED_SECONDS (another web worker's decline reaches this process within that time; one made
    here is forgotten at once, see exchange_requests.settle). A refusal is never kept, so an approval
    is seen by every process at once. Bounded and thread-safe."""

    def __init__(self, seconds: float = ADMITTED_SECONDS, kept: int = ADMITTED_KEPT) -> None:
        self.ttl, self.kept = timedelta(seconds=seconds), kept
        self._until: OrderedDict[str, datetime] = OrderedDict()
        self._lock = Lock()

    def fresh(self, team_id: str, now: datetime) -> bool:
        with self._lock:
            until = self._until.get(team_id)
            return until is not None and now < until

    def remember(self, team_id: str, now: datetime) -> None:
        with self._lock:
            self._until[team_id] = now + self.ttl
            self._until.move_to_end(team_id)
            while len(self._until) > self.kept:
                self._until.popitem(last=False)

    def forget(self, team_id: str) -> None:
        with self._lock:
            self._until.pop(team_id, None)


def gate_refusal(services: Services, team_id: str) -> str | None:
    """`refusal` for one request of `team_id`, an approval remembered in services.admitted."""
    now = services.clock()
    if services.admitted.fresh(team_id, now):
        return None
    with services.db.read() as session:
        found = refusal(session, services.settings, team_id)
    if found is None:
        services.admitted.remember(team_id, now)
    return found


def approved_teams(session: Reader, settings: Settings) -> frozenset[str]:
    """The exchange scope: every workspace whose content the exchange shares."""
    teams = set(members(session, APPROVED)) | set(settings.exchange_team_ids)
    host = host_team(session, settings)
    if host:
        teams.add(host)
    return frozenset(teams)


def exchange_scope(session: Reader, settings: Settings) -> frozenset[str]:
    """The workspaces a search reaches beyond the asker's own: none for a lone Slack workspace; with
    Slack distribution or Teams, every approved workspace and tenant."""
    return approved_teams(session, settings) if settings.distribution or settings.teams_app_id else frozenset()


def is_exchange_moderator(session: Session, settings: Settings, team_id: str, user_id: str,
                          is_moderator: Callable[[str, str], bool]) -> bool:
    """A moderator of the host workspace (is_moderator is services.is_moderator)."""
    host = host_team(session, settings) if settings.distribution else team_id
    return host is not None and team_id == host and is_moderator(team_id, user_id)


def settle(session: Session, settings: Settings, team_id: str, approve: bool, by_team: str, by_user: str,
           now: datetime, is_moderator: Callable[[str, str], bool]) -> bool:
    """An exchange moderator approves or declines a workspace; False (nothing changes) for anyone else."""
    if not is_exchange_moderator(session, settings, by_team, by_user, is_moderator):
        return False
    return decide(session, team_id, APPROVED if approve else DECLINED, f"{by_team}:{by_user}", now)


def admit_installed(services: Services, team_id: str) -> str:
    """The install flow's hook: record the workspace; a pending one is put to the exchange moderators."""
    with services.db.begin() as session:
        new = status_of(session, team_id) is None
        current = admit(session, services.settings, team_id, services.clock())
    if new and current == PENDING:
        from bot.exchange_requests import ask_moderators

        ask_moderators(services, team_id)
    return current
