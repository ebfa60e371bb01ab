"""Digest search: digests with every word, else those with any, asked for in one statement."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from storage import conversations
from storage.db import Database
from storage.digests import LINK_COLUMNS, Digest, DigestText, save_digest, search_digest_links, search_digests
from tests.storage.test_digest_presence import statements

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def save(db: Database, team: str, ts: str, title: str, body: str) -> None:
    with db.begin() as session:
        save_digest(session, team, "U0SAVER", DigestText("C0PUBLIC", ts, title, body, ["U0SAVER"], 3), NOW)


def test_every_word_first_else_any_word_in_one_statement(db: Database) -> None:
    team = f"T0TIERS{id(db)}"
    save(db, team, "1795000001.000100", "Wireless hotspots", "Downtown wireless paid by the parking fund")
    save(db, team, "1795000002.000100", "Parking meters", "Meters that take phones")
    save(db, team, "1795000003.000100", "Hotspot permits", "Permits for wireless poles")
    with db.read() as session:  # the presence check may ask once
        search_digests(session, team, "wireless")
    seen = statements(db)
    with db.read() as session:
        every = search_digests(session, team, "wireless parking", here="C0PUBLIC")
    assert [d.title for d in every] == ["Wireless hotspots"]  # any-word matches are not added
    assert len(seen) == 1
    with db.read() as session:
        anyword = search_digests(session, team, "parking poles", here="C0PUBLIC")
    assert sorted(d.title for d in anyword) == ["Hotspot permits", "Parking meters", "Wireless hotspots"]
    assert len(seen) == 2
    with db.read() as session:
        assert [d.title for d in search_digests(session, team, "parking poles", limit=1, here="C0PUBLIC")] == [
            anyword[0].title]
        assert search_digests(session, team, "nothing matches", here="C0PUBLIC") == []


def test_the_links_a_practice_search_shows_are_search_digests_own_in_its_order(db: Database) -> None:
    """search_digest_links reads only what a link shows, but the same digests in the same order:
    every word, any word, equal ranks (newest id first), the limit, `here` and the exchange scope."""
    team, other = f"T0LINKS{id(db)}", f"T0LINKX{id(db)}"
    for n, (title, body) in enumerate([("Wireless hotspots", "Downtown wireless paid by the parking fund"),
                                       ("Parking meters", "Meters that take phones"),
                                       ("Hotspot permits", "Permits for wireless poles"),
                                       ("Wireless wireless", "Wireless parking"), ("Budget", "Payroll")]):
        save(db, team, f"17950000{n:02d}.000100", title, body)
    for n in range(3):  # equal ranks: the same words in each
        save(db, team, f"17950001{n:02d}.000100", "Snow routes", "Plowing snow routes")
    save(db, other, "1795000099.000100", "Wireless elsewhere", "Parking")
    with db.begin() as session:  # public in both workspaces: shown without `here`, and across the exchange
        for workspace in (team, other):
            conversations.record(session, workspace, "C0PUBLIC", True, NOW)
    shown = []
    for query, limit, here, teams in [("wireless", 10, "", ()), ("wireless parking", 10, "C0PUBLIC", ()),
                                      ("parking poles", 2, "C0PUBLIC", ()), ("snow routes", 10, "", ()),
                                      ("wireless", 10, "", (other,)), ("nothing", 10, "", ()), ("", 10, "", ())]:
        with db.read() as session:
            whole = search_digests(session, team, query, limit, here=here, teams=teams)
            links = search_digest_links(session, team, query, limit, here=here, teams=teams)
        assert [[getattr(d, name) for name in LINK_COLUMNS] for d in whole] == [
            [getattr(link, name) for name in LINK_COLUMNS] for link in links], query
        shown.append(len(links))
    assert shown == [3, 2, 2, 3, 4, 0, 0]


def test_the_work_grows_with_the_matches_not_with_the_digests_shown(db: Database) -> None:
    """SQLite: the digests a search may show (public ones and `here`'s) are many; those that match
    are few. Planned from the team's digests, every one of them ran the full-text query again (a
    search in a channel with 1,000 digests took 80-120 ms of CPU); the index is searched once."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans the GIN index first (measured: bench/listener_work.py)")
    team = f"T0WORK{id(db)}"
    save(db, team, "1795000001.000100", "Wireless hotspots", "Downtown wireless paid by the parking fund")

    def steps() -> int:
        """SQLite virtual machine steps (in thousands) the search takes."""
        counted = [0]
        with db.read() as session:
            raw = session.connection().connection.dbapi_connection
            raw.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1), 1000)
            try:
                found = search_digests(session, team, "wireless parking", here="C0PUBLIC")
            finally:
                raw.set_progress_handler(None, 1000)
        assert [d.title for d in found] == ["Wireless hotspots"]
        return counted[0]

    few = steps()
    with db.begin() as session:
        session.execute(insert(Digest.__table__), [
            {"team_id": team, "channel_id": "C0PUBLIC", "thread_ts": f"1795100{n:03d}.000100", "title": f"Budget {n}",
             "body": "Payroll and procurement", "participant_ids": [], "message_count": 2, "saved_by": "U0SAVER",
             "message_ts": "", "permalink": "", "created_at": NOW, "updated_at": NOW} for n in range(400)])
    assert steps() <= few + 5


def test_any_word_matches_are_not_ranked_when_every_word_has_a_digest(db: Database) -> None:
    """SQLite: the any-word tier's matches were ranked (bm25 over every digest with either word: in
    the bench, most of a search's digest cost) before the statement found a digest with every word
    and threw them away; now that tier's full-text query runs only when it can show something."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL checks the one-time filter before the scan")
    team = f"T0ANY{id(db)}"
    save(db, team, "1795000001.000100", "Wireless hotspots", "Downtown wireless paid by the parking fund")

    def steps() -> int:
        """SQLite virtual machine steps (in hundreds) the search takes."""
        counted = [0]
        with db.read() as session:
            raw = session.connection().connection.dbapi_connection
            raw.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1), 100)
            try:
                found = search_digests(session, team, "wireless parking", here="C0PUBLIC")
            finally:
                raw.set_progress_handler(None, 100)
        assert [d.title for d in found] == ["Wireless hotspots"]
        return counted[0]

    few = steps()
    with db.begin() as session:  # 400 digests with one of the two words
        session.execute(insert(Digest.__table__), [
            {"team_id": team, "channel_id": "C0PUBLIC", "thread_ts": f"1795100{n:03d}.000100", "title": f"Parking {n}",
             "body": "Meters that take phones", "participant_ids": [], "message_count": 2, "saved_by": "U0SAVER",
             "message_ts": "", "permalink": "", "created_at": NOW, "updated_at": NOW} for n in range(400)])
    # Ranking them took 8,000-9,000 steps more; FTS5 reading its grown index takes a few hundred.
    assert steps() <= few + 10
