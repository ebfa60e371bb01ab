"""The share/edit modal: built from a draft, read back from Slack's view state into a draft."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.practices.rules import LIMITS, PracticeDraft
from bot.topics import (
    LABELS,
    MAX_TOPIC_LENGTH,
    MAX_TOPICS,
    TOPICS,
    is_known,
    normalize_topic,
    normalize_topics,
    slugify,
)

CALLBACK_ID = "practice_share"
HINTS = {
    "problem": "What was not working, and for whom.",
    "outcome": "Measurable where possible: hours saved, dollars, residents served.",
    "free_topics": "Anything the list above misses, as #words or separated by commas: #snow-removal, #311",
}


def option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value[:150]}


def text_input(block_id: str, label: str, initial: str, *, limit: int, multiline: bool = False,
               optional: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id, "max_length": limit,
                               "multiline": multiline}
    if initial:
        element["initial_value"] = initial[:limit]
    block = {"type": "input", "block_id": block_id, "optional": optional,
             "label": {"type": "plain_text", "text": label}, "element": element}
    if block_id in HINTS:
        block["hint"] = {"type": "plain_text", "text": HINTS[block_id]}
    return block


PUBLISH = "publish"
PUBLISH_OPTION = option(PUBLISH, "Publish on the web library")


def publish_input(published: bool) -> dict[str, Any]:
    """Off by default: a practice reaches the public web only by its sharer's (or a moderator's) choice."""
    element: dict[str, Any] = {"type": "checkboxes", "action_id": PUBLISH, "options": [PUBLISH_OPTION]}
    if published:
        element["initial_options"] = [PUBLISH_OPTION]
    return {"type": "input", "block_id": PUBLISH, "optional": True, "element": element,
            "label": {"type": "plain_text", "text": "Web library"},
            "hint": {"type": "plain_text", "text": "Anyone on the web can then read it (never from a private channel)."}}


def build_share_modal(draft: PracticeDraft, *, channel_id: str, practice_id: int | None = None,
                      question_id: int | None = None) -> dict[str, Any]:
    """The share form; `question_id` when it saves an answered question (the answer's author is credited)."""
    known = [t for t in draft.topics if is_known(t)]
    free = " ".join(f"#{t}" for t in draft.topics if not is_known(t))
    topics: dict[str, Any] = {"type": "multi_static_select", "action_id": "topics",
                              "placeholder": {"type": "plain_text", "text": "Pick topics"},
                              "options": [option(slug, label) for slug, label in TOPICS]}
    if known:
        topics["initial_options"] = [option(t, LABELS[t]) for t in known]
    blocks = [
        text_input("title", "Title", draft.title, limit=LIMITS["title"]),
        text_input("city", "City", draft.city, limit=LIMITS["city"]),
        text_input("problem", "The problem", draft.problem, limit=LIMITS["problem"], multiline=True),
        text_input("solution", "What was done", draft.solution, limit=LIMITS["solution"], multiline=True),
        text_input("outcome", "The outcome", draft.outcome, limit=LIMITS["outcome"], multiline=True),
        {"type": "input", "block_id": "topics", "optional": True,
         "label": {"type": "plain_text", "text": "Topics"}, "element": topics},
        text_input("free_topics", "Other topics", free, limit=300, optional=True),
        text_input("cost", "Cost or timeline", draft.cost, limit=LIMITS["cost"], optional=True),
        text_input("contact", "Contact", draft.contact, limit=LIMITS["contact"], optional=True),
        publish_input(draft.published),
    ]
    metadata = json.dumps({"practice_id": practice_id, "channel_id": channel_id,
                           **({"question_id": question_id} if question_id else {})})
    return {
        "type": "modal", "callback_id": CALLBACK_ID, "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Edit practice" if practice_id else "Share a practice"},
        "submit": {"type": "plain_text", "text": "Save" if practice_id else "Share"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


TOPIC_SEPARATORS = re.compile(r"[#,;\n]")  # "#311, call center", "#a #b", "a; b c"


def typed_topics(typed: str) -> list[str]:
    """The topics typed in the form's *Other topics*, one per `#` or comma."""
    return [piece.strip() for piece in TOPIC_SEPARATORS.split(typed) if piece.strip()]


def topic_problem(view: dict[str, Any]) -> str | None:
    """Why the typed topics cannot all be kept (shown next to the field), or None."""
    values = view.get("state", {}).get("values", {})
    typed = str((values.get("free_topics", {}).get("free_topics") or {}).get("value") or "")
    pieces = typed_topics(typed)
    for piece in pieces:
        if not slugify(piece):
            return f"“{piece[:40]}” has no letters or digits to make a topic of."
        if len(slugify(piece)) > MAX_TOPIC_LENGTH:
            return f"“{piece[:40]}…” is long for a topic: keep each under {MAX_TOPIC_LENGTH} characters."
    chosen = (values.get("topics", {}).get("topics") or {}).get("selected_options") or []
    if len({o.get("value") for o in chosen} | {normalize_topic(p) for p in pieces}) > MAX_TOPICS:
        return f"A practice holds up to {MAX_TOPICS} topics."
    return None


def read_share_modal(view: dict[str, Any]) -> tuple[PracticeDraft, int | None, str]:
    """(draft, practice id when editing, channel it was opened from) from a view_submission."""
    values = view.get("state", {}).get("values", {})

    def text(block_id: str) -> str:
        return str((values.get(block_id, {}).get(block_id) or {}).get("value") or "")

    chosen = (values.get("topics", {}).get("topics") or {}).get("selected_options") or []
    free = normalize_topics(typed_topics(text("free_topics")))
    topics = list(dict.fromkeys([o["value"] for o in chosen if is_known(o.get("value", ""))] + free))
    ticked = (values.get(PUBLISH, {}).get(PUBLISH) or {}).get("selected_options") or []
    draft = PracticeDraft(**{name: text(name) for name in LIMITS}, topics=topics[:10],
                          published=any(o.get("value") == PUBLISH for o in ticked))
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    practice_id = metadata.get("practice_id")
    return draft, practice_id if isinstance(practice_id, int) else None, str(metadata.get("channel_id") or "")


def question_of(view: dict[str, Any]) -> int | None:
    """The question a share form saves (from "Save as practice"), or None."""
    try:
        found = json.loads(view.get("private_metadata") or "{}").get("question_id")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, int) and not isinstance(found, bool) and 0 < found < 2**31 else None
