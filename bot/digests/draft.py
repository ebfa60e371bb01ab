"""The first draft of a thread's digest: extractive and deterministic.

Everything in the draft is quoted from the thread or from the bot's own records (names, roles,
cities, practice titles): it never paraphrases, so it cannot put words in a mayor's mouth.
The same thread always gives the same draft. Text is plain (it goes into a modal's text input);
whoever posts it escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.people import Person

BODY_LIMIT = 3000  # plain_text_input max_length, and one section's text
TITLE_LIMIT = 140  # leaves room for "Digest: " within a header's 150
QUOTE_LIMIT = 240
QUESTION_LIMIT = 160
SUBSTANTIVE = 200  # characters: a reply this long is a key point even without reactions
KEY_POINTS, QUESTIONS, PRACTICES, LINKS, NAMED = 5, 5, 5, 5, 10
MIN_TITLE_MATCH = 12  # shorter practice titles ("Open data") match too much ordinary text

READ_LIMIT = 4000  # characters of each message the draft reads (a Slack message holds up to 40,000)
# Slack escapes < in what members type, so no part of a control sequence holds one: excluding it
# stops every match at the next "<", which keeps each pattern linear on text full of unclosed "<http:".
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^<>]*))?>")
SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^<>]*)?>")
FALLBACK = re.compile(r"<!(?:date|subteam)\^[^|<>]*\|([^<>]*)>")
LINK = re.compile(r"<((?:https?|mailto):[^|<>]+)(?:\|([^<>]*))?>")
PERMALINK = re.compile(r"/archives/([CG][A-Z0-9]+)/p(\d{10})(\d{6})")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class PracticeRef:
    id: int
    title: str
    city: str = ""
    channel_id: str = ""
    message_ts: str = ""


@dataclass
class Draft:
    title: str
    body: str
    participant_ids: list[str]
    message_count: int
    practice_ids: list[int] = field(default_factory=list)


def is_human(message: dict[str, Any]) -> bool:
    return bool(message.get("user")) and not message.get("bot_id") and message.get("subtype") in (
        None, "thread_broadcast", "file_share")


def participants(messages: list[dict[str, Any]]) -> list[str]:
    """Who spoke, in the order they first did."""
    return list(dict.fromkeys(m["user"] for m in messages if is_human(m)))


def linked_messages(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(channel, ts) of every Slack message permalink in the thread, e.g. a practice card."""
    found = []
    for message in messages:
        for match in PERMALINK.finditer(_read(message)):
            found.append((match.group(1), f"{match.group(2)}.{match.group(3)}"))
    return list(dict.fromkeys(found))


def _read(message: dict[str, Any]) -> str:
    """The part of a message the draft reads: its first READ_LIMIT characters."""
    return (message.get("text") or "")[:READ_LIMIT]


