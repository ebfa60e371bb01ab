"""The bot's own wording, as a Teams member reads it: the same sentences Slack's replies use, with
the command words as typed in Teams (`practice search`, not `/practice search`: a Teams bot command
has no slash) and the bot's short mrkdwn (`*bold*`, `` `code` ``) read into neutral segments.

Only the bot's wording passes through `in_paragraphs`; a member's text inside a composed Message is a Text
segment already, and `as_typed` only drops the slash before our own command words in it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from bot import messages as m

COMMANDS = ("practice", "ask", "roundtable", "roundup", "digest", "profile")
SLASHED = re.compile(r"(?<![\w/<])/(" + "|".join(COMMANDS) + r")\b")
MARKS = re.compile(r"`([^`\n]+)`|\*([^*\n]+)\*")


def as_typed(text: str) -> str:
    """`/practice help` -> `practice help`: a Slack command word as a Teams member types it."""
    return SLASHED.sub(r"\1", text)


def inline(text: str) -> m.Inline:
    """The bot's own one-line wording (Slack mrkdwn's `code` and *bold* only) as segments."""
    out: list[m.Segment] = []
    at = 0
    for match in MARKS.finditer(text):
        if match.start() > at:
            out.append(m.Text(as_typed(text[at:match.start()])))
        out.append(m.code(as_typed(match[1])) if match[1] is not None else m.bold(as_typed(match[2])))
        at = match.end()
    if at < len(text):
        out.append(m.Text(as_typed(text[at:])))
    return tuple(out)


def in_paragraphs(text: str) -> m.Message:
    """A reply in words: each line its own paragraph."""
    lines = [line for line in text.split("\n") if line.strip()] or [text]
    return m.Message(inline(lines[0]), tuple(m.Paragraph(inline(line)) for line in lines))


def _walk(value: Any) -> Any:
    if isinstance(value, m.Text):
        return dataclasses.replace(value, text=as_typed(value.text)) if "/" in value.text else value
    if isinstance(value, m.Button):
        return dataclasses.replace(value, label=as_typed(value.label), confirm=_walk(value.confirm))
    if isinstance(value, tuple):
        return tuple(_walk(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value)
                                             if f.init})
    return value


def for_teams(message: m.Message | m.Inline | str) -> m.Message:
    """Any reply (a composed Message, a line, or words) with Teams' command words."""
    if isinstance(message, str):
        return in_paragraphs(message)
    if isinstance(message, tuple):
        message = m.Message(message, (m.Paragraph(message),))
    if not message.parts:  # a one-line post (Slack shows its text): the card says it too
        message = m.Message(message.fallback, (m.Paragraph(message.fallback),), message.unfurl)
    return _walk(message)
