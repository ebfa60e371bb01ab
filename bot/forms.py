"""A form in neutral terms: fields, and message parts shown between them.

Features build a `Form` (what it asks, prefilled) and read a submission as `Values` (by field key);
each platform renders the form and reads its submissions (bot/render/slack_forms.py for a Slack
modal, bot/console/forms.py for the terminal; an Adaptive Card dialog plugs in beside them).
Nothing here is markup or a platform's limit: `max_length` is what the bot keeps, and a renderer
keeps within its platform's own limits too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

from bot import messages as m

Kind = Literal["text", "long_text", "select", "multi_select", "date", "time", "checkbox", "url", "channel"]
MULTIPLE: frozenset[str] = frozenset({"multi_select", "checkbox"})  # their values are tuples


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One thing a form asks. `value` is prefilled: a string, or a tuple of option values for the
    kinds in MULTIPLE. `date` is YYYY-MM-DD, `time` HH:MM, `channel` a channel (conversation) id.
    A `checkbox` field with no options is one box, ticked when its value holds its key."""

    key: str
    label: str
    kind: Kind
    value: str | tuple[str, ...] = ""
    hint: str = ""
    placeholder: str = ""
    optional: bool = False
    options: tuple[Option, ...] = ()
    max_length: int = 0

    def choices(self) -> tuple[Option, ...]:
        if self.kind == "checkbox" and not self.options:
            return (Option(self.key, self.label),)
        return self.options


NO_ERRORS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Form:
    """`kind`: what submitting it does (the listener's name for it); `state`: opaque text carried
    through to the submission; `errors`: field key -> what is wrong there (shown at that field).
    A form with no fields only shows its parts (an info view: no submit)."""

    kind: str
    title: str
    submit: str = "Save"
    close: str = "Cancel"
    parts: tuple[Field | m.Part, ...] = ()
    state: str = ""
    errors: Mapping[str, str] = field(default_factory=lambda: NO_ERRORS)

    def fields(self) -> tuple[Field, ...]:
        return tuple(p for p in self.parts if isinstance(p, Field))

    def refilled(self, values: Mapping[str, str | tuple[str, ...]]) -> Form:
        """The form holding what a refused submission carried (a platform that redraws the form on
        errors, as Teams' dialogs do, shows the member's values again, not the defaults)."""
        return replace(self, parts=tuple(replace(p, value=values[p.key]) if isinstance(p, Field) and p.key in values
                                         else p for p in self.parts))

    def prefilled(self) -> Mapping[str, str | tuple[str, ...]]:
        """What submitting it unchanged carries, by field key."""
        return {f.key: f.value for f in self.fields()}


Values = Mapping[str, str | tuple[str, ...]]  # what a submission carries, by field key


def text(values: Values, key: str) -> str:
    """A field's value as text ("" when absent; a multiple value's first choice)."""
    found = values.get(key, "")
    if isinstance(found, tuple):
        return found[0] if found else ""
    return found


def chosen(values: Values, key: str) -> tuple[str, ...]:
    """A field's values as a tuple (a single value as one, nothing when empty)."""
    found = values.get(key, ())
    if isinstance(found, str):
        return (found,) if found else ()
    return tuple(found)


def carried(state: str) -> dict[str, object]:
    """What a form's `state` carries (JSON written by the form's builder); {} when it is anything else."""
    try:
        found = json.loads(state or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def whole_number(value: object) -> int | None:
    """A carried id: a positive int that fits a database id (never a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31 else None


@dataclass(frozen=True)
class Submitted:
    """A submission in the bot's own terms: which form, its state, what the fields hold, who sent it."""

    kind: str
    state: str
    values: Values
    user_id: str = ""
