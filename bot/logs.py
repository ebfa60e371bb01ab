"""Log records that cannot lie: one record is one line, and no secret is written.

A value placed in a message (a header, a Slack id, an exception's text) can hold a line break,
and with it forge a whole log entry: the message's line breaks are written as `\\n`-style escapes.
A traceback keeps its lines, each indented under the entry as `  | ...`, so nothing in it can pass
for an entry of its own. Tokens (Slack's, any bearer credential, any JWT) and the process's
configured secrets are masked in both.
"""

from __future__ import annotations

import logging
import queue
import re
from collections.abc import Callable, Iterable
from logging.handlers import QueueHandler, QueueListener

SECRET_PATTERN = re.compile(
    r"(?:xoxe\.)?xox[abpre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"  # Slack's tokens (xoxe.xoxb-: rotating)
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=-]+"  # an Authorization header's credential, whatever its shape
    r"|eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"  # a JWT (Teams' and Entra ID's tokens)
)
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
CONTINUATION = "  | "
REDACTED = "[redacted]"


def one_line(text: str) -> str:
    return LINE_BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Redactor:
    """Masks the configured secrets and SECRET_PATTERN. Every match is, or holds, one of a few
    literals (a secret itself, `xox`, `xapp-`, `eyJ`, `bearer` in any case): text with none of them
    is returned without running the expression, which costs ~20 times the checks on a log line."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        exact = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
        self.pattern = re.compile("|".join([*map(re.escape, exact), SECRET_PATTERN.pattern]))
        self.literals = (*exact, "xox", "xapp-", "eyJ")

    def __call__(self, text: str) -> str:
        if "bearer" not in text.lower() and not any(literal in text for literal in self.literals):
            return text
        return self.pattern.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    """For a handler this module does not format: masks the message itself. A handler formatted by
    SafeFormatter needs no such filter (the formatter masks the whole line)."""

    def __init__(self, redact: Redactor | None = None) -> None:
        super().__init__()
        self.redact = redact or Redactor()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class SafeFormatter(logging.Formatter):
    def __init__(self, fmt: str | None = None, redact: Redactor | None = None) -> None:
        super().__init__(fmt)
        self.redact = redact or Redactor()

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return self.redact(one_line(super().formatMessage(record)))

    def formatException(self, ei: object) -> str:  # noqa: N802
        return self._indented(super().formatException(ei))  # type: ignore[arg-type]

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return self._indented(super().formatStack(stack_info))

    def _indented(self, text: str) -> str:
        return "\n".join(CONTINUATION + line for line in self.redact(text).splitlines())


class DeferredHandler(QueueHandler):
    """Hands a record to the writer thread (defer()): the caller only fills in the message's values
    (they may change once it returns); formatting, masking and writing happen on that thread. No
    lock is taken (Handler.handle's would serialise the request threads): the queue is thread-safe
    and each record is a copy of the caller's own."""

    def handle(self, record: logging.LogRecord) -> bool | logging.LogRecord:  # type: ignore[override]
        kept = self.filter(record)  # Python 3.12: a filter may return a record to log instead
        if kept:
            self.emit(kept if isinstance(kept, logging.LogRecord) else record)
        return kept

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        copied = logging.LogRecord.__new__(logging.LogRecord)  # copy.copy's result, at half its cost
        copied.__dict__.update(record.__dict__)
        copied.msg, copied.args = record.getMessage(), None
        return copied


# what a record learns that bot/runtime.py's LOG_FORMAT never shows, and the flag that skips it
# (Python's documented logging optimisations): where the call was made, the thread, the process
UNSHOWN = ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing")


def defer(logger: logging.Logger | None = None) -> Callable[[], None]:
    """Move `logger`'s (the root's) handlers behind one writer thread, so a request thread never
    waits for the handler's lock or a full pipe, and records skip the caller's file and line and
    the thread's and process's names (UNSHOWN); the lines are the same. Returns what to call
    before the process exits: it writes what is queued and gives the handlers and flags back."""
    logger = logger or logging.getLogger()
    handlers = logger.handlers[:]
    flags = {name: getattr(logging, name) for name in UNSHOWN}
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = QueueListener(records, *handlers, respect_handler_level=True)
    for name in UNSHOWN:
        setattr(logging, name, None if name == "_srcfile" else False)
    logger.handlers[:] = [DeferredHandler(records)]
    listener.start()

    def undefer() -> None:
        logger.handlers[:] = handlers
        listener.stop()
        for name, value in flags.items():
            setattr(logging, name, value)

    return undefer
