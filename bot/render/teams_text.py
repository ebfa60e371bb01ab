"""Adaptive Cards (as bot/render/teams.py and teams_forms.py write them) flattened to terminal text.

For reading a Teams card where there is no Teams: the console and tests. Mentions `<at>Name</at>`
show as `@Name`, `{{DATE(iso, SHORT)}}`/`{{TIME(iso)}}` as the UTC date and time, links as
`label (url)`, the TextBlock Markdown escapes are undone; buttons show as `[title]` and inputs as
`label: value`. Nothing here is markup for anyone else: it is what a reader of the card would see.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

MENTION = re.compile(r"<at>(.*?)</at>")
FUNCTION = re.compile(r"\{\{(DATE|TIME)\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(?:, SHORT)?\)\}\}")
LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((https?://[^)\s]+)\)")
MARKUP = re.compile(r"(?<!\\)(\*\*|_)")
ESCAPED = re.compile(r"\\(.)")


def _when(match: re.Match[str]) -> str:
    at = datetime.strptime(match.group(2), "%Y-%m-%dT%H:%M:%SZ")
    return at.strftime("%a %b %-d, %Y") if match.group(1) == "DATE" else at.strftime("%H:%M UTC")


def plain(text: str) -> str:
    """A TextBlock's text as its reader sees it."""
    text = MENTION.sub(lambda mt: "@" + mt.group(1), text)
    text = FUNCTION.sub(_when, text)
    text = LINK.sub(lambda mt: f"{mt.group(1)} ({mt.group(2)})", text)
    text = MARKUP.sub("", text)
    return html.unescape(ESCAPED.sub(r"\1", text).replace("{\u200b", "{"))


def _lines(element: Any) -> list[str]:
    if not isinstance(element, dict):
        return []
    kind = element.get("type", "")
    if kind == "TextBlock":
        return [plain(str(element.get("text", "")))] if str(element.get("text", "")).strip() else ["—" * 20]
    if kind == "Container":
        return ["> " + line for item in element.get("items") or [] for line in _lines(item)]
    if kind == "ActionSet":
        return ["  ".join(f"[{a.get('title', '')}]" for a in element.get("actions") or [])]
    if kind.startswith("Input."):
        value = element.get("value", "")
        if kind == "Input.ChoiceSet":
            titles = {c.get("value"): c.get("title") for c in element.get("choices") or []}
            value = ", ".join(str(titles.get(v, v)) for v in str(value).split(",") if v)
        elif kind == "Input.Toggle":
            value = "yes" if value and value == element.get("valueOn") else "no"
        return [f"{element.get('label', '')}: {value}" + ("" if element.get("isRequired") else " (optional)")]
    return []


def card_text(card: dict[str, Any]) -> str:
    """The whole card, a line per element, its actions last."""
    lines = [line for element in card.get("body") or [] for line in _lines(element)]
    if card.get("actions"):
        lines += _lines({"type": "ActionSet", "actions": card["actions"]})
    return "\n".join(lines)
