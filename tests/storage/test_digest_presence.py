"""A search skips the digest query for a team without digests; the answer expires, is bounded, and
a digest saved in this process is searchable at once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event

from storage.db import Database
from storage.digest_presence import Presence
from storage.digests import DigestText, save_digest, search_digests

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_trusted_for_its_ttl_then_asked_again() -> None:
    clock, asked = Ticks(), []
    presence = Presence(ttl=30, clock=clock)
    ask = lambda: asked.append(1) or False  # noqa: E731
    assert presence.has("db", "T1", ask) is False and presence.has("db", "T1", ask) is False
    assert len(asked) == 1
    clock.now = 31
    presence.has("db", "T1", ask)
    assert len(asked) == 2
    presence.note("db", "T1")  # a digest was inserted here: known at once
    assert presence.has("db", "T1", ask) is True and len(asked) == 2


def test_at_most_kept_teams_are_remembered_least_recent_first_out() -> None:
    presence = Presence(kept=3, clock=Ticks())
    for n in range(5):
        presence.has("db", f"T{n}", lambda: False)
    assert len(presence) == 3
    asked = []
    presence.has("db", "T0", lambda: asked.append(1) or False)
    presence.has("db", "T4", lambda: asked.append(1) or False)
    assert asked == [1]  # T0 was forgotten, T4 is still known


def statements(db: Database) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda *args: seen.append(args[2]) if "digest" in args[2] else None)
    return seen


def test_a_team_without_digests_is_searched_once_then_skipped_and_a_new_digest_shows(db: Database) -> None:
    team = f"T0PRESENCE{id(db)}"  # a team no other test's database has cached
    seen = statements(db)
    with db.read() as session:
        assert search_digests(session, team, "wireless hotspots") == []
    first = len(seen)
    assert first >= 1
    with db.read() as session:
        assert search_digests(session, team, "wireless hotspots") == []
    assert len(seen) == first  # the remembered "no digests": no statement at all

    with db.begin() as session:
        save_digest(session, team, "U0SAVER", DigestText("C0PUBLIC", "1795000001.000100", "Wireless hotspots",
                                                         "Downtown wireless paid by the parking fund", ["U0SAVER"], 3),
                    NOW)
    with db.read() as session:
        found = search_digests(session, team, "wireless hotspots", here="C0PUBLIC")
    assert [d.title for d in found] == ["Wireless hotspots"]
