"""Who is in the exchange: pending until an exchange moderator decides, unless listed or the host."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot import exchange
from bot.config import ConfigError, Settings, load_settings
from storage.db import Database
from storage.exchange import APPROVED, DECLINED, PENDING, members

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
HOST, BOSTON, DENVER, AUSTIN = "T0HOST", "T0BOSTON", "T0DENVER", "T0AUSTIN"
DISTRIBUTION = Settings(client_id="1.2", client_secret="s", secret_keys=("k",))


def moderators(*who: tuple[str, str]):  # noqa: ANN201 - services.is_moderator's shape
    return lambda team, user: (team, user) in who


def test_the_first_workspace_is_the_host_and_approved_the_next_one_waits(db: Database) -> None:
    with db.begin() as session:
        assert exchange.admit(session, DISTRIBUTION, HOST, NOW) == APPROVED
        assert exchange.admit(session, DISTRIBUTION, BOSTON, NOW) == PENDING
    with db.begin() as session:
        assert exchange.host_team(session, DISTRIBUTION) == HOST
        assert exchange.refusal(session, DISTRIBUTION, BOSTON) == exchange.PENDING_MESSAGE
        assert exchange.refusal(session, DISTRIBUTION, HOST) is None
        assert exchange.refusal(session, DISTRIBUTION, AUSTIN) == exchange.PENDING_MESSAGE  # never installed
        assert exchange.approved_teams(session, DISTRIBUTION) == {HOST}


def test_listed_workspaces_are_approved_on_install_and_a_reinstall_keeps_the_status(db: Database) -> None:
    settings = dataclasses.replace(DISTRIBUTION, exchange_team_ids=frozenset({DENVER}),
                                   exchange_host_team_id=HOST)
    with db.begin() as session:
        assert exchange.admit(session, settings, BOSTON, NOW) == PENDING  # not the host: the host is named
        assert exchange.admit(session, settings, DENVER, NOW) == APPROVED
        assert exchange.admit(session, settings, BOSTON, NOW) == PENDING
        assert exchange.approved_teams(session, settings) == {HOST, DENVER}


def test_only_an_exchange_moderator_approves_or_declines(db: Database) -> None:
    is_moderator = moderators((HOST, "U0HOSTMOD"), (BOSTON, "U0BOSMOD"))
    with db.begin() as session:
        exchange.admit(session, DISTRIBUTION, HOST, NOW)
        exchange.admit(session, DISTRIBUTION, BOSTON, NOW)
        exchange.admit(session, DISTRIBUTION, DENVER, NOW)
    with db.begin() as session:
        # Boston's own moderator cannot let Boston (or Denver) in
        assert not exchange.settle(session, DISTRIBUTION, BOSTON, True, BOSTON, "U0BOSMOD", NOW, is_moderator)
        assert not exchange.settle(session, DISTRIBUTION, DENVER, True, HOST, "U0NOBODY", NOW, is_moderator)
        assert exchange.status(session, DISTRIBUTION, BOSTON) == PENDING
        assert exchange.settle(session, DISTRIBUTION, BOSTON, True, HOST, "U0HOSTMOD", NOW, is_moderator)
        assert exchange.settle(session, DISTRIBUTION, DENVER, False, HOST, "U0HOSTMOD", NOW, is_moderator)
        assert not exchange.settle(session, DISTRIBUTION, AUSTIN, True, HOST, "U0HOSTMOD", NOW, is_moderator)
    with db.begin() as session:
        assert exchange.refusal(session, DISTRIBUTION, BOSTON) is None
        assert exchange.refusal(session, DISTRIBUTION, DENVER) == exchange.DECLINED_MESSAGE
        assert members(session, DECLINED) == [DENVER]
        assert exchange.approved_teams(session, DISTRIBUTION) == {HOST, BOSTON}
        assert exchange.is_exchange_moderator(session, DISTRIBUTION, HOST, "U0HOSTMOD", is_moderator)
        assert not exchange.is_exchange_moderator(session, DISTRIBUTION, BOSTON, "U0BOSMOD", is_moderator)


def test_single_workspace_mode_is_always_the_approved_host(db: Database) -> None:
    with db.begin() as session:
        assert exchange.status(session, Settings(), "T0ANY") == APPROVED
        assert exchange.refusal(session, Settings(), "T0ANY") is None


def test_exchange_settings_are_read_and_checked() -> None:
    settings = load_settings({"EXCHANGE_TEAM_IDS": "T0BOSTON, T0DENVER", "EXCHANGE_HOST_TEAM_ID": "T0HOST"},
                             dotenv=False)
    assert settings.exchange_team_ids == {BOSTON, DENVER} and settings.exchange_host_team_id == HOST
    with pytest.raises(ConfigError, match="EXCHANGE_TEAM_IDS"):
        load_settings({"EXCHANGE_TEAM_IDS": "T0BOSTON, <script>"}, dotenv=False)


def test_two_first_installs_together_make_one_host(db: Database, database_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Both see no host yet (the barrier holds each after that read on PostgreSQL; SQLite's writers
    queue); exactly one becomes the host, the other waits for its approval."""
    import threading

    from tests.harness import run_together

    together = threading.Barrier(2)
    looked = exchange.host_team

    def host_then_wait(session, settings):  # noqa: ANN001, ANN202 - host_team's shape
        found = looked(session, settings)
        if database_url.startswith("postgresql"):
            together.wait(timeout=10)
        return found

    monkeypatch.setattr(exchange, "host_team", host_then_wait)
    statuses: dict[str, str] = {}

    def install(team_id: str) -> None:
        with db.begin() as session:
            statuses[team_id] = exchange.admit(session, DISTRIBUTION, team_id, NOW)

    run_together(install, [BOSTON, DENVER])
    monkeypatch.undo()
    assert sorted(statuses.values()) == [APPROVED, PENDING]
    with db.begin() as session:
        host = exchange.host_team(session, DISTRIBUTION)
        assert host in (BOSTON, DENVER) and statuses[host] == APPROVED
        assert exchange.approved_teams(session, DISTRIBUTION) == {host}
        assert set(members(session, PENDING)) == {BOSTON, DENVER} - {host}
