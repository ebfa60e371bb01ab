"""Block Kit flattened to readable terminal text, for console mode.

Buttons are numbered by the caller's `Buttons` (one numbering for the whole session, so every
number on screen is unique and earlier messages' buttons stay pressable).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator import Call

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
DATE = re.compile(r"<!date\^\d+\^[^|]*\|([^>]+)>")
CHANNEL_LINK = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
CONTEXT_SEPARATOR = "  ·  "


@dataclass
class Choice:
    label: str
    action_id: str
    value: str
    channel: str = ""
    message_ts: str = ""
    ephemeral: bool = False
    url: str = ""  # a link button: Slack opens the URL, nothing is sent to the bot


@dataclass
class Buttons:
    """Every button shown this session, by its number; numbers are never reused."""

    by_number: dict[int, Choice] = field(default_factory=dict)
    count: int = 0  # numbers issued so far

    def add(self, choice: Choice) -> int:
        self.count += 1
        self.by_number[self.count] = choice
        return self.count

    def forget_message(self, channel: str, ts: str) -> None:
        """A message was replaced (chat.update): its old buttons are gone from Slack too."""
        for number, choice in list(self.by_number.items()):
            if ts and choice.message_ts == ts and choice.channel == channel:
                del self.by_number[number]


@dataclass
class Names:
    """How the console shows members and channels."""

    member: Callable[[str], str] = str
    channel: Callable[[str], str] = str


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(match: re.Match[str]) -> str:
    url, label = match.group(1), match.group(2)
    shown = url.removeprefix("mailto:")
    return f"{label} ({shown})" if label and label not in (url, shown) else shown


def readable(text: str, names: Names | None = None) -> str:
    """Slack's markup as a reader sees it: names, channel names, dates, links with their address."""
    names = names or Names()
    text = MENTION.sub(lambda m: "@" + names.member(m.group(1)), text)
    text = LINK.sub(_link, text)
    text = DATE.sub(lambda m: m.group(1), text)
    text = CHANNEL_LINK.sub(lambda m: "#" + (m.group(2) or names.channel(m.group(1))), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    return unescape(text)


def _text(obj: Any) -> str:
    return obj.get("text", "") if isinstance(obj, dict) else ""


@dataclass
class Where:
    """The message the rendered buttons belong to."""

    channel: str = ""
    ts: str = ""
    ephemeral: bool = False


def render_blocks(blocks: Any, fallback: str = "", names: Names | None = None,
                  buttons: Buttons | None = None, where: Where | None = None) -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not blocks:
        return readable(fallback, names)
    where = where or Where()
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {unescape(_text(block.get('text')))} ==")
        elif kind == "section":
            if block.get("text"):
                lines.append(readable(_text(block["text"]), names))
            lines.extend("  " + readable(_text(f), names) for f in block.get("fields", []))
            if block.get("accessory", {}).get("type") == "button" and buttons is not None:
                lines.append("  " + _button(block["accessory"], buttons, where))
        elif kind == "context":
            items = [readable(_text(e), names) for e in block.get("elements", []) if _text(e)]
            lines.append("  " + CONTEXT_SEPARATOR.join(items))
        elif kind == "divider":
            lines.append("  ---")
        elif kind == "actions" and buttons is not None:
            shown = [e for e in block.get("elements", []) if e.get("type") == "button"]
            lines.append("  " + "  ".join(_button(b, buttons, where) for b in shown))
        elif kind == "input":
            lines.append(f"  [{_text(block.get('label'))}]")
    return "\n".join(lines)


def _button(button: dict[str, Any], buttons: Buttons, where: Where) -> str:
    label = _text(button.get("text"))
    number = buttons.add(Choice(label, button.get("action_id", ""), button.get("value", ""), where.channel,
                                where.ts, where.ephemeral, button.get("url", "")))
    return f"[{number}] {label}"


def _view(args: dict[str, Any]) -> dict[str, Any]:
    view = args.get("view")
    return json.loads(view) if isinstance(view, str) else (view or {})


def render_call(call: Call, names: Names, buttons: Buttons, heading: str = "") -> str | None:
    """What the person would see of one Web API call; None for calls Slack shows nothing of."""
    args = call.args
    channel = args.get("channel", "")

    def body(ts: str = "", ephemeral: bool = False) -> str:
        return render_blocks(args.get("blocks"), args.get("text", ""), names, buttons,
                             Where(channel, ts, ephemeral))

    if call.method == "chat.postMessage":
        ts = str((call.answer or {}).get("ts", ""))
        return f"#{names.channel(channel)}{heading} Roundtable:\n{body(ts)}"
    if call.method == "chat.postEphemeral":
        who = f"only {names.member(args['user'])} sees this" if args.get("user") else "only you"
        return f"({who}) {body(ephemeral=True)}"
    if call.method == "chat.update":
        buttons.forget_message(channel, args.get("ts", ""))
        return f"(message updated{heading}) {body(args.get('ts', ''))}"
    if call.method == "response_url":
        visible = "(in channel)" if args.get("response_type") == "in_channel" else "(only you)"
        return f"{visible} {body(ephemeral=args.get('response_type') != 'in_channel')}"
    if call.method in ("views.open", "views.update", "views.push"):
        view = _view(args)
        return f"[modal: {_text(view.get('title'))}]\n{render_blocks(view.get('blocks'), '', names, buttons)}"
    if call.method == "views.publish":
        return f"[Home tab]\n{render_blocks(_view(args).get('blocks'), '', names, buttons)}"
    if call.method == "files.completeUploadExternal":
        files = args.get("files")
        titles = [f.get("title", "") for f in (json.loads(files) if isinstance(files, str) else files or [])]
        return f"(Roundtable sent you a file: {', '.join(titles)}) {args.get('initial_comment', '')}"
    if call.method == "reactions.add":
        return f"(Roundtable reacted :{args.get('name', '')}:)"
    return None
