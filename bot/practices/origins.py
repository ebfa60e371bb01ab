"""Which workspace another workspace's practice came from, as the exchange's lines and cards name it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from bot.exchange import exchange_scope
from bot.exchange_requests import named
from bot.services import Services
from storage.practice_rows import PracticeRow
from storage.practices import Practice

ANOTHER = "another workspace"


def workspace_name(services: Services, team_id: str) -> str:
    """The workspace's name as its installation gave it, else "another workspace"."""
    return named(services, team_id).name or ANOTHER


def origins(services: Services, team_id: str, practices: Iterable[Practice | PracticeRow]) -> dict[str, str]:
    """Team id -> workspace name, for the practices not `team_id`'s own."""
    return {other: workspace_name(services, other) for other in sorted({p.team_id for p in practices} - {team_id})}


def home_scope(session: Session, services: Services) -> dict[str, Any]:
    """bot.home.HomeContext's exchange fields: the scope its newest practices come from, and their names."""
    return {"teams": exchange_scope(session, services.settings), "origin": lambda other: workspace_name(services, other)}
