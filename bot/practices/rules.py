"""The rules for sharing, finding, editing and adopting practices (no Slack here)."""

from __future__ import annotations

import re
from collections.abc import Collection
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
ABBREVIATIONS = frozenset((
    "st", "dr", "ft", "mt", "mr", "mrs", "ms", "jr", "sr", "no", "vs", "etc", "inc", "co", "corp", "dept", "gov",
    "sen", "rep", "ave", "blvd", "rd", "hwy", "approx", "est", "univ", "assn", "intl", "natl", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri",
))
DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")  # U.S, e.g, i.e, a.m, D.C
CITY_FILTER = re.compile(r"""\bcity:(?:"([^"]*)"|'([^']*)'|(\S+)((?:\s+[^\s#:]+){0,3}))""", re.IGNORECASE)
CITY_WORDS = 3  # words after the first that an unquoted city may take: Salt Lake City, St. Louis Park
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
    title, after = first_sentence(first.strip())
    rest = "\n".join(part for part in (after, rest.strip()) if part)
    if len(title) > LIMITS["title"]:
        rest = body.strip()
        title = title[: LIMITS["title"] - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    title = title if abbreviated(title) else title.rstrip(".")
    return PracticeDraft(title=title, city=city, solution=rest, topics=topics)


def abbreviated(text: str) -> bool:
    """Whether `text` ends with an abbreviation's full stop (St., U.S., e.g.) or an initial's (J.)."""
    word = text.rsplit(None, 1)[-1] if text.strip() else ""
    stem = word.rstrip(".!?").lstrip("(\"'")
    return text.endswith(".") and (stem.lower() in ABBREVIATIONS or bool(DOTTED.match(stem)) or len(stem) == 1)


def first_sentence(line: str) -> tuple[str, str]:
    """(the first sentence, the rest). A full stop ends a sentence only when it is not an
    abbreviation (St. Louis, Ft. Worth, Dr., U.S., e.g.) or an initial, and the next word does
    not start in lower case; numbers (3.5 million) and URLs hold no space after their dots."""
    for match in SENTENCE_END.finditer(line):
        before, after = line[: match.start()], line[match.end():]
        if abbreviated(before):
            continue
        if after[:1].islower():
            continue
        return before.strip(), after.strip()
    return line.strip(), ""


def parse_search(text: str, known_cities: Collection[str] = ()) -> SearchRequest:
    """`wireless downtown #open-data city:"Des Moines"` -> words, topic slugs, city. Unquoted,
    `city:Des Moines` or `city:St. Louis` takes as many following words as make a city the
    exchange knows (`known_cities`); otherwise the one word."""
    keys = {city_key(c) for c in known_cities}
    cities: list[str] = []

    def take(match: re.Match[str]) -> str:
        quoted = match[1] if match[1] is not None else match[2]
        if quoted is not None:
            cities.append(quoted)
            return " "
        words = match[4].split()
        size = next((n for n in range(min(len(words), CITY_WORDS), 0, -1)
                     if city_key(" ".join([match[3], *words[:n]])) in keys), 0)
        cities.append(" ".join([match[3], *words[:size]]))
        return " " + " ".join(words[size:]) + " "

    text = CITY_FILTER.sub(take, text)
    query, topics = extract_topics(text)
    city = cities[-1].replace("_", " ").strip() if cities else None
    return SearchRequest(query=" ".join(query.split()), topics=topics, city=city or None)


def parse_topic(text: str) -> str | None:
    return normalize_topic(text) if text.strip() else None


def can_change(practice: Practice, user_id: str, is_moderator: bool) -> bool:
    """The sharer (for a saved answer: who answered, and who saved it) and moderators may edit or
    delete a practice."""
    return user_id in (practice.user_id, practice.saved_by) or is_moderator


def adoption_refusal(practice: Practice, city: str) -> str | None:
    """Why this member's city cannot adopt this practice, or None when it can."""
    if not city.strip():
        return "Tell Roundtable your city first with `/profile`, then press *Adopt this practice* again."
    if city_key(city) == practice.city_key:
        return "This practice comes from your city; adoptions count the other cities that took it up."
    return None
