"""Forms (bot/forms.py) as terminal prompts: one prompt per field, by its label, with its hint and current value.

Enter keeps the value shown in [brackets], `-` clears an optional field, `:cancel` (or Ctrl-D)
leaves the form without saving. A field the bot refuses is asked again, with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot import forms as f

CANCEL = ":cancel"
EVERY_FIELD = ":all"
CLEAR = "-"
HOW = f"(Enter keeps [the value shown], {CLEAR} clears an optional field, {CANCEL} leaves the form)"
AGAIN = f"(the fields refused are asked again; {EVERY_FIELD} goes through every field)"
SHOWN_OPTIONS = 12
Submit = Callable[[f.Values], dict[str, Any]]  # what the fields hold -> the bot's answer (errors by field key)


class FormCancelled(Exception):
    """The person left the form: nothing is submitted."""


class EveryField(Exception):
    """The person asked to go through every field again."""


@dataclass
class Asked:
    """A form's field as the terminal asks it: `typed` is what it holds now, as the person reads it
    (an option by its label), first its prefilled value, then what was typed."""

    field: f.Field
    typed: str = ""

    @classmethod
    def of(cls, field: f.Field) -> Asked:
        labels = {c.value: c.label for c in field.choices()}
        shown = [labels.get(v, v) for v in f.chosen({"v": field.value}, "v")] if field.options else []
        return cls(field, ", ".join(shown) if field.options else str(field.value))

    @property
    def label(self) -> str:
        return self.field.label

    @property
    def hint(self) -> str:
        return self.field.hint or self.field.placeholder

    def prompt(self) -> str:
        parts = [self.label + (" (optional)" if self.field.optional else "")]
        if self.field.options:
            names = ", ".join(c.label for c in self.field.options[:SHOWN_OPTIONS])
            more = ", ..." if len(self.field.options) > SHOWN_OPTIONS else ""
            parts.append(f"one of: {names}{more}" if self.field.kind == "select" else f"any of: {names}{more}")
        if self.typed:
            parts.append(f"[{self.typed}]")
        return " ".join(parts) + ": "

    def take(self, answer: str) -> str | None:
        """Take a typed answer; an error to show when it cannot be taken."""
        answer = answer.strip()
        if answer == CLEAR:
            if not self.field.optional:
                return f"{self.label} is required, it cannot be cleared."
            self.typed = ""
        elif answer:
            self.typed = answer
        if not self.typed and not self.field.optional:
            return f"{self.label} is required."
        if self.field.max_length and len(self.typed) > self.field.max_length:
            return f"{self.label}: at most {self.field.max_length:,} characters (this is {len(self.typed):,})."
        unknown = [w for w in self._wanted() if not self._matching(w)] if self.field.options else []
        if unknown:
            return f"{self.label}: {unknown[0]!r} is not one of the choices shown."
        return None

    def _wanted(self) -> list[str]:
        if self.field.kind == "select":
            return [self.typed.strip()] if self.typed.strip() else []
        return [a.strip() for a in self.typed.split(",") if a.strip()]

    def _matching(self, wanted: str) -> list[f.Option]:
        return [c for c in self.field.choices() if wanted.lower() in (c.label.lower(), c.value.lower())]

    def value(self) -> str | tuple[str, ...]:
        """What the field holds, as a submission carries it (option values)."""
        if not self.field.options:
            return self.typed
        chosen = tuple(dict.fromkeys(o.value for w in self._wanted() for o in self._matching(w)[:1]))
        if self.field.kind == "select":
            return chosen[0] if chosen else ""
        return chosen


def fill(form: f.Form, ask: Callable[[str], str], write: Callable[[str], None], submit: Submit) -> dict[str, Any]:
    """Ask for every field, submit, and ask again for the fields refused; the accepted answer.

    Raises FormCancelled when the person leaves the form (`:cancel`, Ctrl-D or Ctrl-C)."""
    fields = [Asked.of(field) for field in form.fields()]
    write("  " + HOW)
    asking = fields
    while True:
        try:
            for item in asking:
                _ask_field(item, ask, write)
        except EveryField:
            asking = fields
            continue
        answer = submit({item.field.key: item.value() for item in fields})
        errors = answer.get("errors") or {}
        if answer.get("response_action") != "errors" or not errors:
            return answer
        labels = {item.field.key: item.label for item in fields}
        for key, error in errors.items():
            write(f"  ! {labels.get(key, key)}: {error}")
        write("  " + AGAIN)
        asking = [item for item in fields if item.field.key in errors] or fields


def _ask_field(item: Asked, ask: Callable[[str], str], write: Callable[[str], None]) -> None:
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
