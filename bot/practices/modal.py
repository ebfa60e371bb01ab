"""The share/edit modal: built from a draft, read back from Slack's view state into a draft."""

from __future__ import annotations

import json
from typing import Any

from bot.practices.rules import LIMITS, PracticeDraft
from bot.topics import LABELS, TOPICS, is_known, normalize_topics

CALLBACK_ID = "practice_share"
HINTS = {
    "problem": "What was not working, and for whom.",
    "outcome": "Measurable where possible: hours saved, dollars, residents served.",
    "free_topics": "Anything the list above misses, as #words: #snow-removal #311",
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


def build_share_modal(draft: PracticeDraft, *, channel_id: str, practice_id: int | None = None) -> dict[str, Any]:
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
    metadata = json.dumps({"practice_id": practice_id, "channel_id": channel_id})
    return {
        "type": "modal", "callback_id": CALLBACK_ID, "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Edit practice" if practice_id else "Share a practice"},
        "submit": {"type": "plain_text", "text": "Save" if practice_id else "Share"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def read_share_modal(view: dict[str, Any]) -> tuple[PracticeDraft, int | None, str]:
    """(draft, practice id when editing, channel it was opened from) from a view_submission."""
    values = view.get("state", {}).get("values", {})

    def text(block_id: str) -> str:
        return str((values.get(block_id, {}).get(block_id) or {}).get("value") or "")

    chosen = (values.get("topics", {}).get("topics") or {}).get("selected_options") or []
    typed = text("free_topics")
    free = normalize_topics(typed.split("#") if "#" in typed else typed.split(","))  # "#a #b" or "a, b c"
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
