"""`python -m bot console`: the console's start, its log file, and its demo workspace."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import make_url

from bot import demo
from bot.config import Settings
from bot.console import Console
from bot.emulator import SlackEmulator
from bot.logs import Redactor, RedactSecrets, SafeFormatter
from bot.runtime import LOG_FORMAT

log = logging.getLogger("roundtable.console")
LOG_FILE = Path("roundtable-console.log")
DEMO_DATABASE = Path("roundtable-demo.db")


def log_to_file(path: Path, level: str, secrets: Iterable[str] = ()) -> None:
    """Every log line and traceback goes to `path`: none is printed into the conversation."""
    redact = Redactor(secrets)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(SafeFormatter(LOG_FORMAT, redact))
    handler.addFilter(RedactSecrets(redact))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)


def demo_database(keep: bool) -> str:
    """The demo's own SQLite file, beside but never inside your data; fresh unless `keep`."""
    if not keep:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{DEMO_DATABASE}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{DEMO_DATABASE}"


def run_console(settings: Settings, *, as_user: str, demo_data: bool, keep: bool = False,
                secrets: Iterable[str] = (), teams: bool = False) -> int:
    user_id = demo.resolve_user(as_user)
    if user_id is None:
        print(f"roundtable: --as {as_user!r} is not mayor, cio, moderator or a demo member "
              f"({', '.join(m.name for m in demo.MEMBERS)})", file=sys.stderr)
        return 2
    if keep and not demo_data:
        print("roundtable: --keep continues a demo workspace: use it with --demo", file=sys.stderr)
        return 2
    log_to_file(LOG_FILE, settings.log_level, secrets)
    if demo_data:
        settings = replace(settings, database_url=demo_database(keep))
    with SlackEmulator() as emulator:
        demo.add_members(emulator)
        console = Console(settings, emulator, user_id)
        if demo_data:
            demo.load(console.services)
        where = (f"the demo workspace in {DEMO_DATABASE} ({'kept' if keep else 'fresh'}; --keep continues "
                 "it next time)" if demo_data else make_url(settings.database_url).render_as_string(hide_password=True))
        print(f"Roundtable console on {where}; logs go to {LOG_FILE}.")
        print("You are", console.display(user_id) + (", in Teams." if teams else ". Type :help for help."))
        try:
            if teams:
                from bot.console.teams import run_teams

                return run_teams(console, user_id)
            return _loop(console)
        finally:
            console.services.db.dispose()


def _loop(console: Console) -> int:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - line editing and history for input(), where the platform has it
    while True:
        try:
            line = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        try:
            if not console.handle(line):
                return 0
        except Exception:  # a bug in the bot or the console: logged, never printed into the chat
            log.exception("console: %r failed", line[:80])
            print(f"(something went wrong; the details are in {LOG_FILE})")
