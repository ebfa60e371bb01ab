"""Slack's Block Kit limits and mrkdwn safety, checked on anything a builder returns.

Limits from shared/reference/slack-platform.md; slack_sdk's own models validate what they know too.
A `<` in mrkdwn is only allowed as one of the bot's own control sequences: a date, a mention of a
user id, a channel link, a web link. Anything else means user text reached Slack unescaped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.render import slack_limits as limits

# the numbers are written once, in bot/render/slack_limits.py; the checks here are written apart
MESSAGE_BLOCKS, VIEW_BLOCKS, MESSAGE_TEXT = limits.MESSAGE_BLOCKS, limits.VIEW_BLOCKS, limits.MESSAGE_TEXT
TEXT_LIMITS = {"section": limits.SECTION_TEXT, "header": limits.HEADER_TEXT}
SECTION_FIELDS, ACTIONS_ELEMENTS, CONTEXT_ELEMENTS = limits.MAX_FIELDS, limits.ACTIONS_ELEMENTS, limits.CONTEXT_ELEMENTS
BUTTON_TEXT, BUTTON_VALUE, ID_LIMIT = limits.BUTTON_TEXT, limits.BUTTON_VALUE, limits.ID_LENGTH
OPTIONS, OPTION_TEXT, OPTION_VALUE = limits.MAX_OPTIONS, limits.OPTION_TEXT, limits.OPTION_VALUE
VIEW_TITLE, PRIVATE_METADATA = limits.VIEW_TITLE, limits.PRIVATE_METADATA  # title, submit, close

OWN_SEQUENCES = re.compile(
    r"<!date\^\d+\^[^|<>]*\|[^<>]*>"  # <!date^EPOCH^{token}|fallback>
    r"|<@[UW][A-Z0-9]+>"  # a mention of a user id
    r"|<#[CGD][A-Z0-9]+(\|[^<>]*)?>"  # a channel link
    r"|<https?://[^\s|<>]+(\|[^<>]*)?>"  # a web link, its label escaped
)
def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text object's text in blocks (plain_text shows `<` literally: no risk there)."""
    return text_objects(node, ("mrkdwn",))


def text_objects(node: Any, kinds: tuple[str, ...] = ("plain_text", "mrkdwn")) -> list[str]:
    """The text of every text object of `kinds` in blocks, a message or a view, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") in kinds and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found += text_objects(value, kinds)
    elif isinstance(node, list):
        for item in node:
            found += text_objects(item, kinds)
    return found


BLOCKQUOTE = re.compile(r"^>", re.MULTILINE)  # mrkdwn's quote marker, the bot's own


def assert_no_unescaped_user_text(text: str) -> None:
    stray = BLOCKQUOTE.sub("", OWN_SEQUENCES.sub("", text))
    assert "<" not in stray and ">" not in stray, f"unescaped < or > in mrkdwn: {text[:300]!r}"


def assert_block_limits(block: dict[str, Any]) -> None:
    kind = block["type"]
    for key in ("block_id", "action_id"):
        assert len(block.get(key, "")) <= ID_LIMIT
    if kind in TEXT_LIMITS and "text" in block:
        assert len(block["text"]["text"]) <= TEXT_LIMITS[kind], f"{kind} text {len(block['text']['text'])}"
    if kind == "section":
        assert len(block.get("fields", [])) <= SECTION_FIELDS
        for field in block.get("fields", []):
            assert len(field["text"]) <= limits.FIELD_TEXT
    if kind == "actions":
        assert len(block["elements"]) <= ACTIONS_ELEMENTS
    if kind == "context":
        assert len(block["elements"]) <= CONTEXT_ELEMENTS
        for element in block["elements"]:
            assert len(element.get("text", "")) <= limits.SECTION_TEXT
    for element in [*block.get("elements", []), block.get("element", {}), block.get("accessory", {})]:
        assert_element_limits(element)
    Block.parse(block).validate_json()  # type: ignore[union-attr]


def assert_element_limits(element: dict[str, Any]) -> None:
    if not element:
        return
    assert len(element.get("action_id", "")) <= ID_LIMIT
    if element.get("type") == "button":
        assert len(element["text"]["text"]) <= BUTTON_TEXT
        assert len(element.get("value", "")) <= BUTTON_VALUE
    options = element.get("options", [])
    assert len(options) <= OPTIONS
    for option in [*options, *element.get("initial_options", []),
                   *([element["initial_option"]] if "initial_option" in element else [])]:
        assert len(option["text"]["text"]) <= OPTION_TEXT
        assert len(option["value"]) <= OPTION_VALUE
    if "initial_value" in element and "max_length" in element:
        assert len(element["initial_value"]) <= element["max_length"]


def assert_message(message: dict[str, Any]) -> None:
    """chat.postMessage / respond() arguments: limits hold, user text escaped."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    assert message.get("text") or blocks, "a message with nothing to show"
    assert len(message.get("text", "")) <= MESSAGE_TEXT
    assert len(blocks) <= MESSAGE_BLOCKS, f"{len(blocks)} blocks"
    for block in blocks:
        assert_block_limits(block)
    for text in [message.get("text", ""), *mrkdwn_texts(blocks)]:
        assert_no_unescaped_user_text(text)


def assert_view(view: dict[str, Any]) -> None:
    """views.open / views.publish: limits hold, user text escaped."""
    assert len(view["blocks"]) <= VIEW_BLOCKS
    for key in ("title", "submit", "close"):
        if key in view:
            assert len(view[key]["text"]) <= VIEW_TITLE, f"{key} {view[key]['text']!r}"
    assert len(view.get("private_metadata", "")) <= PRIVATE_METADATA
    for block in view["blocks"]:
        assert_block_limits(block)
    for text in mrkdwn_texts(view["blocks"]):
        assert_no_unescaped_user_text(text)
    View(**view).validate_json()