def plain_text(text: str, names: dict[str, str] | None = None) -> str:
    """Slack's message markup as a reader sees it: names, channel names, link labels; one line."""
    names = names or {}
    text = MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = FALLBACK.sub(lambda m: m.group(1), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) and m.group(2) != m.group(1)
                    else m.group(1).removeprefix("mailto:"), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def quote(text: str, limit: int) -> str:
    """The start of `text`, cut at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def draft_digest(messages: list[dict[str, Any]], people: dict[str, Person],
                 practices: list[PracticeRef]) -> Draft:
    names = {p.user_id: p.name for p in people.values() if p.name}
    texts = {m["ts"]: plain_text(_read(m), names) for m in messages}
    who = participants(messages)
    person = {uid: people.get(uid, Person(uid)) for uid in who}
    parent = messages[0] if messages else {}
    title = quote(texts.get(parent.get("ts", ""), ""), TITLE_LIMIT) or "Thread digest"
    mentioned = _mentioned(messages, texts, practices)
    sections = [
        ("Participants", [person[uid].label for uid in who[:NAMED]], max(0, len(who) - NAMED), "others"),
        *_capped("Key points", _key_points(messages[1:], texts, person), KEY_POINTS),
        *_capped("Questions raised", _questions(messages, texts, person), QUESTIONS),
        *_capped("Practices mentioned", [f"{p.title} ({p.city})" if p.city else p.title
                                         for p in mentioned], PRACTICES),
        *_capped("Links", _links(messages), LINKS),
    ]
    said = sum(1 for m in messages if is_human(m))  # the bot's own posts (and joins, edits) are not messages said
    return Draft(title, _fit(sections, BODY_LIMIT), who, said, [p.id for p in mentioned])


def _capped(heading: str, items: list[str], cap: int) -> list[tuple[str, list[str], int, str]]:
    return [(heading, items[:cap], max(0, len(items) - cap), "more")] if items else []


def _score(message: dict[str, Any], text: str) -> int:
    reactions = sum(int(r.get("count") or 0) for r in message.get("reactions") or [])
    return 2 * reactions + int(message.get("reply_count") or 0) + (2 if len(text) >= SUBSTANTIVE else 0)


def _key_points(replies: list[dict[str, Any]], texts: dict[str, str], person: dict[str, Person]) -> list[str]:
    """The replies people reacted to most, and the substantive long ones, in thread order."""
    candidates = [m for m in replies if is_human(m) and texts[m["ts"]]]
    ranked = sorted(candidates, key=lambda m: (-_score(m, texts[m["ts"]]), float(m["ts"])))
    chosen = [m for m in ranked if _score(m, texts[m["ts"]]) > 0]
    if not chosen:  # a quiet thread: its longest replies
        chosen = sorted(candidates, key=lambda m: (-len(texts[m["ts"]]), float(m["ts"])))[:3]
    chosen.sort(key=lambda m: float(m["ts"]))
    return [f"{person[m['user']].name or m['user']}: \u201c{quote(texts[m['ts']], QUOTE_LIMIT)}\u201d"
            for m in chosen]


def _questions(messages: list[dict[str, Any]], texts: dict[str, str], person: dict[str, Person]) -> list[str]:
    found = []
    humans = [m for m in messages if is_human(m)]
    answers: list[dict[str, Any] | None] = [None] * len(humans)  # the next message by someone else
    later: dict[str, Any] | None = None
    runner: dict[str, Any] | None = None  # the next message by anyone other than `later`'s author
    for index in range(len(humans) - 1, -1, -1):
        user = humans[index]["user"]
        answers[index] = later if later is not None and later["user"] != user else runner
        if later is None or later["user"] != user:
            runner = later
        later = humans[index]
    for index, message in enumerate(humans):
        asked = next((s for s in SENTENCE_END.split(texts[message["ts"]]) if s.endswith("?") and len(s) > 8), "")
        if not asked:
            continue
        answer = answers[index]
        status = (f"answered by {person[answer['user']].name or answer['user']}" if answer
                  else "not answered in the thread")
        asker = person[message["user"]].name or message["user"]
        found.append(f"{asker}: \u201c{quote(asked, QUESTION_LIMIT)}\u201d ({status})")
    return found


def _mentioned(messages: list[dict[str, Any]], texts: dict[str, str],
               practices: list[PracticeRef]) -> list[PracticeRef]:
    """Practices whose card is linked from the thread, or whose full title it names."""
    linked = set(linked_messages(messages))
    whole = " ".join(texts.values()).casefold()
    words = set(whole.split())
    positions = {}
    for practice in practices:
        title = " ".join(practice.title.casefold().split())
        if (practice.channel_id, practice.message_ts) in linked:
            positions[practice.id] = -1
        elif len(title) >= MIN_TITLE_MATCH and _inner_words(title) <= words:
            found = whole.find(title)  # only for titles whose every inner word the thread has
            if found >= 0:
                positions[practice.id] = found
    by_id = {p.id: p for p in practices}
    return [by_id[i] for i in sorted(positions, key=lambda i: (positions[i], i))]


def _inner_words(title: str) -> set[str]:
    """The title's words that a text containing the title must have whole (not its first and last,
    which may be glued to the text around them)."""
    return set(title.split()[1:-1])


def _links(messages: list[dict[str, Any]]) -> list[str]:
    urls = [m.group(1) for message in messages if is_human(message)
            for m in LINK.finditer(_read(message)) if m.group(1).startswith("http")]
    return list(dict.fromkeys(urls))


def _render(sections: list[tuple[str, list[str], int, str]]) -> str:
    parts = []
    for heading, items, more, noun in sections:
        if heading == "Participants":
            extra = f" and {more} {noun}" if more > 0 else ""
            parts.append(f"{heading}: {', '.join(items)}{extra}")
            continue
        lines = [f"{heading}:", *(f"• {item}" for item in items)]
        if more > 0:
            lines.append(f"• and {more} {noun}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _fit(sections: list[tuple[str, list[str], int, str]], limit: int) -> str:
    """Drop the last item of the longest list until the whole draft fits in `limit` characters."""
    sections = [(h, list(items), more, noun) for h, items, more, noun in sections]
    text = _render(sections)
    while len(text) > limit:
        index = max(range(len(sections)), key=lambda i: (len(sections[i][1]), i))
        heading, items, more, noun = sections[index]
        if not items:
            return text[:limit]
        sections[index] = (heading, items[:-1], more + 1, noun)
        text = _render(sections)
    return text
