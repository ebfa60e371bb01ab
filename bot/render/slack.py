"""Neutral messages (bot/messages.py) as Block Kit, within Slack's limits (bot/render/slack_limits.py).

This is the only place that writes mrkdwn for a composed message: text is escaped here (`&`, `<`,
`>`, nothing else, as Slack asks), mentions, channel links, links and local times become Slack's
own sequences, and whatever would pass a limit is cut without splitting an entity or a sequence.
"""

from __future__ import annotations

import re
from typing import Any

from bot import messages as m
from bot.render import slack_limits as limits
from bot.text import escape, fit, truncate

USER_ID = re.compile(r"[UW][A-Z0-9]{2,40}")  # what Slack reads as a mention: <@U...>, never member text
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,40}")
SAFE_URL = re.compile(r"(https?|mailto):[^\s|<>]{1,2000}")
MARKS = {"": "", "bold": "*", "italic": "_", "code": "`"}
DATE_TOKENS = {"short": "{date_short}", "short_pretty": "{date_short_pretty}", "long_pretty": "{date_long_pretty}"}


def mrkdwn_text(text: m.Text, limit: int = 0) -> str:
    """The text escaped, in its style; within `limit` characters (marks included) when given."""
    mark, shown = MARKS[text.style], text.shown()
    body = escape(shown)
    if limit and len(body) + 2 * len(mark) > limit:
        room = limit - 2 * len(mark)
        if room < 2:  # no room for a styled cut: plain
            mark, room = "", limit
        body = fit(shown, room) if room >= 1 else ""
    return f"{mark}{body}{mark}" if mark and body else body


def mrkdwn_segment(segment: m.Segment) -> str:
    if isinstance(segment, m.Text):
        return mrkdwn_text(segment)
    if isinstance(segment, m.Mention):
        return f"<@{segment.user_id}>" if USER_ID.fullmatch(segment.user_id) else escape(segment.user_id)
    if isinstance(segment, m.ChannelRef):
        return f"<#{segment.channel_id}>" if CHANNEL_ID.fullmatch(segment.channel_id) else escape(segment.channel_id)
    if isinstance(segment, m.Link):
        label = mrkdwn_text(segment.label)
        return f"<{escape(segment.url)}|{label}>" if SAFE_URL.fullmatch(segment.url) else label
    if isinstance(segment, m.Styled):
        mark, inner = MARKS[segment.style], mrkdwn(segment.inner)
        return f"{mark}{inner}{mark}" if mark and inner else inner
    if isinstance(segment, m.LocalTime):
        tokens = DATE_TOKENS[segment.date] + (" at {time}" if segment.time else "")
        return f"<!date^{int(segment.at.timestamp())}^{tokens}|{escape(segment.fallback)}>"
    raise TypeError(f"not a segment: {segment!r}")


def mrkdwn(inline: m.Inline, limit: int = 0) -> str:
    """Segments as mrkdwn; within `limit` characters when given: the text that would pass it is
    cut (with an ellipsis), a sequence that would not fit whole is left out."""
    out: list[str] = []
    size = 0
    for segment in inline:
        if segment.__class__ is m.Text and not segment.style and not segment.cut and not segment.fold:
            piece = escape(segment.text)  # plain text as typed (mrkdwn_text's result for it, in one call)
        else:
            piece = mrkdwn_segment(segment)
        if limit and size + len(piece) > limit:
            room = limit - size
            if isinstance(segment, m.Text):
                out.append(mrkdwn_text(segment, room))
            elif room >= 1:
                out.append("…")
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def pieces(segment: m.Segment) -> list[str]:
    """Where mrkdwn may be split: between the characters of plain text, never inside an entity,
    a sequence or a style."""
    if isinstance(segment, m.Text) and not segment.style:
        return [escape(char) for char in segment.shown()]
    return [mrkdwn_segment(segment)]


def _fill(pieces_: list[str], room: int) -> tuple[str, list[str]]:
    """As many pieces as fit in `room` characters, and the rest."""
    taken, size = 0, 0
    while taken < len(pieces_) and size + len(pieces_[taken]) <= room:
        size += len(pieces_[taken])
        taken += 1
    return "".join(pieces_[:taken]), pieces_[taken:]


def spread(inline: m.Inline, limit: int) -> list[str]:
    """The whole text in pieces of at most `limit` characters, cut between lines where it can be,
    else between characters (never inside an entity or a sequence); blank pieces are dropped."""
    lines: list[list[str]] = [[]]
    for segment in inline:
        for piece in pieces(segment):
            if piece == "\n":
                lines.append([])
            else:  # a sequence or style longer than a section is cut as a whole (still well formed)
                lines[-1].append(piece if len(piece) <= limit else mrkdwn((segment,), limit))
    chunks: list[str] = []
    current = ""
    for line_pieces in lines:
        line = "".join(line_pieces)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if len(line) <= limit:
            chunks.append(current)
            current = line
            continue
        head, rest = _fill(line_pieces, limit - len(current) - 1 if current else limit)
        chunks.append(f"{current}\n{head}" if current and head else current or head)
        while rest:
            current, rest = _fill(rest, limit)
            if rest:
                chunks.append(current)
    chunks.append(current)
    return [c for c in chunks if c.strip()]


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory:
        block["accessory"] = accessory
    return block


