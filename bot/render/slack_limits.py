"""Slack's Block Kit limits: the one place they are written down.

bot/render/slack.py keeps every message and view within them; the Web API emulator runs every
message and view the bot sends through `message_problems` / `view_problems` with the same numbers,
so anything too long fails in tests as it would in Slack (`invalid_blocks`).
Numbers: shared/reference/slack-platform.md.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
SECTION_TEXT, FIELD_TEXT, MAX_FIELDS = 3000, 2000, 10
HEADER_TEXT = 150
ACTIONS_ELEMENTS, CONTEXT_ELEMENTS = 25, 10
BUTTON_TEXT, BUTTON_VALUE, ID_LENGTH = 75, 2000, 255
MAX_OPTIONS, OPTION_TEXT, OPTION_VALUE = 100, 75, 150
VIEW_TITLE, PRIVATE_METADATA, INPUT_MAX = 24, 3000, 3000
LABEL_TEXT, PLACEHOLDER_TEXT = 2000, 150
MESSAGE_TEXT = 40_000  # a message's top-level text
CONFIRM_TITLE, CONFIRM_TEXT, CONFIRM_BUTTON = 100, 300, 30  # a button's confirm dialog


def _text(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def _check_len(problems: list[str], where: str, value: str, limit: int) -> None:
    if len(value) > limit:
        problems.append(f"{where}: {len(value)} characters, more than {limit}")


def _element(problems: list[str], where: str, element: dict[str, Any]) -> None:
    kind = element.get("type")
    _check_len(problems, f"{where}.action_id", str(element.get("action_id", "")), ID_LENGTH)
    if kind == "button":
        _check_len(problems, f"{where}.text", _text(element.get("text")), BUTTON_TEXT)
        _check_len(problems, f"{where}.value", str(element.get("value", "")), BUTTON_VALUE)
    if "placeholder" in element:
        _check_len(problems, f"{where}.placeholder", _text(element["placeholder"]), PLACEHOLDER_TEXT)
    options = element.get("options") or []
    if len(options) > MAX_OPTIONS:
        problems.append(f"{where}: {len(options)} options, more than {MAX_OPTIONS}")
    for n, option in enumerate([*options, *element.get("initial_options", []),
                                *([element["initial_option"]] if element.get("initial_option") else [])]):
        _check_len(problems, f"{where}.options[{n}].text", _text(option.get("text")), OPTION_TEXT)
        _check_len(problems, f"{where}.options[{n}].value", str(option.get("value", "")), OPTION_VALUE)
    if kind == "plain_text_input":
        limit = int(element.get("max_length") or INPUT_MAX)
        if limit > INPUT_MAX:
            problems.append(f"{where}.max_length: {limit}, more than {INPUT_MAX}")
        _check_len(problems, f"{where}.initial_value", str(element.get("initial_value", "")), limit)


def block_problems(blocks: list[dict[str, Any]], limit: int) -> list[str]:
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks, more than {limit}")
    for n, block in enumerate(blocks):
        where, kind = f"blocks[{n}]", block.get("type")
        _check_len(problems, f"{where}.block_id", str(block.get("block_id", "")), ID_LENGTH)
        if kind == "header":
            _check_len(problems, f"{where}.text", _text(block.get("text")), HEADER_TEXT)
        elif kind == "section":
            text, fields = _text(block.get("text")), block.get("fields") or []
            if not text.strip() and not fields:
                problems.append(f"{where}: a section needs text or fields")
            _check_len(problems, f"{where}.text", text, SECTION_TEXT)
            if len(fields) > MAX_FIELDS:
                problems.append(f"{where}: {len(fields)} fields, more than {MAX_FIELDS}")
            for i, item in enumerate(fields):
                _check_len(problems, f"{where}.fields[{i}]", _text(item), FIELD_TEXT)
            if isinstance(block.get("accessory"), dict):
                _element(problems, f"{where}.accessory", block["accessory"])
        elif kind == "actions":
            elements = block.get("elements") or []
            if len(elements) > ACTIONS_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements, more than {ACTIONS_ELEMENTS}")
            for i, element in enumerate(elements):
                _element(problems, f"{where}.elements[{i}]", element)
        elif kind == "context":
            elements = block.get("elements") or []
            if len(elements) > CONTEXT_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements, more than {CONTEXT_ELEMENTS}")
            for i, element in enumerate(elements):
                _check_len(problems, f"{where}.elements[{i}]", _text(element), SECTION_TEXT)
        elif kind == "input":
            _check_len(problems, f"{where}.label", _text(block.get("label")), LABEL_TEXT)
            _element(problems, f"{where}.element", block.get("element") or {})
    return problems


def message_problems(blocks: Any) -> list[str]:
    return block_problems(blocks, MESSAGE_BLOCKS) if isinstance(blocks, list) else []


def view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return []
    problems = block_problems(view.get("blocks") or [], VIEW_BLOCKS)
    for part in ("title", "submit", "close"):
        if part in view:
            _check_len(problems, f"view.{part}", _text(view[part]), VIEW_TITLE)
    _check_len(problems, "view.private_metadata", str(view.get("private_metadata", "")), PRIVATE_METADATA)
    _check_len(problems, "view.callback_id", str(view.get("callback_id", "")), ID_LENGTH)
    return problems
