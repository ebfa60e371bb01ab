"""Log records: one entry per line whatever the values hold, and no secret in message or traceback."""

from __future__ import annotations

import io
import logging
import re
import sys
import threading

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.logs import CONTINUATION, REDACTED, DeferredHandler, Redactor, defer
from bot.runtime import LOG_FORMAT, setup_logging

SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
TOKEN = "xoxb-1234-5678-abcdefghij"


@pytest.fixture
def written() -> io.StringIO:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    setup_logging("INFO", secrets=(SIGNING_SECRET, TOKEN, ""))
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    yield stream
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def entries(stream: io.StringIO) -> list[str]:
    """The lines that start an entry (everything else must be a traceback's continuation)."""
    lines = stream.getvalue().splitlines()
    assert all(line.startswith(CONTINUATION) or " roundtable.test: " in line for line in lines), lines
    return [line for line in lines if not line.startswith(CONTINUATION)]


@pytest.mark.parametrize("forged", ["\n2026-12-02 03:00:00,000 INFO roundtable.requests: request command /x",
                                    "\r\nERROR forged", "\u2028ERROR forged", "\x85ERROR", "a\x0bb\x0cc"])
def test_a_value_cannot_start_a_new_line(written: io.StringIO, forged: str) -> None:
    logging.getLogger("roundtable.test").info("request team=%s", forged)
    (entry,) = entries(written)
    assert entry.endswith("request team=" + forged.encode("unicode_escape").decode())


def test_secrets_are_masked_in_messages_and_tracebacks(written: io.StringIO) -> None:
    try:
        raise RuntimeError(f"signing with {SIGNING_SECRET} as {TOKEN}\nERROR forged line")
    except RuntimeError:
        logging.getLogger("roundtable.test").exception("listener failed for %s", TOKEN)
    text = written.getvalue()
    assert SIGNING_SECRET not in text and TOKEN not in text
    assert text.count("[redacted]") == 3
    (entry,) = entries(written)
    assert entry.endswith("listener failed for [redacted]")
    assert any("Traceback" in line for line in text.splitlines()[1:])


def test_format_is_unchanged_for_ordinary_lines(written: io.StringIO) -> None:
    logging.getLogger("roundtable.test").info("serving on %s:%s", "127.0.0.1", 3000)
    assert entries(written)[0].endswith(" INFO roundtable.test: serving on 127.0.0.1:3000")
    assert LOG_FORMAT.endswith("%(message)s")


# a Bot Framework token as Teams sends it (header.payload.signature, base64url), and an opaque one
JWT = ("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0"
       ".c2lnbmF0dXJlLWJ5dGVzLWhlcmU_-w")


@pytest.mark.parametrize("line", [f"authorization: Bearer {JWT}", f"token {JWT} refused", "Authorization: Bearer 0pAque.t0ken-xyz"])
def test_a_bearer_token_or_a_jwt_is_masked_wherever_it_appears(written: io.StringIO, line: str) -> None:
    try:
        raise RuntimeError(line)
    except RuntimeError:
        logging.getLogger("roundtable.test").exception("teams request failed: %s", line)
    text = written.getvalue()
    assert JWT not in text and "0pAque" not in text
    assert text.count("[redacted]") == 2, text


def test_a_jwt_shaped_word_that_is_not_one_is_kept(written: io.StringIO) -> None:
    logging.getLogger("roundtable.test").info("practice eyJ.x shared by U0MEMBER")
    assert entries(written)[0].endswith("practice eyJ.x shared by U0MEMBER")


def test_deferred_lines_are_the_same_lines_masked_and_kept_as_logged(written: io.StringIO) -> None:
    undefer = defer()
    assert isinstance(logging.getLogger().handlers[0], DeferredHandler)
    values = {"team": TOKEN}
    try:
        logging.getLogger("roundtable.test").info("request team=%(team)s\nERROR forged", values)
        values["team"] = "changed after the call"  # the line keeps the value it was logged with
        try:
            raise RuntimeError(f"signing with {SIGNING_SECRET}")
        except RuntimeError:
            logging.getLogger("roundtable.test").exception("listener failed")
    finally:
        undefer()  # writes what is queued, and gives the handler back
    assert not isinstance(logging.getLogger().handlers[0], DeferredHandler)
    text = written.getvalue()
    assert SIGNING_SECRET not in text and TOKEN not in text and "changed" not in text
    first, second = entries(written)
    assert first.endswith("request team=[redacted]\\nERROR forged") and second.endswith("listener failed")
    assert any("Traceback" in line for line in text.splitlines())


