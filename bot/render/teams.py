"""Neutral messages (bot/messages.py) as Adaptive Cards 1.5 for Microsoft Teams.

The only place that writes Teams markup for a composed message. A member's text is escaped for
the TextBlock Markdown subset (a backslash before every mark, `<`/`>` as entities so `<at>` stays
text, `{{` broken so it is never a DATE/TIME function), so it never becomes markup, a mention or a
link. Mentions are `<at>Name</at>` with a mention entity (a member of another platform, a Slack id,
is their name as text: Teams can mention only its own); links only for http(s) URLs; local times
are `{{DATE(iso, SHORT)}}`/`{{TIME(iso)}}` (each reader's zone); buttons are universal actions
(`Action.Execute`, `verb` = the action id, `data` = action id and value), so cards update in place.
The message stays within bot/render/teams_limits.py: long text is cut with an ellipsis, lists and
trailing parts that do not fit are counted as "and N more".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC
from typing import Any

from bot import messages as m
from bot.render import teams_limits as limits
from bot.render import text as terminal
from bot.render.slack import USER_ID as SLACK_MEMBER
from bot.teams.wording import conversation_name
from bot.text import escaped_prefix

SAFE_URL = re.compile(r"https?://[^\s()<>\[\]]{1,2000}")
MARKS = {"": "", "bold": "**", "italic": "_", "code": ""}
SPECIAL = set("\\*_`[]()#+-.!~|>")
CARD = "application/vnd.microsoft.card.adaptive"


def escape_char(char: str) -> str:
    if char == "<":
        return "&lt;"
    if char == ">":
        return "&gt;"
    if char == "&":
        return "&amp;"
    if char == "{":
        return "{\u200b"  # `{{` never opens a template function
    return "\\" + char if char in SPECIAL else char


def escape(text: str) -> str:
    return "".join(escape_char(c) for c in text)


class Writer:
    """Collects markup and the members it mentions; `name_of` gives a mention's display name."""

    def __init__(self, name_of: Callable[[str], str]) -> None:
        self.name_of = name_of
        self.mentioned: dict[str, str] = {}
        self.used = 0  # bytes of list lines shown so far

    def text(self, text: m.Text, room: int = 0) -> str:
        mark, shown = MARKS[text.style], text.shown()
        body = escape(shown)
        if room and len(body) + 2 * len(mark) > room:
            kept = escaped_prefix(shown, room - 2 * len(mark) - 1, escape_char)
            body = kept + "…" if room > 2 * len(mark) else ""
        return f"{mark}{body}{mark}" if mark and body.strip() else body

    def segment(self, segment: m.Segment) -> str:
        if isinstance(segment, m.Text):
            return self.text(segment)
        if isinstance(segment, m.Mention):
            name = escape(self.name_of(segment.user_id))
            if SLACK_MEMBER.fullmatch(segment.user_id):  # another platform's member: named, not mentioned
                return name
            self.mentioned.setdefault(segment.user_id, name)
            return f"<at>{self.mentioned[segment.user_id]}</at>"
        if isinstance(segment, m.ChannelRef):  # named by bot/teams/wording.py first; never a raw id
            return escape(conversation_name(segment.channel_id))
        if isinstance(segment, m.Link):
            label = self.text(segment.label)
            return f"[{label}]({segment.url})" if SAFE_URL.fullmatch(segment.url) and label.strip() else label
        if isinstance(segment, m.Styled):
            mark, inner = MARKS[segment.style], self.inline(segment.inner)
            return f"{mark}{inner}{mark}" if mark and inner.strip() else inner
        if isinstance(segment, m.LocalTime):
            iso = segment.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return f"{{{{DATE({iso}, SHORT)}}}}" + (f" {{{{TIME({iso})}}}}" if segment.time else "")
        raise TypeError(f"not a segment: {segment!r}")

    def inline(self, inline: m.Inline, room: int = limits.TEXT_BLOCK) -> str:
        out: list[str] = []
        size = 0
        for segment in inline:
            before = dict(self.mentioned)
            piece = self.segment(segment)
            if size + len(piece) > room:
                self.mentioned = before
                if isinstance(segment, m.Text):
                    out.append(self.text(segment, room - size))
                elif room - size >= 1:
                    out.append("…")
                break
            out.append(piece)
            size += len(piece)
        return "".join(out)


