"""Neutral forms (bot/forms.py) as Teams dialogs (task modules), and their submissions back as `Values`.

The twin of bot/render/slack_forms.py. Each field is an `Input.*` whose id is the field's key, with
its label, `isRequired` (unless optional), prefilled value, a hint below it and, when the form has an
error for it, that error at the field (a red TextBlock, and `errorMessage` for Teams' own check).
The parts between fields render as bot/render/teams.py renders a message's, escaped the same way.
The submit is an `Action.Submit` whose data carries the form's kind, its state and which fields hold
several values (`FORM` key), so `read_form` needs nothing but the submission. Multi-selects come back
comma-separated (Adaptive Cards' own encoding): option values must not contain a comma. A `channel`
field has no picker in Adaptive Cards 1.5: it is a choice of its options, or a text input without.
Everything stays within bot/render/teams_limits.py (the card within MESSAGE_BYTES: parts between
fields that do not fit are dropped from the end and counted as "and N more", then prefilled texts
and choice titles are cut shorter: a form of many long prefilled fields is shown cut, like Slack's).
"""

from __future__ import annotations

from typing import Any

from bot import forms as f
from bot.render import teams
from bot.render import teams_limits as limits
from bot.text import truncate

FORM = "roundtable_form"  # the submit data's own key; no field may use it (nor Teams' `msteams`)
RESERVED = frozenset({FORM, "msteams"})


def _choice(option: f.Option, cap: int = limits.LABEL) -> dict[str, str]:
    return {"title": truncate(option.label, min(cap, limits.LABEL)), "value": option.value}


def _multiple(field: f.Field) -> bool:
    return field.kind in f.MULTIPLE


def element(field: f.Field, cap: int = limits.INPUT_MAX) -> dict[str, Any]:
    """The Input.* for one field (labels, titles and values are plain text in Adaptive Cards);
    `cap` bounds a prefilled text and each choice's title when the whole card would not fit."""
    if field.key in RESERVED:
        raise ValueError(f"a field may not be called {field.key!r}")
    out: dict[str, Any] = {"id": field.key, "label": truncate(field.label, limits.LABEL),
                           "isRequired": not field.optional}
    value = field.value
    if field.kind == "checkbox" and not field.options:
        out |= {"type": "Input.Toggle", "title": truncate(field.label, limits.LABEL), "valueOn": field.key,
                "valueOff": "", "value": field.key if field.key in f.chosen({"v": value}, "v") else ""}
        out["isRequired"] = False  # an unticked box is an answer
    elif field.kind in ("select", "multi_select", "checkbox") or (field.kind == "channel" and field.options):
        choices = field.choices()[: limits.CHOICES]
        picked = [c.value for c in choices if c.value in f.chosen({"v": value}, "v")]
        out |= {"type": "Input.ChoiceSet", "choices": [_choice(c, cap) for c in choices],
                "isMultiSelect": _multiple(field), "style": "expanded" if field.kind == "checkbox" else "compact"}
        if picked:
            out["value"] = ",".join(picked if _multiple(field) else picked[:1])
    elif field.kind == "date":
        out |= {"type": "Input.Date"} | ({"value": str(value)} if value else {})
    elif field.kind == "time":
        out |= {"type": "Input.Time"} | ({"value": str(value)} if value else {})
    else:  # text, long_text, url, channel without options
        size = min(field.max_length or limits.INPUT_MAX, limits.INPUT_MAX)
        out |= {"type": "Input.Text", "maxLength": size, "isMultiline": field.kind == "long_text"}
        if field.kind == "url":
            out["style"] = "Url"
        if value:
            out["value"] = str(value)[: min(size, cap)]
    if field.placeholder and out["type"] in ("Input.Text", "Input.ChoiceSet"):
        out["placeholder"] = truncate(field.placeholder, limits.LABEL)
    return out


def inputs(field: f.Field, error: str = "", cap: int = limits.INPUT_MAX) -> list[dict[str, Any]]:
    """The field's input, its hint below it, and its error (if any) at it."""
    out = [element(field, cap)]
    if field.hint:
        out.append(teams.block(teams.escape(truncate(field.hint, limits.LABEL)), isSubtle=True, size="Small",
                               spacing="None"))
    if error:
        out[0]["errorMessage"] = truncate(error, limits.LABEL)
        out.append(teams.block(teams.escape(truncate(error, limits.LABEL)), color="Attention", spacing="None"))
    return out


def _build(form: f.Form, keep: int, cap: int = limits.INPUT_MAX) -> dict[str, Any]:
    w = teams.Writer(str)
    body: list[dict[str, Any]] = []
    shown = dropped = 0
    for part in form.parts:
        if isinstance(part, f.Field):
            body += inputs(part, form.errors.get(part.key, ""), cap)
        elif shown < keep:
            body += teams.elements(part, w)
            shown += 1
        else:
            dropped += 1
    if dropped:
        body.append(teams.block(f"and {dropped} more", isSubtle=True))
    fields = form.fields()
    actions = []
    if fields:
        data = {FORM: {"kind": form.kind, "state": form.state[: limits.STATE],
                       "multiple": [x.key for x in fields if _multiple(x)]}}
        actions.append({"type": "Action.Submit", "title": truncate(form.submit, limits.BUTTON_TITLE),
                        "style": "positive", "data": data})
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.5", "body": body, "actions": actions, "fallbackText": truncate(form.title, limits.LABEL),
            "msteams": {"entities": teams.entities(w)}}


def form_card(form: f.Form) -> dict[str, Any]:
    """The dialog's Adaptive Card within MESSAGE_BYTES: trailing parts that do not fit are counted,
    then prefilled texts and choice titles are cut shorter (halved, down to MIN_CAP) until it fits."""
    keep, cap = sum(1 for p in form.parts if not isinstance(p, f.Field)), limits.INPUT_MAX
    out = _build(form, keep, cap)
    while keep > 0 and limits.size(out) > limits.MESSAGE_BYTES:
        keep -= 1
        out = _build(form, keep, cap)
    while cap > limits.MIN_CAP and limits.size(out) > limits.MESSAGE_BYTES:
        cap = max(limits.MIN_CAP, cap // 2)
        out = _build(form, keep, cap)
    return out


def dialog(form: f.Form) -> dict[str, Any]:
    """The invoke response that opens the dialog (task/fetch) or replaces it, errors shown (task/submit)."""
    return {"task": {"type": "continue", "value": {
        "title": truncate(form.title, limits.LABEL), "width": "medium", "height": "medium",
        "card": {"contentType": teams.CARD, "content": form_card(form)}}}}


def _state(data: Any) -> dict[str, Any]:
    own = data.get(FORM) if isinstance(data, dict) else None
    return own if isinstance(own, dict) else {}


def read_form(data: Any) -> f.Values:
    """What a dialog submission's fields hold, by field key (multi-choice fields as tuples)."""
    if not isinstance(data, dict):
        return {}
    multiple = {str(k) for k in _state(data).get("multiple") or [] if isinstance(k, str)}
    out: dict[str, str | tuple[str, ...]] = {}
    for key, value in data.items():
        if key in RESERVED or not isinstance(key, str) or isinstance(value, dict | list):
            continue
        text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        out[key] = tuple(v for v in text.split(",") if v) if key in multiple else text
    for key in multiple - out.keys():
        out[key] = ()
    return out


def submitted(data: Any, user_id: str = "") -> f.Submitted:
    """A task/submit's `data` in the bot's own terms."""
    own = _state(data)
    return f.Submitted(kind=str(own.get("kind") or ""), state=str(own.get("state") or ""),
                       values=read_form(data), user_id=user_id)
