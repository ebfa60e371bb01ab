"""Practice search on both engines: relevance, filters, index sync, and any text a person types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from storage import search as search_module
from storage.db import Database
from storage.practices import Practice, PracticeTopic
from storage.search import MAX_TERMS, fts5_query, search_practices, search_terms

TEAM = "T0ROUNDTBL"
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
# Everything that is syntax to FTS5 or to_tsquery, plus text that is hard in other ways.
SYNTAX = ['"', "'", "*", "-", ":", "^", "+", "(", ")", "AND", "OR", "NOT", "NEAR", "NEAR(", "&", "|",
          "!", "<->", "title:", "{title city}:", "\\", ";", "--", "%", "_", "🎉", "👩🏽‍💻", "مدينة",
          "שלום", "\u200f", "\x00", "Ꭰ", "ﬁ", "İ", "ß"]


def add(session: Session, title: str, *, team: str = TEAM, city: str = "Detroit", problem: str = "",
        solution: str = "", outcome: str = "", topics: tuple[str, ...] = (), deleted: bool = False) -> Practice:
    practice = Practice(
        team_id=team, user_id="U0MILLER", city=city, title=title, problem=problem, solution=solution,
        outcome=outcome, created_at=NOW, updated_at=NOW, deleted_at=NOW if deleted else None,
        topics=[PracticeTopic(topic=t) for t in topics],
    )
    session.add(practice)
    session.flush()
    return practice


def titles(practices: list[Practice]) -> list[str]:
    return [p.title for p in practices]


@pytest.fixture
def library(db: Database) -> Database:
    with db.begin() as session:
        add(session, "Wireless hotspots downtown", problem="Young people were leaving downtown",
            solution="Free wireless in the squares", outcome="More people downtown at night",
            topics=("wireless-broadband",))
        add(session, "Collapsing 12 tax systems into one", city="Philadelphia",
            problem="Twelve tax systems that did not talk", solution="One integrated revenue system",
            topics=("revenue-tax", "integration-standards"))
        add(session, "Open data portal", city="Seattle", outcome="Reporters stopped filing requests; "
            "the wireless coverage map was the most downloaded set", topics=("open-data",))
        add(session, "Wireless meters, retired", city="Detroit", deleted=True)
        add(session, "Wireless parking sensors", team="T0ELSEWHERE")
    return db


def search(db: Database, query: str, **kwargs: object) -> list[str]:
    with db.begin() as session:
        return titles(search_practices(session, TEAM, query, **kwargs))  # type: ignore[arg-type]


def test_title_matches_rank_above_body_matches(library: Database) -> None:
    assert search(library, "wireless") == ["Wireless hotspots downtown", "Open data portal"]


def test_a_title_match_ranks_above_many_mentions_in_the_text(library: Database) -> None:
    with library.begin() as session:
        add(session, "Kiosks", solution="permits " * 20)
        add(session, "Online permits")
    assert search(library, "permits") == ["Online permits", "Kiosks"]


def test_the_title_tier_fills_first_and_the_text_tier_fills_what_is_left(library: Database) -> None:
    with library.begin() as session:
        for n in range(3):
            add(session, f"Parking meters {n}")
        for n in range(4):
            add(session, f"Kiosk {n}", solution="parking " * (n + 2))  # more mentions rank higher
    found = search(library, "parking", limit=5)
    assert sorted(found[:3]) == ["Parking meters 0", "Parking meters 1", "Parking meters 2"]
    assert found[3:] == ["Kiosk 3", "Kiosk 2"]  # the best two of the text tier, best first
    assert sorted(search(library, "parking", limit=2)) == ["Parking meters 1", "Parking meters 2"]  # newest of equals


def test_filters_that_reject_the_best_candidates_still_find_the_rest(
        library: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 1)  # SQLite: per result, ranked before filtering
    monkeypatch.setattr(search_module, "FILTERED_CANDIDATES", 1)
    with library.begin() as session:
        for n in range(12):  # the best title matches all belong to another team
            add(session, f"Wireless mesh {n}", team="T0ELSEWHERE")
        add(session, "Budget app", solution="wireless tablets for inspectors", city="Boston")
    assert search(library, "wireless", city="boston") == ["Budget app"]
    assert search(library, "wireless", limit=3) == ["Wireless hotspots downtown", "Budget app", "Open data portal"]


def test_deleted_practices_and_other_teams_are_never_found(library: Database) -> None:
    found = search(library, "wireless meters parking")
    assert "Wireless meters, retired" not in found and "Wireless parking sensors" not in found


def test_every_word_must_match_before_any_word_may(library: Database) -> None:
    assert search(library, "tax systems") == ["Collapsing 12 tax systems into one"]
    # no practice has both words: the best single-word matches come back instead of nothing
    assert set(search(library, "wireless taxes")) == {
        "Collapsing 12 tax systems into one", "Wireless hotspots downtown", "Open data portal"}


def test_words_no_practice_has_are_dropped_before_any_word_may_match(library: Database) -> None:
    assert search(library, "wireless hotspts") == ["Wireless hotspots downtown", "Open data portal"]
    assert search(library, "xyzzy plugh") == []


def test_words_are_stemmed(library: Database) -> None:
    assert search(library, "collapse system") == ["Collapsing 12 tax systems into one"]


def test_topic_filter_requires_every_topic(library: Database) -> None:
    assert search(library, "system", topics=["revenue-tax", "integration-standards"]) == [
        "Collapsing 12 tax systems into one"]
    assert search(library, "system", topics=["revenue-tax", "open-data"]) == []
    assert search(library, "wireless", topics=["open-data"]) == ["Open data portal"]


def test_city_filter_ignores_case_and_accents_of_case(library: Database) -> None:
    assert search(library, "wireless", city="DETROIT") == ["Wireless hotspots downtown"]
    with library.begin() as session:
        add(session, "Snow plow tracker", city="Cañon City")
    assert search(library, "snow", city="CAÑON city") == ["Snow plow tracker"]


def test_limit_is_respected(library: Database) -> None:
    assert len(search(library, "wireless", limit=1)) == 1


@pytest.mark.parametrize("query", ["", "   ", "the and of", "🎉🎉", "?!", '"" ** -- ::', "()"])
def test_noise_finds_nothing(library: Database, query: str) -> None:
    assert search(library, query) == []


@pytest.mark.parametrize("query", [
    '"tax', "tax*", "-tax", "tax:", "title:tax", "tax AND", "NEAR(tax systems)", "(tax", "tax)",
    "tax OR", "NOT tax", "tax & systems", "tax | systems", "!tax", "tax <-> systems", "tax:*",
    "tax'; DROP TABLE practice; --", "tax 🎉", "ضريبة tax",
])
def test_syntax_is_just_text(library: Database, query: str) -> None:
    assert search(library, query)[:1] == ["Collapsing 12 tax systems into one"]


def test_edits_and_deletes_reach_the_index(library: Database) -> None:
    with library.begin() as session:
        practice = add(session, "Kiosks for permits")
    with library.begin() as session:
        session.get(Practice, practice.id).title = "Online permits"  # type: ignore[union-attr]
    assert search(library, "kiosks") == []
    assert search(library, "online permits") == ["Online permits"]
    with library.begin() as session:
        session.delete(session.get(Practice, practice.id))
    assert search(library, "permits") == []


def title_index(db: Database, word: str) -> list[int]:
    """SQLite: the practices practice_title_fts finds `word` in the title of."""
    with db.engine.connect() as conn:
        return sorted(conn.execute(text("SELECT rowid FROM practice_title_fts WHERE practice_title_fts MATCH :w"),
                                   {"w": fts5_query([word], every=True)}).scalars())


def test_the_title_index_follows_inserts_edits_and_deletes(library: Database) -> None:
    """SQLite's title tier reads practice_title_fts (migration 0019), kept in sync by its own triggers."""
    if library.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's title tier reads practice.title_vector, a generated column")
    with library.begin() as session:
        practice = add(session, "Kiosks for permits", solution="kiosks everywhere")
    assert title_index(library, "kiosks") == [practice.id]
    with library.begin() as session:
        session.get(Practice, practice.id).solution = "online kiosks"  # type: ignore[union-attr]
    assert title_index(library, "kiosks") == [practice.id]
    with library.begin() as session:
        session.get(Practice, practice.id).title = "Online permits"  # type: ignore[union-attr]
    assert title_index(library, "kiosks") == [] and title_index(library, "online") == [practice.id]
    assert search(library, "kiosks") == ["Online permits"]  # the text tier still has it
    with library.begin() as session:
        session.delete(session.get(Practice, practice.id))
    assert title_index(library, "online") == [] and title_index(library, "permits") == []
    with library.engine.connect() as conn:  # the index holds exactly the titles practice holds
        conn.execute(text("INSERT INTO practice_title_fts (practice_title_fts) VALUES ('integrity-check')"))
        indexed = conn.execute(text("SELECT count(*) FROM practice_title_fts")).scalar_one()
        assert indexed == conn.execute(text("SELECT count(*) FROM practice")).scalar_one()