def test_a_line_is_masked_once(written: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    """The formatter masks the whole line, message included: masking the message again first (a
    filter on the same handler) doubled the log writer's regex work for nothing."""
    masked: list[str] = []
    redact = Redactor.__call__

    def counting(self: Redactor, text: str) -> str:
        masked.append(text)
        return redact(self, text)

    monkeypatch.setattr(Redactor, "__call__", counting)
    logging.getLogger("roundtable.test").info("request team=%s", TOKEN)
    assert len(masked) == 1 and TOKEN in masked[0]
    assert entries(written)[0].endswith("request team=[redacted]")


SECRETS = (SIGNING_SECRET, TOKEN)
fragments = st.sampled_from(["xox", "xoxb-", "xoxe.xoxp-", "xapp-1-A", "Bearer ", "bEaReR\t", "bearer",
                             "eyJ", "eyJhbGci.", "eyJzdWIi.", *SECRETS, SIGNING_SECRET[:12], " ", "-", ".", "\n"])


@given(st.lists(st.one_of(fragments, st.text(max_size=8)), max_size=12).map("".join))
@example("xoxe.xoxb-1-2")
@example("authorization: BEARER abc.def")
@example(f"{JWT} and {TOKEN}")
def test_masking_is_the_pattern_whatever_the_text(text: str) -> None:
    """Redactor skips the regular expression for text holding none of the literals every match
    starts with (or is): the result is still the full pattern's."""
    redact = Redactor(SECRETS)
    assert redact(text) == redact.pattern.sub(REDACTED, text)


def test_only_the_letters_of_bearer_match_them_ignoring_case() -> None:
    """The quick check lower-cases the text to look for `bearer`: that is exact only if no other
    character matches one of its letters under re.IGNORECASE (as the Kelvin sign matches `k`)."""
    for letter in "bear":
        matcher = re.compile(f"(?i:{letter})")
        assert {c for c in map(chr, range(sys.maxunicode + 1)) if matcher.fullmatch(c)} == {letter, letter.upper()}


def test_a_deferred_record_skips_what_the_format_never_shows(written: io.StringIO,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the call was made (a walk up the stack), the thread's and the process's names: Python's
    documented logging optimisations, while serve's lines are deferred; given back by undefer()."""
    assert "thread" not in LOG_FORMAT.lower() and "process" not in LOG_FORMAT.lower()
    assert not {"pathname", "filename", "lineno", "funcName", "module"} & set(re.findall(r"%\((\w+)\)", LOG_FORMAT))
    looked_up: list[str] = []
    find_caller = logging.Logger.findCaller
    monkeypatch.setattr(logging.Logger, "findCaller",
                        lambda self, *a, **k: looked_up.append(self.name) or find_caller(self, *a, **k))
    undefer = defer()
    try:
        logging.getLogger("roundtable.test").info("request team=%s", "T0ONE")
    finally:
        undefer()
    assert looked_up == [] and entries(written)[0].endswith("request team=T0ONE")
    logging.getLogger("roundtable.test").info("after")
    assert looked_up == ["roundtable.test"] and logging.logThreads and logging.logProcesses


def test_a_deferred_line_takes_no_lock_on_the_request_thread(written: io.StringIO) -> None:
    """The queue is safe across threads: the handler's own lock only serialised the request threads."""
    undefer = defer()
    try:
        handler = logging.getLogger().handlers[0]
        with handler.lock:  # held by another thread it would not delay this line
            done = threading.Thread(target=logging.getLogger("roundtable.test").info, args=("unlocked",))
            done.start()
            done.join(timeout=5)
            assert not done.is_alive()
    finally:
        undefer()
    assert entries(written)[0].endswith("unlocked")
