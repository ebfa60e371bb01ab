"""The share/edit form: built from a draft as a neutral `Form`, read back from its `Values` into a draft."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot import forms as f
from bot.practices.rules import LIMITS, PracticeDraft
from bot.topics import (
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
FREE_TOPICS_MAX = 300
PUBLISH = "publish"
PUBLISH_OPTION = f.Option(PUBLISH, "Publish on the web library")


def _text(key: str, label: str, value: str, *, long: bool = False, optional: bool = False,
          limit: int = 0) -> f.Field:
    return f.Field(key, label, "long_text" if long else "text", value=value, hint=HINTS.get(key, ""),
                   optional=optional, max_length=limit or LIMITS[key])


def publish_field(published: bool) -> f.Field:
    """Off by default: a practice reaches the public web only by its sharer's (or a moderator's) choice."""
    return f.Field(PUBLISH, "Web library", "checkbox", value=(PUBLISH,) if published else (), optional=True,
                   options=(PUBLISH_OPTION,),
                   hint="Anyone on the web can then read it (never from a private channel).")


def share_form(draft: PracticeDraft, *, channel_id: str, practice_id: int | None = None,
               question_id: int | None = None) -> f.Form:
    """The share form; `question_id` when it saves an answered question (the answer's author is credited)."""
    known = tuple(t for t in draft.topics if is_known(t))
    free = " ".join(f"#{t}" for t in draft.topics if not is_known(t))
    state = json.dumps({"practice_id": practice_id, "channel_id": channel_id,
                        **({"question_id": question_id} if question_id else {})})
    return f.Form(
        kind=CALLBACK_ID, state=state,
        title="Edit practice" if practice_id else "Share a practice", submit="Save" if practice_id else "Share",
        parts=(
            _text("title", "Title", draft.title),
            _text("city", "City", draft.city),
            _text("problem", "The problem", draft.problem, long=True),
            _text("solution", "What was done", draft.solution, long=True),
            _text("outcome", "The outcome", draft.outcome, long=True),
            f.Field("topics", "Topics", "multi_select", value=known, optional=True, placeholder="Pick topics",
                    options=tuple(f.Option(slug, label) for slug, label in TOPICS)),
            _text("free_topics", "Other topics", free, optional=True, limit=FREE_TOPICS_MAX),
            _text("cost", "Cost or timeline", draft.cost, optional=True),
            _text("contact", "Contact", draft.contact, optional=True),
            publish_field(draft.published),
        ))


TOPIC_SEPARATORS = re.compile(r"[#,;\n]")  # "#311, call center", "#a #b", "a; b c"


def typed_topics(typed: str) -> list[str]:
    """The topics typed in the form's *Other topics*, one per `#` or comma."""
    return [piece.strip() for piece in TOPIC_SEPARATORS.split(typed) if piece.strip()]


def topic_problem(values: f.Values) -> str | None:
    """Why the typed topics cannot all be kept (shown next to the field), or None."""
    pieces = typed_topics(f.text(values, "free_topics"))
    for piece in pieces:
        if not slugify(piece):
            return f"“{piece[:40]}” has no letters or digits to make a topic of."
        if len(slugify(piece)) > MAX_TOPIC_LENGTH:
            return f"“{piece[:40]}…” is long for a topic: keep each under {MAX_TOPIC_LENGTH} characters."
    if len(set(f.chosen(values, "topics")) | {normalize_topic(p) for p in pieces}) > MAX_TOPICS:
        return f"A practice holds up to {MAX_TOPICS} topics."
    return None


def read_share(values: f.Values) -> PracticeDraft:
    """The draft a share form's submission holds."""
    free = normalize_topics(typed_topics(f.text(values, "free_topics")))
    topics = list(dict.fromkeys([t for t in f.chosen(values, "topics") if is_known(t)] + free))
    return PracticeDraft(**{name: f.text(values, name) for name in LIMITS}, topics=topics[:MAX_TOPICS],
                         published=PUBLISH in f.chosen(values, PUBLISH))


@dataclass(frozen=True)
class ShareState:
    """What a share form carries through: the practice it edits, the channel it came from, the question it saves."""

    practice_id: int | None
    channel_id: str
    question_id: int | None


def share_state(state: str) -> ShareState:
    carried = f.carried(state)
    return ShareState(practice_id=f.whole_number(carried.get("practice_id")),
                      channel_id=str(carried.get("channel_id") or ""),
                      question_id=f.whole_number(carried.get("question_id")))
