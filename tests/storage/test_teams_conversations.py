"""Teams conversation references with their names (0018): kept across the upgrade, refreshed by a
rename, never blanked by an activity that omits them; on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from storage.db import Database, downgrade, upgrade
from storage.teams_conversations import Named, names_of, reference, remember, rename

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
BUDGET = "19:budget@thread.tacv2"


def test_upgrade_from_0017_keeps_every_reference_unnamed(db: Database) -> None:
    downgrade(db.engine, "0017_slack_connect")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO teams_conversation (conversation_id, tenant_id, service_url, conversation_type,"
                          " seen_at) VALUES (:id, 'tenant-1', 'https://smba.example/amer/', 'channel', :at)"),
                     {"id": BUDGET, "at": NOW})
    upgrade(db.engine)
    with db.read() as session:
        kept = reference(session, BUDGET)
        assert kept is not None and (kept.tenant_id, kept.service_url, kept.conversation_type) == (
            "tenant-1", "https://smba.example/amer/", "channel")
        assert (kept.name, kept.team_name, kept.team_ref) == (None, None, None)
    with db.begin() as session:
        remember(session, BUDGET, "tenant-1", "https://smba.example/amer/", "channel", NOW, Named("Budget", "City Ops"))
    with db.read() as session:
        assert names_of(session, "tenant-1", [BUDGET, "19:other@thread.tacv2"]) == {BUDGET: ("Budget", "City Ops")}


def test_names_follow_a_rename_and_an_activity_without_them_keeps_them(db: Database) -> None:
    def seen(name: str = "", team_name: str = "") -> None:
        with db.begin() as session:
            remember(session, BUDGET, "tenant-1", "https://smba.example/", "channel", NOW, Named(name, team_name))

    seen("Budget", "City Ops")
    seen()
    seen(team_name="City Ops")
    with db.read() as session:
        assert names_of(session, "tenant-1", [BUDGET]) == {BUDGET: ("Budget", "City Ops")}
    seen("Budget 2027")
    with db.read() as session:
        assert names_of(session, "tenant-1", [BUDGET]) == {BUDGET: ("Budget 2027", "City Ops")}
        assert names_of(session, "tenant-2", [BUDGET]) == {}  # another tenant's conversation is not named


def test_a_teams_name_reaches_its_channels_and_follows_a_rename(db: Database) -> None:
    general, url = "19:general@thread.tacv2", "https://smba.example/"
    with db.begin() as session:  # the install, in the team's default channel, names the team
        remember(session, general, "tenant-1", url, "channel", NOW, Named("", "City Ops", "General", general))
        remember(session, BUDGET, "tenant-1", url, "channel", NOW, Named("Budget", "", "", general))  # no team name
        remember(session, "19:parks@thread.tacv2", "tenant-1", url, "channel", NOW, Named("Parks", "", "", "19:other"))
    with db.read() as session:
        assert names_of(session, "tenant-1", [general, BUDGET, "19:parks@thread.tacv2"]) == {
            general: ("General", "City Ops"), BUDGET: ("Budget", "City Ops"), "19:parks@thread.tacv2": ("Parks", "")}
    with db.begin() as session:  # teamRenamed, through the default channel; General keeps its name
        rename(session, general, "tenant-1", Named("", "Operations", "General", general))
        remember(session, general, "tenant-1", url, "channel", NOW, Named("Town Hall", "", "General", general))
        remember(session, general, "tenant-1", url, "channel", NOW, Named("", "", "General", general))
    with db.read() as session:
        assert names_of(session, "tenant-1", [general, BUDGET]) == {
            general: ("Town Hall", "Operations"), BUDGET: ("Budget", "Operations")}
