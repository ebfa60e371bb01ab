"""Modals as terminal forms: one prompt per field, by its label, with its hint and current value.

Enter keeps the value shown in [brackets], `-` clears an optional field, `:cancel` (or Ctrl-D)
leaves the form without saving. A field the bot refuses is asked again, with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CANCEL = ":cancel"
EVERY_FIELD = ":all"
CLEAR = "-"
HOW = f"(Enter keeps [the value shown], {CLEAR} clears an optional field, {CANCEL} leaves the form)"
AGAIN = f"(the fields refused are asked again; {EVERY_FIELD} goes through every field)"
SHOWN_OPTIONS = 12
Submit = Callable[[dict[str, dict[str, Any]]], dict[str, Any]]  # state values -> the bot's answer


class FormCancelled(Exception):
    """The person left the form: nothing is submitted."""


class EveryField(Exception):
    """The person asked to go through every field again."""


def _text(obj: Any) -> str:
    return obj.get("text", "") if isinstance(obj, dict) else ""


@dataclass
class Field:
    block_id: str
    action_id: str
    label: str
    kind: str
    optional: bool
    options: list[dict[str, Any]] = field(default_factory=list)
    value: str = ""  # what the field holds now: its initial value, then what was typed
    hint: str = ""
    max_length: int = 0  # Slack refuses longer text in the form itself

    def prompt(self) -> str:
        parts = [self.label + (" (optional)" if self.optional else "")]
        if self.options:
            names = ", ".join(_text(o["text"]) for o in self.options[:SHOWN_OPTIONS])
            parts.append(f"one of: {names}{', ...' if len(self.options) > SHOWN_OPTIONS else ''}"
                         if self.kind == "static_select" else f"any of: {names}")
        if self.value:
            parts.append(f"[{self.value}]")
        return " ".join(parts) + ": "

    def take(self, answer: str) -> str | None:
        """Take a typed answer; an error to show when it cannot be taken."""
        answer = answer.strip()
        if answer == CLEAR:
            if not self.optional:
                return f"{self.label} is required, it cannot be cleared."
            self.value = ""
        elif answer:
            self.value = answer
        if not self.value and not self.optional:
            return f"{self.label} is required."
        if self.max_length and len(self.value) > self.max_length:
            return f"{self.label}: at most {self.max_length:,} characters (this is {len(self.value):,})."
        unknown = [w for w in self._wanted() if not self._matching(w)] if self.options else []
        if unknown:
            return f"{self.label}: {unknown[0]!r} is not one of the choices shown."
        return None

    def _wanted(self) -> list[str]:
        if self.kind == "static_select":
            return [self.value.strip()] if self.value.strip() else []
        return [a.strip() for a in self.value.split(",") if a.strip()]

    def _matching(self, wanted: str) -> list[dict[str, Any]]:
        return [o for o in self.options if wanted.lower() in (_text(o["text"]).lower(), o["value"].lower())]

    def chosen(self) -> list[dict[str, Any]]:
        return [o for w in self._wanted() for o in self._matching(w)[:1]]

    def state(self) -> dict[str, Any]:
        """The view_submission state Slack would send for this field."""
        value = self.value or None
        if self.kind == "static_select":
            chosen = self.chosen()
            return {"type": self.kind, "selected_option": chosen[0] if chosen else None}
        if self.kind == "multi_static_select":
            return {"type": self.kind, "selected_options": self.chosen()}
        keys = {"datepicker": "selected_date", "timepicker": "selected_time", "users_select": "selected_user",
                "conversations_select": "selected_conversation", "channels_select": "selected_channel"}
        return {"type": self.kind, keys.get(self.kind, "value"): value}


def fields_of(view: dict[str, Any]) -> list[Field]:
    fields = []
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element", {})
        value = (element.get("initial_value") or element.get("initial_date") or element.get("initial_time")
                 or element.get("initial_conversation") or element.get("initial_channel")
                 or element.get("initial_user") or "")
        if element.get("initial_option"):
            value = _text(element["initial_option"]["text"])
        if element.get("initial_options"):
            value = ", ".join(_text(o["text"]) for o in element["initial_options"])
        fields.append(Field(
            block_id=block.get("block_id", ""), action_id=element.get("action_id", ""),
            label=_text(block.get("label")), kind=element.get("type", "plain_text_input"),
            optional=bool(block.get("optional")), options=element.get("options", []), value=value,
            hint=_text(block.get("hint")) or _text(element.get("placeholder")),
            max_length=int(element.get("max_length") or 0),
        ))
    return fields


def fill(view: dict[str, Any], ask: Callable[[str], str], write: Callable[[str], None],
         submit: Submit) -> dict[str, Any]:
    """Ask for every field, submit, and ask again for the fields refused; the accepted answer.

    Raises FormCancelled when the person leaves the form (`:cancel`, Ctrl-D or Ctrl-C)."""
    fields = fields_of(view)
    write("  " + HOW)
    asking = fields
    while True:
        try:
            for item in asking:
                _ask_field(item, ask, write)
        except EveryField:
            asking = fields
            continue
        answer = submit({f.block_id: {f.action_id: f.state()} for f in fields})
        errors = answer.get("errors") or {}
        if answer.get("response_action") != "errors" or not errors:
            return answer
        labels = {f.block_id: f.label for f in fields}
        for block_id, error in errors.items():
            write(f"  ! {labels.get(block_id, block_id)}: {error}")
        write("  " + AGAIN)
        asking = [f for f in fields if f.block_id in errors] or fields


def _ask_field(item: Field, ask: Callable[[str], str], write: Callable[[str], None]) -> None:
    if item.hint:
        write(f"  ({item.hint})")
    while True:
        try:
            typed = ask(item.prompt())
        except (EOFError, KeyboardInterrupt):
            raise FormCancelled from None
        if typed.strip() == CANCEL:
            raise FormCancelled
        if typed.strip() == EVERY_FIELD:
            raise EveryField
        problem = item.take(typed)
        if problem is None:
            return
        write(f"  ! {problem}")
