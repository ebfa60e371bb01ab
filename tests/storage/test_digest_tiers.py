"""Digest search: digests with every word, else those with any, asked for in one statement."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database
from storage.digests import DigestText, save_digest, search_digests
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