def block(text: str, **how: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **how}


def action(button: m.Button) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "Action.Execute", "title": button.label[: limits.BUTTON_TITLE],
                           "verb": button.action,
                           "data": {"action": button.action, "value": button.value[: limits.DATA_VALUE]}}
    if button.style in ("positive", "primary"):
        out["style"] = "positive"
    elif button.style == "danger":
        out["style"] = "destructive"
    return out


def elements(part: m.Part, w: Writer) -> list[dict[str, Any]]:
    if isinstance(part, m.Heading):
        return [block(w.text(m.Text(part.text), limits.TEXT_BLOCK), size="Large", weight="Bolder")]
    if isinstance(part, m.Paragraph):
        out = [block(w.inline(part.text))]
        if part.quote:
            out.append({"type": "Container", "style": "emphasis", "items": [block(w.inline(part.quote))]})
        if part.button:
            out.append({"type": "ActionSet", "actions": [action(part.button)]})
        return out
    if isinstance(part, m.Items):
        shown = part.lines[: limits.ITEMS_SHOWN]
        more = part.more + len(part.lines) - len(shown)
        out = [block(w.text(m.Text(part.heading), limits.TEXT_BLOCK), weight="Bolder")]
        for n, line in enumerate(shown):
            before, text = dict(w.mentioned), w.inline(line)
            if w.used + len(text.encode()) > limits.BODY_BYTES:  # the rest is counted, not shown
                w.mentioned = before
                more += len(shown) - n
                break
            w.used += len(text.encode())
            out.append(block(text))
        if more > 0:
            hint = w.inline(part.hint, 1000)
            out.append(block(f"and {more} more" + (f": {hint}" if hint else ""), isSubtle=True))
        return out
    if isinstance(part, m.Context):
        return [block(" · ".join(w.inline(e, 1000) for e in part.elements), isSubtle=True, size="Small")]
    if isinstance(part, m.Divider):
        return [{"type": "TextBlock", "text": " ", "separator": True}]
    if isinstance(part, m.Actions):
        return [{"type": "ActionSet", "actions": [action(b) for b in part.buttons[: limits.MAX_ACTIONS]]}]
    raise TypeError(f"not a message part: {part!r}")


def entities(w: Writer) -> list[dict[str, Any]]:
    return [{"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": uid, "name": name}}
            for uid, name in w.mentioned.items()]


def fallback_text(message: m.Message, name_of: Callable[[str], str] = str) -> str:
    return terminal.inline_text(m.summary(message), name_of)[:1000]


def _build(message: m.Message, name_of: Callable[[str], str], keep: int) -> dict[str, Any]:
    w = Writer(name_of)
    body: list[dict[str, Any]] = []
    for part in message.parts[:keep]:
        body += elements(part, w)
    dropped = len(message.parts) - keep
    if dropped > 0:
        body.append(block(f"and {dropped} more", isSubtle=True))
    content = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
               "version": "1.5", "body": body, "actions": [], "fallbackText": fallback_text(message, name_of),
               "msteams": {"entities": entities(w), "width": "Full"}}
    return {"type": "message", "text": content["fallbackText"],
            "attachments": [{"contentType": CARD, "content": content}], "entities": entities(w)}


def activity(message: m.Message, name_of: Callable[[str], str] = str) -> dict[str, Any]:
    """A message activity within Teams' size limit: trailing parts that do not fit are counted."""
    keep = len(message.parts)
    out = _build(message, name_of, keep)
    while keep > 0 and limits.size(out) > limits.MESSAGE_BYTES:
        keep -= max(1, (keep + 7) // 8) if keep > 8 else 1
        out = _build(message, name_of, keep)
    return out


def card(message: m.Message, name_of: Callable[[str], str] = str) -> dict[str, Any]:
    return activity(message, name_of)["attachments"][0]["content"]