def button(b: m.Button) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": truncate(b.label, limits.BUTTON_TEXT)},
                               "action_id": b.action[:limits.ID_LENGTH], "value": b.value[:limits.BUTTON_VALUE]}
    if b.style:
        element["style"] = b.style
    if b.confirm is not None:
        c = b.confirm
        element["confirm"] = {"title": {"type": "plain_text", "text": truncate(c.title, limits.CONFIRM_TITLE)},
                              "text": {"type": "mrkdwn", "text": mrkdwn(c.text, limits.CONFIRM_TEXT)},
                              "confirm": {"type": "plain_text", "text": truncate(c.yes, limits.CONFIRM_BUTTON)},
                              "deny": {"type": "plain_text", "text": truncate(c.no, limits.CONFIRM_BUTTON)},
                              **({"style": c.style} if c.style else {})}
    return element


def items_text(items: m.Items, limit: int = limits.SECTION_TEXT) -> str:
    """The list within `limit` characters: lines that do not fit join "and N more"."""
    heading = mrkdwn((m.Text(items.heading, "bold"),))
    lines = [mrkdwn(piece) for piece in items.lines]
    more = items.more
    while True:
        more_line: m.Inline = (m.Text(f"and {more} more" + (": " if items.hint else "")), *items.hint) if more > 0 else ()
        text = "\n".join([heading, *lines, *([mrkdwn(more_line)] if more_line else [])])
        if len(text) <= limit:
            return text
        if not lines:  # only the heading and its count: cut them as one line is cut
            return mrkdwn((m.Text(items.heading, "bold"), m.Text("\n"), *more_line), limit)
        lines.pop()
        more += 1


def part_blocks(part: m.Part) -> list[dict[str, Any]]:
    if isinstance(part, m.Paragraph) and part.whole and not part.quote:
        texts = spread(part.text, limits.SECTION_TEXT)
        return [_section(t, button(part.button) if part.button and n == len(texts) - 1 else None)
                for n, t in enumerate(texts)]
    return [block(part)]


def block(part: m.Part) -> dict[str, Any]:
    if isinstance(part, m.Heading):
        return {"type": "header", "text": {"type": "plain_text", "text": fit(part.text, limits.HEADER_TEXT)}}
    if isinstance(part, m.Paragraph):
        return _paragraph(part, mrkdwn(part.text, limits.SECTION_TEXT))
    if isinstance(part, m.Items):
        return _section(items_text(part))
    if isinstance(part, m.Context):
        return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(e, limits.SECTION_TEXT) or " "}
                                                for e in part.elements[:limits.CONTEXT_ELEMENTS]]}
    if isinstance(part, m.Divider):
        return {"type": "divider"}
    if isinstance(part, m.Actions):
        actions: dict[str, Any] = {"type": "actions", "elements": [button(b) for b in part.buttons]}
        if part.id:
            actions["block_id"] = part.id[:limits.ID_LENGTH]
        return actions
    raise TypeError(f"not a message part: {part!r}")


def _paragraph(part: m.Paragraph, said: str) -> dict[str, Any]:
    """A paragraph's section, its text `said` (mrkdwn within the section's limit)."""
    if part.quote and len(said) + 3 < limits.SECTION_TEXT:
        said += "\n>" + mrkdwn(part.quote, limits.SECTION_TEXT - len(said) - 2)
    return _section(said, button(part.button) if part.button else None)


def _rendered(part: m.Part) -> list[dict[str, Any]]:
    """The part's blocks; none for a part with nothing to say (Slack refuses an empty section), the
    button alone for a paragraph of nothing but a button. A paragraph's or list's text is written
    once: whether it says anything is read from the same mrkdwn (uncut: when it fits the section,
    it is the cut text too)."""
    if isinstance(part, m.Paragraph):
        said = mrkdwn(part.text)
        if not said.strip():
            return [block(m.Actions((part.button,)))] if part.button else []
        if part.whole and not part.quote:
            return part_blocks(part)
        return [_paragraph(part, said if len(said) <= limits.SECTION_TEXT else mrkdwn(part.text, limits.SECTION_TEXT))]
    if isinstance(part, m.Items):
        listed = items_text(part)
        return [_section(listed)] if listed.strip() else []
    if isinstance(part, m.Heading) and not part.text.strip():
        return []
    return part_blocks(part)


def blocks(parts: tuple[m.Part, ...], limit: int = limits.MESSAGE_BLOCKS) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in parts:  # parts that do not fit are left out whole
        rendered = _rendered(part)
        if len(out) + len(rendered) > limit:
            break
        out += rendered
    while out and out[-1]["type"] == "divider":  # a divider before nothing divides nothing
        out.pop()
    return out


def message(composed: m.Message) -> dict[str, Any]:
    """chat.postMessage / chat.update / respond() arguments."""
    out: dict[str, Any] = {"text": mrkdwn(m.summary(composed), limits.MESSAGE_TEXT)}
    if composed.parts:
        out["blocks"] = blocks(composed.parts)
    if composed.unfurl is not None:
        out |= {"unfurl_links": composed.unfurl, "unfurl_media": composed.unfurl}
    return out


def home_view(parts: tuple[m.Part, ...]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks(parts, limits.VIEW_BLOCKS)}
