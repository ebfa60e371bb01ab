"""The records export: a fixed dataset round-trips through JSON and CSV, every record there once."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest

from bot.export import Progress, export
from bot.export.columns import KINDS, SCHEMA_VERSION
from bot.export.records import Builder, Links, People
from bot.export.writers import CsvZipWriter, JsonWriter, csv_cell
from storage import records
from storage.db import Database
from storage.records import Scope
from tests.bot.export.dataset import (
    COWNIE,
    KILPATRICK,
    MARCH,
    MILLER,
    NAMES,
    OTHER,
    SCHRIER,
    TEAM,
    load,
)

KEYS = {
    "practices": lambda r: r["id"], "practice_revisions": lambda r: (r["practice_id"], r["number"]),
    "adoptions": lambda r: (r["practice_id"], r["city"]), "questions": lambda r: r["id"],
    "answers": lambda r: r["ts"], "digests": lambda r: r["id"], "roundtables": lambda r: r["id"],
    "rsvps": lambda r: (r["roundtable_id"], r["member_id"]), "roundups": lambda r: r["message_ts"],
}


def run(db: Database, scope: Scope, fmt: str, people: People | None = None) -> tuple[bytes, dict[str, int]]:
    about = {"teams": list(scope.team_ids)}
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = JsonWriter(text, about) if fmt == "json" else CsvZipWriter(buffer, about)
    links = Links({TEAM: "https://roundtable.slack.com/"})
    with records.snapshot(db.url) as session:
        counts = export(session, scope, Builder(people or People(), links), writer, Progress(io.StringIO()))
    text.flush()
    return buffer.getvalue(), counts


def from_json(data: bytes) -> dict[str, list[dict[str, Any]]]:
    document = json.loads(data)
    assert document["schema_version"] == SCHEMA_VERSION
    return document["records"]


def from_csv(data: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == ["README.txt", *(f"{kind.name}.csv" for kind in KINDS)]
        readme = archive.read("README.txt").decode()
        found = {}
        for kind in KINDS:
            assert f"{kind.name}.csv:" in readme and all(f"  {column}: " in readme for column in kind.names)
            rows = list(csv.reader(io.StringIO(archive.read(f"{kind.name}.csv").decode("utf-8"), newline="")))
            assert rows[0] == kind.names
            found[kind.name] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        return found


def as_text(key: object) -> object:
    return tuple(map(str, key)) if isinstance(key, tuple) else str(key)


def keyed(found: dict[str, list[dict[str, Any]]]) -> dict[str, list[object]]:
    return {kind: sorted(map(KEYS[kind], rows), key=repr) for kind, rows in found.items()}


def test_every_record_is_there_once_in_json_and_in_csv_and_they_agree(db: Database) -> None:
    expected = load(db)
    as_json, counts = run(db, Scope(), "json")
    as_csv, _ = run(db, Scope(), "csv")
    documents, tables = from_json(as_json), from_csv(as_csv)

    want = {kind: sorted(keys["public"], key=repr) for kind, keys in expected.items()}
    assert keyed(documents) == want  # each once: lists, not sets, are compared
    assert keyed(tables) == {kind: sorted(map(as_text, keys), key=repr) for kind, keys in want.items()}
    assert counts == {kind: len(keys) for kind, keys in want.items()}
    for kind in KINDS:
        assert [list(record) for record in documents[kind.name]] == [kind.names] * len(documents[kind.name])
        csv_rows = [[csv_cell(record[name]) for name in kind.names] for record in documents[kind.name]]
        assert csv_rows == [[row[name] for name in kind.names] for row in tables[kind.name]], kind.name


def test_records_carry_iso_utc_times_people_permalinks_and_deletions(db: Database) -> None:
    load(db)
    people = People(lookup=lambda user: NAMES.get(user, ""), lookup_team=TEAM)
    found = from_json(run(db, Scope(team_ids=(TEAM,)), "json", people)[0])
    practices = {p["title"]: p for p in found["practices"]}
    hotspots, taxes = practices["Wireless hotspots, year two"], practices["12 tax systems"]
    assert hotspots["created_at"] == "2026-03-02T15:00:00Z" and hotspots["topics"] == ["wireless"]
    assert (hotspots["sharer_id"], hotspots["sharer_name"]) == (MILLER, "Derrick Miller")
    assert (hotspots["asked_by_name"], hotspots["saved_by_id"]) == ("Frank Cownie", KILPATRICK)
    assert (taxes["asked_by_id"], taxes["asked_by_name"]) == ("", "")
    assert hotspots["permalink"] == "https://roundtable.slack.com/archives/C0GENERAL/p1772463600000100"
    assert not hotspots["deleted"] and hotspots["deleted_at"] == ""
    assert taxes["deleted"] and taxes["deleted_at"] == "2026-03-22T15:00:00Z"
    assert (taxes["deleted_by_id"], taxes["deleted_by_name"], taxes["problem"]) == (SCHRIER, "Bill Schrier",
                                                                                    "Line one\nline two")
    history = [(r["number"], r["action"], r["by_id"], r["by_name"], r["title"])
               for r in found["practice_revisions"] if r["practice_id"] == hotspots["id"]]
    assert history == [(1, "shared", MILLER, "Derrick Miller", "Wireless hotspots"),
                       (2, "edited", KILPATRICK, "Kwame Kilpatrick", "Wireless hotspots, year two")]
    question = found["questions"][0]
    assert (question["answered_by_id"], question["answered_by_name"], question["closed_by_name"]) == (
        MILLER, "Derrick Miller", "Frank Cownie")
    answers = {a["ts"]: a for a in found["answers"]}
    assert answers["1772550100.000300"]["accepted"] and not answers["1772550200.000400"]["accepted"]
    assert answers["1772550100.000300"]["text"] == "A bond & a <grant>"
    assert answers["1772550200.000400"]["permalink"] == (
        "https://roundtable.slack.com/archives/C0GENERAL/p1772550200000400"
        "?thread_ts=1772550000.000200&cid=C0GENERAL")
    assert found["digests"][0]["participants"] == [f"Frank Cownie ({COWNIE})", f"Derrick Miller ({MILLER})"]
    assert found["digests"][0]["permalink"].endswith("/p1772550900000900?thread_ts=1772550000.000200&cid=C0GENERAL")
    assert found["roundtables"][0]["reminder_permalinks"] == [
        "https://roundtable.slack.com/archives/C0GENERAL/p1773946800000500"]
    assert [r["occurrence"] for r in found["rsvps"]] == ["2026-03-20T20:00:00Z"] * 2
    assert found["roundups"][0]["posted_at"] == (MARCH.replace(day=9)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_private_conversations_only_with_include_private_and_only_their_workspace(db: Database) -> None:
    expected = load(db)
    found = keyed(from_json(run(db, Scope(team_ids=(TEAM,), include_private=True), "json")[0]))
    for kind in ("questions", "answers", "digests", "roundtables", "rsvps"):
        assert expected[kind]["private"], kind
        assert set(found[kind]) == expected[kind]["public"] | expected[kind]["private"], kind
        assert not set(found[kind]) & expected[kind]["other_private"]
    assert keyed(from_json(run(db, Scope(team_ids=(OTHER,)), "json")[0]))["questions"] == []
    with_private = keyed(from_json(run(db, Scope(team_ids=(OTHER,), include_private=True), "json")[0]))
    assert set(with_private["questions"]) == expected["questions"]["other_private"]


def test_csv_cells_cannot_become_spreadsheet_formulas_while_json_keeps_the_text(db: Database) -> None:
    load(db)
    shared = from_json(run(db, Scope(), "json")[0])["practice_revisions"][0]
    assert shared["solution"] == '=HYPERLINK("x")'
    assert from_csv(run(db, Scope(), "csv")[0])["practice_revisions"][0]["solution"] == "'=HYPERLINK(\"x\")"
    assert [csv_cell(v) for v in ("+1", "-x", "@sum", "\tx", "plain", 5, True, None, ["a", "b"])] == [
        "'+1", "'-x", "'@sum", "'\tx", "plain", "5", "true", "", "a; b"]


def test_city_and_period_keep_what_comes_from_the_city_in_those_days(db: Database) -> None:
    load(db)
    scope = Scope(city="  detroit ", since=MARCH, until=MARCH.replace(month=7, day=1))
    found = keyed(from_json(run(db, scope, "json")[0]))
    assert found["practices"] == [1]  # Detroit's, not Seattle's nor July's
    assert found["adoptions"] == [(1, "Seattle")]  # of Detroit's practice, in the period
    assert found["questions"] == [1]  # a Des Moines question answered by Detroit
    assert found["digests"] == [1] and found["roundtables"] == [1] and found["roundups"] == ["1773068400.000100"]
    assert keyed(from_json(run(db, Scope(city="Nowhere"), "json")[0])) == {kind.name: [] for kind in KINDS}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_progress_shows_on_a_terminal_only(db: Database, fmt: str) -> None:
    load(db)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    writer = JsonWriter(io.StringIO(), {}) if fmt == "json" else CsvZipWriter(io.BytesIO(), {})
    with records.snapshot(db.url) as session:
        export(session, Scope(), Builder(People(), Links()), writer, Progress(shown, every=1))
    assert "\rpractices: 4\n" in shown.getvalue() and "\rroundups: 1\n" in shown.getvalue()
    quiet = io.StringIO()
    assert not Progress(quiet).shown


def test_writers_stream_each_record_out_before_the_next_is_read() -> None:
    kind = KINDS[-1]
    record = {name: "x" * 200 for name in kind.names}
    text = io.StringIO()
    json_writer = JsonWriter(text, {})
    with json_writer.kind(kind) as write:
        for n in range(3):
            write({**record, "id": n})
            assert text.getvalue().count('"id": ') == n + 1  # written, not kept
    binary = io.BytesIO()
    csv_writer = CsvZipWriter(binary, {})
    with csv_writer.kind(kind) as write:
        start = binary.tell()
        for n in range(5000):
            write({**record, "id": n, "text": f"{n} {'y' * 50 * (n % 7)}"})
        assert binary.tell() > start  # compressed rows reached the file while the kind was still open
