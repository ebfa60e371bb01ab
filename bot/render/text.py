"""Neutral messages (bot/messages.py) as terminal text: `python -m bot roundup` prints this.

As a person reads it: people as `@name` (`name_of`, else `@id`), channels as `#id`, links as
"label (url)", local times as their fallback, no emphasis marks (not even ones a member typed,
which Slack would have shown as emphasis). Nothing is markup, so nothing needs escaping.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import messages as m
from bot.text import unformatted


def segment_text(segment: m.Segment, name_of: Callable[[str], str] = str) -> str:
    if isinstance(segment, m.Text):
        return unformatted(segment.shown())
    if isinstance(segment, m.Mention):
        return "@" + name_of(segment.user_id)
    if isinstance(segment, m.ChannelRef):
        return "#" + segment.channel_id
    if isinstance(segment, m.Link):
        label = segment_text(segment.label, name_of)
        return label if label == segment.url else f"{label} ({segment.url})"
    if isinstance(segment, m.Styled):
        return "".join(segment_text(s, name_of) for s in segment.inner)
    if isinstance(segment, m.LocalTime):
        return segment.fallback
    raise TypeError(f"not a segment: {segment!r}")


def inline_text(inline: m.Inline, name_of: Callable[[str], str] = str) -> str:
    """One line: white space folded as a reader of the message would see it."""
    return " ".join("".join(segment_text(s, name_of) for s in inline).split())


def part_lines(part: m.Part, name_of: Callable[[str], str] = str) -> list[str]:
    if isinstance(part, m.Heading):
        return [part.text]
    if isinstance(part, m.Paragraph):
        quote = [f"> {inline_text(part.quote, name_of)}"] if part.quote else []
        return [inline_text(part.text, name_of), *quote] + ([f"[{part.button.label}]"] if part.button else [])
    if isinstance(part, m.Items):
        hint = inline_text(part.hint, name_of)
        more = [f"and {part.more} more" + (f": {hint}" if hint else "")] if part.more > 0 else []
        return [part.heading, *(inline_text(line, name_of) for line in part.lines), *more]
    if isinstance(part, m.Context):
        return [" · ".join(inline_text(e, name_of) for e in part.elements)]
    if isinstance(part, m.Actions):
        return ["  ".join(f"[{b.label}]" for b in part.buttons)]
    if isinstance(part, m.Divider):
        return []
    raise TypeError(f"not a message part: {part!r}")


def fallback_text(message: m.Message, name_of: Callable[[str], str] = str) -> str:
    """The notification line (bot/messages.summary), as the terminal shows it."""
    return inline_text(m.summary(message), name_of)


def text(message: m.Message, name_of: Callable[[str], str] = str) -> str:
    """The parts line by line; a blank line before each block of content."""
    lines: list[str] = []
    for part in message.parts:
        if lines and isinstance(part, m.Paragraph | m.Items | m.Actions):
            lines.append("")
        lines += part_lines(part, name_of)
    return "\n".join(lines)
