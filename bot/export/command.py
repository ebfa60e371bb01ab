"""`python -m bot export`: the command line of the records export."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.export import Progress, export
from bot.export.records import DEFAULT_BASE, Builder, Links, People, iso
from bot.export.writers import CsvZipWriter, JsonWriter
from bot.runtime import open_database
from storage import records
from storage.records import Scope

log = logging.getLogger(__name__)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_parser(commands: Any) -> None:
    export_parser = commands.add_parser("export", help="export the records (public-records requests)")
    export_parser.add_argument("--format", choices=("json", "csv"), default="json",
                               help="one JSON document, or a zip of CSV files with a README (default json)")
    export_parser.add_argument("--team", metavar="T", help="only this Slack workspace ID (default: every one)")
    export_parser.add_argument("--city", metavar="NAME", help="only what comes from this city")
    export_parser.add_argument("--since", type=day, metavar="DATE", help="from this day on (UTC, inclusive)")
    export_parser.add_argument("--until", type=day, metavar="DATE", help="up to this day (UTC, inclusive)")
    export_parser.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    export_parser.add_argument("--include-private", action="store_true",
                               help="include private conversations' content (needs --team)")


def scope_of(args: argparse.Namespace) -> Scope:
    start = datetime.combine(args.since, time(), UTC) if args.since else None
    end = datetime.combine(args.until + timedelta(days=1), time(), UTC) if args.until else None
    return Scope(team_ids=(args.team,) if args.team else (), since=start, until=end,
                 city=(args.city or "").strip(), include_private=args.include_private)


def refusal(args: argparse.Namespace) -> str:
    """Why these options cannot be exported, or ""."""
    if args.include_private and not args.team:
        return "--include-private needs --team T: private conversations are exported only for their workspace"
    if args.since and args.until and args.since > args.until:
        return "--since is after --until"
    if args.city is not None and not args.city.strip():
        return "--city is empty"
    if args.format == "csv" and not args.out and sys.stdout.isatty():
        return "CSV comes as a zip file: pass --out FILE"
    return ""


def run_export(settings: Settings, args: argparse.Namespace, now: Callable[[], datetime] = lambda: datetime.now(UTC),
               stderr: IO[str] | None = None) -> int:
    stderr = stderr or sys.stderr
    problem = refusal(args)
    if problem:
        print(f"roundtable export: {problem}", file=stderr)
        return 2
    try:
        return _export(settings, args, now, stderr)
    except (SQLAlchemyError, OSError) as error:  # one line, no traceback; --out is never half-written
        reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
        where = f" ({error.filename})" if isinstance(error, OSError) and error.filename else ""
        print(f"roundtable export: failed: {reason}{where}", file=stderr)
        log.warning("records export failed: %s", type(error).__name__)
        return 1


def _export(settings: Settings, args: argparse.Namespace, now: Callable[[], datetime], stderr: IO[str]) -> int:
    scope = scope_of(args)
    open_database(settings).dispose()  # the schema is current before it is read
    people, links = slack_sources(settings)
    with records.snapshot(settings.database_url) as session:
        known = records.teams(session)
        if args.team and args.team not in known:
            print(f"roundtable export: no records of workspace {args.team} in this database", file=stderr)
            return 2
        people.known = records.rsvp_names(session, scope.team_ids)
        about = {"generated_at": iso(now()), "teams": list(scope.team_ids) or known, "city": scope.city,
                 "since": iso(scope.since), "until": iso(scope.until), "include_private": scope.include_private,
                 "permalink_base": {team: links.base(team) for team in list(scope.team_ids) or known}}
        with output(args) as (text, binary):
            writer = JsonWriter(text, about) if args.format == "json" else CsvZipWriter(binary, about)
            counts = export(session, scope, Builder(people, links), writer, Progress(stderr))
    summary = ", ".join(f"{kind} {count}" for kind, count in counts.items())
    print(f"exported {sum(counts.values())} records to {args.out or 'standard output'}: {summary}", file=stderr)
    log.info("records export: %s records, format %s", sum(counts.values()), args.format)
    return 0


@contextmanager
def output(args: argparse.Namespace) -> Iterator[tuple[Any, Any]]:
    """(text, binary) streams; a file is written beside its target and renamed when complete."""
    if not args.out:
        yield sys.stdout, sys.stdout.buffer
        sys.stdout.flush()
        return
    target = Path(args.out)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as binary, open(binary.fileno(), "w", encoding="utf-8", closefd=False) as text:
            yield text, binary
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def slack_sources(settings: Settings) -> tuple[People, Links]:
    """Names and the workspace's URL from Slack when a token is set (auth.test once); else none."""
    if not settings.bot_token:
        return People(), Links()
    from bot.members import member_name
    from bot.slack import make_client

    client = make_client(settings)
    try:
        identity = client.auth_test()
    except Exception as error:  # noqa: BLE001 - without Slack the export still runs, without names
        log.warning("auth.test failed (%s): names from the database, links to %s", type(error).__name__, DEFAULT_BASE)
        return People(), Links()
    team_id = str(identity.get("team_id") or "")

    def lookup(user_id: str) -> str:
        try:
            return member_name(client, user_id)
        except Exception as error:  # noqa: BLE001 - one unknown name never stops an export
            log.warning("users.info %s failed: %s", user_id, type(error).__name__)
            return ""

    url = str(identity.get("url") or "")
    return People(lookup=lookup, lookup_team=team_id), Links({team_id: url} if url else {})
