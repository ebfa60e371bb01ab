"""Neutral forms (bot/forms.py) as Slack modals, and Slack's view submissions back as `Values`.

Each field is an input block whose block_id and action_id are the field's key; the parts between
fields render as bot/render/slack.py renders a message's. Everything stays within Slack's limits
(bot/render/slack_limits.py).
"""

from __future__ import annotations

from typing import Any

from bot import forms as f
from bot.render import slack as render
from bot.render import slack_limits as limits
from bot.text import truncate

ELEMENTS = {"text": "plain_text_input", "long_text": "plain_text_input", "select": "static_select",
            "multi_select": "multi_static_select", "date": "datepicker", "time": "timepicker",
            "checkbox": "checkboxes", "url": "url_text_input", "channel": "conversations_select"}
READ = {"datepicker": "selected_date", "timepicker": "selected_time", "conversations_select": "selected_conversation",
        "channels_select": "selected_channel", "users_select": "selected_user"}


def _plain(text: str, limit: int) -> dict[str, str]:
    return {"type": "plain_text", "text": truncate(text, limit)}


def option(choice: f.Option) -> dict[str, Any]:
    return {"text": _plain(choice.label, limits.OPTION_TEXT), "value": choice.value[:limits.OPTION_VALUE]}


def _picked(choices: tuple[f.Option, ...], values_: tuple[str, ...]) -> list[f.Option]:
    """The options with these values, in the order chosen (each once)."""
    by_value = {c.value: c for c in choices}
    return [by_value[v] for v in dict.fromkeys(values_) if v in by_value]


def element(field: f.Field) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ELEMENTS[field.kind], "action_id": field.key[:limits.ID_LENGTH]}
    value = field.value
    if field.kind in ("text", "long_text"):
        size = min(field.max_length or limits.INPUT_MAX, limits.INPUT_MAX)
        out |= {"max_length": size, "multiline": field.kind == "long_text"}
        if value:
            out["initial_value"] = str(value)[:size]
    elif field.kind == "url" and value:
        out["initial_value"] = str(value)
    elif field.kind in ("select", "multi_select", "checkbox"):
        choices = field.choices()[:limits.MAX_OPTIONS]
        out["options"] = [option(c) for c in choices]
        picked = _picked(choices, f.chosen({"v": value}, "v"))
        if field.kind == "select" and picked:
            out["initial_option"] = option(picked[0])
        elif field.kind != "select" and picked:
            out["initial_options"] = [option(c) for c in picked]
    elif field.kind == "date" and value:
        out["initial_date"] = str(value)
    elif field.kind == "time" and value:
        out["initial_time"] = str(value)
    elif field.kind == "channel":
        out["filter"] = {"include": ["public", "private"], "exclude_bot_users": True}
        if value:
            out["initial_conversation"] = str(value)
    if field.placeholder and field.kind not in ("checkbox", "date", "time", "url"):
        out["placeholder"] = _plain(field.placeholder, limits.PLACEHOLDER_TEXT)
    return out


def input_block(field: f.Field) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": field.key[:limits.ID_LENGTH], "optional": field.optional,
                             "label": _plain(field.label, limits.LABEL_TEXT), "element": element(field)}
    if field.hint:
        block["hint"] = _plain(field.hint, limits.LABEL_TEXT)
    return block


def view(form: f.Form) -> dict[str, Any]:
    """views.open / views.update / views.push arguments' `view`; a form without fields has no submit."""
    blocks: list[dict[str, Any]] = []
    for part in form.parts:
        if isinstance(part, f.Field):
            blocks.append(input_block(part))
        else:
            blocks += render.blocks((part,), limits.VIEW_BLOCKS - len(blocks))
    out: dict[str, Any] = {"type": "modal", "title": _plain(form.title, limits.VIEW_TITLE),
                           "close": _plain(form.close, limits.VIEW_TITLE), "blocks": blocks[:limits.VIEW_BLOCKS]}
    if form.kind:
        out["callback_id"] = form.kind[:limits.ID_LENGTH]
    if form.fields():
        out["submit"] = _plain(form.submit, limits.VIEW_TITLE)
    if form.state:
        out["private_metadata"] = form.state[:limits.PRIVATE_METADATA]
    return out


