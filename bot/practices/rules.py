"""The rules for sharing, finding, editing and adopting practices (no Slack here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.text import parse_id  # noqa: F401 - rules.parse_id reads a practice number
from bot.topics import extract_topics, normalize_topic
from storage.practices import Practice, city_key

# What each field may hold. Modal inputs carry the same max_length, so Slack stops longer text
# before it is sent; a quick share is checked here.
LIMITS = {"title": 150, "city": 120, "problem": 3000, "solution": 3000, "outcome": 3000, "cost": 500,
          "contact": 300}
REQUIRED = ("title", "city", "problem", "solution", "outcome")  # in the modal; a quick share needs a title
QUICK_SHARE_MAX = 3000
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CITY_FILTER = re.compile(r"""\bcity:(?:"([^"]*)"|'([^']*)'|(\S+))""", re.IGNORECASE)
FIELDS = ("title", "city", "problem", "solution", "outcome", "cost", "contact")


@dataclass
class PracticeDraft:
    title: str = ""
    city: str = ""
    problem: str = ""
    solution: str = ""
    outcome: str = ""
    cost: str = ""
    contact: str = ""
    topics: list[str] = field(default_factory=list)
    published: bool = False  # on the public web library

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name).strip() for name in FIELDS}

    @classmethod
    def of(cls, practice: Practice) -> PracticeDraft:
        return cls(**{name: getattr(practice, name) for name in FIELDS},
                   topics=[t.topic for t in practice.topics], published=bool(practice.published))


@dataclass
class SearchRequest:
    query: str
    topics: list[str]
    city: str | None


def validate(draft: PracticeDraft, required: tuple[str, ...] = REQUIRED) -> dict[str, str]:
    """field -> a short message; empty when the draft can be saved."""
    errors: dict[str, str] = {}
    for name in required:
        if not getattr(draft, name).strip():
            errors[name] = "Please fill this in." if name != "title" else "Give the practice a title."
    for name, limit in LIMITS.items():
        if len(getattr(draft, name).strip()) > limit:
            errors[name] = f"Please keep this under {limit:,} characters."
    return errors


def parse_quick_share(text: str, city: str) -> PracticeDraft:
    """`/practice <text>`: the first line or sentence is the title, the rest what was done,
    `#words` the topics. A title too long for a header is cut, and the whole text kept."""
    body, topics = extract_topics(text)
    first, _, rest = body.partition("\n")
    sentences = SENTENCE_END.split(first.strip(), maxsplit=1)
    title = sentences[0].strip()
    rest = "\n".join(part for part in (sentences[1] if len(sentences) > 1 else "", rest.strip()) if part)
    if len(title) > LIMITS["title"]:
        rest = body.strip()
        title = title[: LIMITS["title"] - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return PracticeDraft(title=title.rstrip("."), city=city, solution=rest, topics=topics)


def parse_search(text: str) -> SearchRequest:
    """`wireless downtown #open-data city:"Des Moines"` -> words, topic slugs, city."""
    cities = [next(g for g in m.groups() if g is not None) for m in CITY_FILTER.finditer(text)]
    text = CITY_FILTER.sub(" ", text)
    query, topics = extract_topics(text)
    city = cities[-1].replace("_", " ").strip() if cities else None
    return SearchRequest(query=" ".join(query.split()), topics=topics, city=city or None)


def parse_topic(text: str) -> str | None:
    return normalize_topic(text) if text.strip() else None


def can_change(practice: Practice, user_id: str, is_moderator: bool) -> bool:
    """The sharer and moderators may edit or delete a practice."""
    return practice.user_id == user_id or is_moderator


def adoption_refusal(practice: Practice, city: str) -> str | None:
    """Why this member's city cannot adopt this practice, or None when it can."""
    if not city.strip():
        return "Tell Roundtable your city first with `/profile`, then press *Adopted in my city* again."
    if city_key(city) == practice.city_key:
        return "This practice comes from your city; adoptions count the other cities that took it up."
    return None
