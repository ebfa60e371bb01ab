"""Exports for public-records requests: every kind of record in a scope, streamed to JSON or CSV.

`python -m bot export` (bot/export/command.py) opens a read-only snapshot, and `export()` walks
the kinds in bot/export/columns.py: storage.records reads them row by row, Builder turns each row
into a record (ISO times, names, permalinks), a writer streams it out. Nothing is held per record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TextIO

from sqlalchemy.orm import Session

from bot.export.columns import KINDS
from bot.export.records import Builder
from bot.export.writers import Writer
from bot.roundtables.meetings import REMINDER_KIND
from storage import records
from storage.records import Query, Scope

ROWS: dict[str, Callable[[Session, Query], Iterator[Any]]] = {
    "practices": records.practice_rows, "practice_revisions": records.revision_rows,
    "adoptions": records.adoption_rows, "questions": records.question_rows, "answers": records.answer_rows,
    "digests": records.digest_rows, "roundtables": lambda session, query: roundtables(session, query),
    "rsvps": records.rsvp_rows, "roundups": records.roundup_rows,
}


def roundtables(session: Session, query: Query) -> Iterator[Any]:
    """Roundtables with the reminders the outbox posted for them (few: read up front)."""
    posted = records.reminder_posts(session, query, REMINDER_KIND)
    for row in records.roundtable_rows(session, query):
        yield {**row, "reminders": posted.get(row["id"], [])}


class Progress:
    """Counts on a terminal (stderr), overwritten in place; silent when stderr is not a terminal."""

    def __init__(self, stream: TextIO, every: int = 1000) -> None:
        self.stream, self.every = stream, every
        self.shown = stream.isatty()

    def tick(self, kind: str, count: int) -> None:
        if self.shown and count % self.every == 0:
            self.stream.write(f"\r{kind}: {count:,}")
            self.stream.flush()

    def done(self, kind: str, count: int) -> None:
        if self.shown:
            self.stream.write(f"\r{kind}: {count:,}\n")
            self.stream.flush()


def export(session: Session, scope: Scope, builder: Builder, writer: Writer, progress: Progress) -> dict[str, int]:
    """Write every kind in the scope; how many records of each were written."""
    query = Query(scope, records.city_members(session, scope))
    counts: dict[str, int] = {}
    for kind in KINDS:
        build = getattr(builder, kind.name)
        count = 0
        with writer.kind(kind) as write:
            for row in ROWS[kind.name](session, query):
                write(build(row))
                count += 1
                progress.tick(kind.name, count)
        progress.done(kind.name, count)
        counts[kind.name] = count
    writer.close()
    return counts
