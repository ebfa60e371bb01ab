"""Neutral messages (bot/messages.py) as terminal text: `python -m bot roundup` prints this.

People and channels show as `@id` / `#id` (or a name when `name_of` knows it), links as
"label (url)", local times as their fallback. No markup is read, so nothing needs escaping.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.messages import (
    Actions,
    ChannelRef,
    Context,
    Divider,
    Heading,
    Inline,
    Items,
    Link,
    LocalTime,
    Mention,
    Message,
    Paragraph,
    Part,
    Segment,
    Text,
)
from bot.render.slack import MARKS


def segment_text(segment: Segment, name_of: Callable[[str], str] = str) -> str:
    if isinstance(segment, Text):
        mark = MARKS[segment.style]
        return f"{mark}{segment.shown()}{mark}" if mark else segment.shown()
    if isinstance(segment, Mention):
        return "@" + name_of(segment.user_id)
    if isinstance(segment, ChannelRef):
        return "#" + segment.channel_id
    if isinstance(segment, Link):
        label = segment_text(segment.label)
        return label if label == segment.url else f"{label} ({segment.url})"
    if isinstance(segment, LocalTime):
        return segment.fallback
    raise TypeError(f"not a segment: {segment!r}")


def inline_text(inline: Inline, name_of: Callable[[str], str] = str) -> str:
    """One line: white space folded as a reader of the message would see it."""
    return " ".join("".join(segment_text(s, name_of) for s in inline).split())


def part_lines(part: Part, name_of: Callable[[str], str] = str) -> list[str]:
    if isinstance(part, Heading):
        return [part.text]
    if isinstance(part, Paragraph):
        return [inline_text(part.text, name_of)] + ([f"[{part.button.label}]"] if part.button else [])
    if isinstance(part, Items):
        hint = inline_text(part.hint, name_of)
        more = [f"and {part.more} more" + (f": {hint}" if hint else "")] if part.more > 0 else []
        return [f"*{part.heading}*", *(inline_text(line, name_of) for line in part.lines), *more]
    if isinstance(part, Context):
        return [" · ".join(inline_text(e, name_of) for e in part.elements)]
    if isinstance(part, Actions):
        return ["  ".join(f"[{b.label}]" for b in part.buttons)]
    if isinstance(part, Divider):
        return []
    raise TypeError(f"not a message part: {part!r}")


def text(message: Message, name_of: Callable[[str], str] = str) -> str:
    """The parts line by line; a blank line before each block of content."""
    lines: list[str] = []
    for part in message.parts:
        if lines and isinstance(part, Paragraph | Items | Actions):
            lines.append("")
        lines += part_lines(part, name_of)
    return "\n".join(lines)