def _value(state: dict[str, Any]) -> str | tuple[str, ...]:
    kind = state.get("type", "")
    if kind in ("multi_static_select", "checkboxes"):
        return tuple(str(o.get("value", "")) for o in state.get("selected_options") or [] if isinstance(o, dict))
    if kind == "static_select":
        return str((state.get("selected_option") or {}).get("value") or "")
    return str(state.get(READ.get(kind, "value")) or "")


def values(view_: dict[str, Any]) -> f.Values:
    """What a view submission's fields hold, by field key (the block_id)."""
    out: dict[str, str | tuple[str, ...]] = {}
    for key, actions in ((view_.get("state") or {}).get("values") or {}).items():
        if isinstance(actions, dict):
            for state in actions.values():
                if isinstance(state, dict):
                    out[str(key)] = _value(state)
    return out


def submitted(view_: dict[str, Any], user_id: str = "") -> f.Submitted:
    return f.Submitted(kind=str(view_.get("callback_id") or ""), state=str(view_.get("private_metadata") or ""),
                       values=values(view_), user_id=user_id)


def errors(problems: dict[str, str]) -> dict[str, Any]:
    """The ack() arguments that show each problem at its field."""
    return {"response_action": "errors", "errors": {k: truncate(v, limits.LABEL_TEXT) for k, v in problems.items()}}


def update(form: f.Form) -> dict[str, Any]:
    """The ack() arguments that replace the submitted view with `form` (or show its errors)."""
    if form.errors:
        return errors(dict(form.errors))
    return {"response_action": "update", "view": view(form)}


KINDS: dict[str, f.Kind] = {element: kind for kind, element in ELEMENTS.items() if kind != "long_text"}
KINDS["channels_select"] = "channel"
INITIAL = {"datepicker": "initial_date", "timepicker": "initial_time", "conversations_select": "initial_conversation",
           "channels_select": "initial_channel"}


def _text(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def _options(found: Any) -> tuple[f.Option, ...]:
    return tuple(f.Option(str(o.get("value", "")), _text(o.get("text"))) for o in found or [] if isinstance(o, dict))


def field_of(block: dict[str, Any]) -> f.Field:
    """An input block read back as the field it renders (the inverse of `input_block`)."""
    element = block.get("element") or {}
    kind: f.Kind = KINDS.get(str(element.get("type", "")), "text")
    if kind == "text" and element.get("multiline"):
        kind = "long_text"
    value: str | tuple[str, ...]
    if kind in f.MULTIPLE:
        value = tuple(o.value for o in _options(element.get("initial_options")))
    elif kind == "select":
        value = str((element.get("initial_option") or {}).get("value") or "")
    else:
        value = str(element.get(INITIAL.get(str(element.get("type")), "initial_value")) or "")
    return f.Field(str(block.get("block_id") or element.get("action_id") or ""), _text(block.get("label")), kind,
                   value=value, hint=_text(block.get("hint")), placeholder=_text(element.get("placeholder")),
                   optional=bool(block.get("optional")), options=_options(element.get("options")),
                   max_length=int(element.get("max_length") or 0))


def form_of(view_: dict[str, Any]) -> f.Form:
    """A modal read back as the form it renders: its fields (what is shown between them is left to the
    message renderer), kind, title, buttons and state. For clients of a Slack view, such as the console."""
    fields = tuple(field_of(b) for b in view_.get("blocks") or [] if isinstance(b, dict) and b.get("type") == "input")
    return f.Form(str(view_.get("callback_id") or ""), _text(view_.get("title")), submit=_text(view_.get("submit")),
                  close=_text(view_.get("close")), parts=fields, state=str(view_.get("private_metadata") or ""))


def state(form: f.Form, values_: f.Values) -> dict[str, Any]:
    """The view submission's `state.values` Slack sends for `values_` typed into `form` (the inverse of `values`)."""
    out: dict[str, Any] = {}
    for field in form.fields():
        element = ELEMENTS[field.kind]
        picked = _picked(field.choices(), f.chosen(values_, field.key))
        if field.kind in f.MULTIPLE:
            found: dict[str, Any] = {"type": element, "selected_options": [option(c) for c in picked]}
        elif field.kind == "select":
            found = {"type": element, "selected_option": option(picked[0]) if picked else None}
        else:
            found = {"type": element, READ.get(element, "value"): f.text(values_, field.key) or None}
        out[field.key] = {field.key: found}
    return out