def test_the_title_tier_finds_what_the_column_filter_found(db: Database) -> None:
    """SQLite: on generated practices, the title tier (practice_title_fts) finds the practices the
    column filter on practice_fts (`title:"word"`) found, and the text tier is unchanged, in order.
    One intended difference: title matches are ranked by bm25() over the title alone (a short title
    with the words first), where they were ranked by the whole practice's bm25 (a short practice
    first); which title matches make the first ten changes only when more than ten titles have the words."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 tables")
    from bench.search import TEAM as BENCH_TEAM
    from bench.search import load, queries
    from storage.practice_rows import search_with_cities

    load(db, 1500, digest_count=1)
    weights = ", ".join(str(w) for w in search_module.BM25_WEIGHTS)
    old_title = text("SELECT rowid FROM practice_fts WHERE practice_fts MATCH :m")
    new_title = text(f"SELECT rowid FROM practice_title_fts WHERE practice_title_fts MATCH :m "
                     f"ORDER BY bm25(practice_title_fts, {search_module.BM25_WEIGHTS[0]}), rowid DESC")
    old_text = text(f"SELECT rowid FROM practice_fts WHERE practice_fts MATCH :m "
                    f"ORDER BY bm25(practice_fts, {weights}), rowid DESC")
    with db.read() as session:
        live = set(session.connection().execute(text("SELECT id FROM practice WHERE team_id = :t AND deleted_at IS NULL"),
                                                {"t": BENCH_TEAM}).scalars())
    compared = reordered = 0
    for _, query in [*queries(100), ("", "wireless downtown"), ("", "open data portal")]:
        terms = search_terms(query)
        if not terms:
            continue
        with db.read() as session:
            conn = session.connection()
            titled = [i for i in conn.execute(old_title, {"m": fts5_query(terms, every=True, title_only=True)}).scalars()
                      if i in live]
            if not titled and not conn.execute(old_text, {"m": fts5_query(terms, every=True)}).first():
                continue  # nothing has every word: the fallback, the same tiers
            ranked = [i for i in conn.execute(new_title, {"m": fts5_query(terms, every=True, title_only=True)}).scalars()
                      if i in live]
            others = [i for i in conn.execute(old_text, {"m": fts5_query(terms, every=True)}).scalars()
                      if i in live and i not in set(titled)]
            found = [r.id for r in search_with_cities(session, BENCH_TEAM, query)]
        assert sorted(ranked) == sorted(titled)  # the same title matches
        assert found == (ranked + others)[:10], query  # title tier by its bm25, then the text tier as before
        compared += 1
        reordered += len(titled) > 1
    assert compared > 50 and reordered > 5  # most queries found something; many had several title matches


def test_search_structures_exist_after_every_migration(db: Database) -> None:
    """A later batch migration that recreates `practice` on SQLite silently drops the triggers."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            triggers = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
            assert {"practice_fts_ai", "practice_fts_ad", "practice_fts_au", "practice_title_fts_ai",
                    "practice_title_fts_ad", "practice_title_fts_au"} <= triggers
        else:
            assert "search_vector" in {c["name"] for c in inspect(conn).get_columns("practice")}


def test_search_terms_keep_only_words() -> None:
    assert search_terms('NEAR("tax" AND wireless*) -city:Detroit') == ["near", "tax", "wireless", "city", "detroit"]
    assert search_terms("the THE and") == []
    assert len(search_terms(" ".join(f"w{i}" for i in range(100)))) == MAX_TERMS
    assert fts5_query(["tax", "near"], every=True) == '"tax" "near"'
    assert fts5_query(["tax", "near"], every=False) == '"tax" OR "near"'


typed = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=12)), max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=typed)
def test_any_text_searches_without_error(library: Database, query: str) -> None:
    found = search(library, query)
    assert "Wireless meters, retired" not in found
    assert len(found) <= 10
