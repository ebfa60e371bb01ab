"""The web library's queries on both engines: the public view is published practices of public
conversations only, however the search ranks them; digests only from public conversations."""

from __future__ import annotations

import pytest

from storage import library
from storage import search as search_module
from storage.conversations import record
from storage.db import Database
from storage.digests import Digest
from storage.practices import Adoption
from tests.storage.test_search import NOW, TEAM, add

PUBLIC, PRIVATE = "C0PUBLIC", "G0PRIVATE"


@pytest.fixture
def exchange(db: Database) -> Database:
    with db.begin() as session:
        record(session, TEAM, PUBLIC, True, NOW)
        record(session, TEAM, PRIVATE, False, NOW)
        for n in range(12):  # the best matches: not published, or published from a private channel
            unpublished = add(session, f"Wireless mesh {n}", topics=("wireless-broadband",))
            unpublished.channel_id = PUBLIC
            hidden = add(session, f"Wireless kiosks {n}", topics=("wireless-broadband",))
            hidden.channel_id, hidden.published = PRIVATE, True
        shown = add(session, "Budget app", solution="wireless tablets for inspectors", city="Boston",
                    topics=("wireless-broadband",))
        shown.channel_id, shown.published = PUBLIC, True
        untold = add(session, "Wireless untold", topics=("wireless-broadband",))  # a channel never heard of
        untold.channel_id, untold.published = "C0UNKNOWN", True
        session.add(Adoption(team_id=TEAM, practice_id=shown.id, city="Seattle", city_key="seattle",
                             user_id="U0SEA", created_at=NOW))
    return db


def titles(entries: list[library.Entry]) -> list[str]:
    return [e.practice.title for e in entries]


def test_public_search_finds_published_practices_below_the_best_candidates(
        exchange: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "PUBLIC_CANDIDATES", 1)  # SQLite ranks candidates before filtering
    with exchange.begin() as session:
        assert titles(library.search(session, [TEAM], True, "wireless")) == ["Budget app"]
        assert titles(library.search(session, [TEAM], True, "wireless", city="boston")) == ["Budget app"]
        assert len(library.search(session, [TEAM], False, "wireless", limit=50)) == 26


def test_every_public_list_leaves_out_what_is_not_public(exchange: Database) -> None:
    with exchange.begin() as session:
        assert titles(library.newest(session, [TEAM], True)) == ["Budget app"]
        most = library.most_adopted(session, [TEAM], True)
        assert titles(most) == ["Budget app"] and most[0].adoptions == 1
        assert library.by_city(session, [TEAM], True) == [("Boston", 1)]
        assert library.by_topic(session, [TEAM], True) == [("wireless-broadband", 1)]
        assert library.by_topic(session, [TEAM], False) == [("wireless-broadband", 26)]
        hidden = library.newest(session, [TEAM], False, limit=50)
        for entry in hidden:
            page = library.practice_page(session, [TEAM], True, entry.practice.id)
            assert (page is not None) is (entry.practice.title == "Budget app")
        assert library.practice_page(session, ["T0ELSEWHERE"], False, hidden[0].practice.id) is None


def test_digests_of_private_conversations_are_never_listed_or_shown(exchange: Database) -> None:
    with exchange.begin() as session:
        for n, channel in enumerate((PUBLIC, PRIVATE)):
            session.add(Digest(team_id=TEAM, channel_id=channel, thread_ts=f"1.{n}", title=f"Wireless digest {channel}",
                               body="Key points: wireless", participant_ids=[], message_count=3, saved_by="U0X",
                               created_at=NOW, updated_at=NOW))
    with exchange.begin() as session:
        listed = library.digests(session, [TEAM])
        found = library.digests(session, [TEAM], "wireless")
        assert [d.title for d in listed] == [f"Wireless digest {PUBLIC}"] == [d.title for d in found]
        private = session.query(Digest).filter_by(channel_id=PRIVATE).one()
        assert library.digest(session, [TEAM], private.id) is None
        assert library.digest(session, [TEAM], listed[0].id) is not None
