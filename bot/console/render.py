"""Block Kit flattened to readable terminal text, for console mode."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator import Call

MENTION = re.compile(r"<@([A-Z0-9]+)>")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
DATE = re.compile(r"<!date\^\d+\^[^|]*\|([^>]+)>")
CHANNEL_LINK = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


@dataclass
class Choice:
    label: str
    action_id: str
    value: str
    channel: str = ""
    message_ts: str = ""


@dataclass
class Rendered:
    text: str
    choices: list[Choice] = field(default_factory=list)


@dataclass
class ModalInput:
    block_id: str
    action_id: str
    label: str
    kind: str
    optional: bool
    options: list[dict[str, Any]]
    initial: str = ""

    @property
    def hint(self) -> str:
        if self.options:
            names = ", ".join(o["text"]["text"] for o in self.options[:12])
            return f" [{names}{', ...' if len(self.options) > 12 else ''}]"
        return f" [{self.initial}]" if self.initial else ""

    def state(self, answer: str) -> dict[str, Any]:
        """The view_submission state Slack would send for this typed answer."""
        answer = answer.strip() or self.initial
        if self.kind in ("static_select", "multi_static_select"):
            wanted = [a.strip().lower() for a in answer.split(",") if a.strip()]
            chosen = [o for o in self.options if o["text"]["text"].lower() in wanted
                      or o["value"].lower() in wanted]
            if self.kind == "static_select":
                return {"type": self.kind, "selected_option": chosen[0] if chosen else None}
            return {"type": self.kind, "selected_options": chosen}
        if self.kind == "datepicker":
            return {"type": self.kind, "selected_date": answer or None}
        if self.kind == "timepicker":
            return {"type": self.kind, "selected_time": answer or None}
        if self.kind in ("conversations_select", "channels_select"):
            key = "selected_conversation" if self.kind == "conversations_select" else "selected_channel"
            return {"type": self.kind, key: answer or None}
        if self.kind == "users_select":
            return {"type": self.kind, "selected_user": answer or None}
        return {"type": self.kind, "value": answer or None}


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def readable(text: str, name_of: Callable[[str], str] = str) -> str:
    text = MENTION.sub(lambda m: "@" + name_of(m.group(1)), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = DATE.sub(lambda m: m.group(1), text)
    text = CHANNEL_LINK.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    return unescape(text)


def _text(obj: Any) -> str:
    return obj.get("text", "") if isinstance(obj, dict) else ""


def render_blocks(blocks: Any, fallback: str = "", name_of: Callable[[str], str] = str,
                  choices: list[Choice] | None = None, channel: str = "", ts: str = "") -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not blocks:
        return readable(fallback, name_of)
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {unescape(_text(block.get('text')))} ==")
        elif kind == "section":
            if block.get("text"):
                lines.append(readable(_text(block["text"]), name_of))
            lines.extend("  " + readable(_text(f), name_of) for f in block.get("fields", []))
            if block.get("accessory", {}).get("type") == "button" and choices is not None:
                lines.append(_button(block["accessory"], choices, channel, ts))
        elif kind == "context":
            lines.append("  " + " ".join(readable(_text(e), name_of) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("  ---")
        elif kind == "actions" and choices is not None:
            buttons = [e for e in block.get("elements", []) if e.get("type") == "button"]
            lines.append("  " + "  ".join(_button(b, choices, channel, ts) for b in buttons))
        elif kind == "input":
            lines.append(f"  [{_text(block.get('label'))}]")
    return "\n".join(lines)


def _button(button: dict[str, Any], choices: list[Choice], channel: str, ts: str) -> str:
    choices.append(Choice(_text(button.get("text")), button.get("action_id", ""),
                          button.get("value", ""), channel, ts))
    return f"[{len(choices)}] {_text(button.get('text'))}"


def render_call(call: Call, name_of: Callable[[str], str]) -> Rendered | None:
    args = call.args
    choices: list[Choice] = []
    channel = args.get("channel", "")

    def body(ts: str = "") -> str:
        return render_blocks(args.get("blocks"), args.get("text", ""), name_of, choices, channel, ts)

    if call.method == "chat.postMessage":
        where = f"#{channel}" + (" (thread)" if args.get("thread_ts") else "")
        return Rendered(f"{where} Roundtable:\n{body()}", choices)
    if call.method == "chat.postEphemeral":
        who = f"only {name_of(args['user'])} sees this" if args.get("user") else "only you"
        return Rendered(f"({who}) {body()}", choices)
    if call.method == "chat.update":
        return Rendered(f"(message updated) {body(args.get('ts', ''))}", choices)
    if call.method == "response_url":
        visible = "(in channel)" if args.get("response_type") == "in_channel" else "(only you)"
        return Rendered(f"{visible} {body()}", choices)
    if call.method in ("views.open", "views.update", "views.push"):
        view = json.loads(args["view"]) if isinstance(args.get("view"), str) else args.get("view", {})
        title = _text(view.get("title"))
        return Rendered(f"[modal: {title}]\n{render_blocks(view.get('blocks'), '', name_of, choices)}",
                        choices)
    if call.method == "views.publish":
        view = json.loads(args["view"]) if isinstance(args.get("view"), str) else args.get("view", {})
        return Rendered(f"[Home tab]\n{render_blocks(view.get('blocks'), '', name_of, choices)}", choices)
    if call.method == "files.completeUploadExternal":
        files = args.get("files")
        names = [f.get("title", "") for f in (json.loads(files) if isinstance(files, str) else files or [])]
        return Rendered(f"(Roundtable sent you a file: {', '.join(names)}) {args.get('initial_comment', '')}")
    if call.method == "reactions.add":
        return Rendered(f"(Roundtable reacted :{args.get('name', '')}:)")
    return None


def modal_inputs(view: dict[str, Any]) -> list[ModalInput]:
    inputs = []
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element", {})
        initial = (element.get("initial_value") or element.get("initial_date") or element.get("initial_time")
                   or element.get("initial_conversation") or element.get("initial_channel") or "")
        if element.get("initial_option"):
            initial = element["initial_option"]["text"]["text"]
        if element.get("initial_options"):
            initial = ", ".join(o["text"]["text"] for o in element["initial_options"])
        inputs.append(ModalInput(
            block_id=block.get("block_id", ""), action_id=element.get("action_id", ""),
            label=_text(block.get("label")), kind=element.get("type", "plain_text_input"),
            optional=bool(block.get("optional")), options=element.get("options", []),
            initial=initial,
        ))
    return inputs
