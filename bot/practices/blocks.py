"""Practice messages, composed once (bot/messages.py): the card, the full view, search results
and lists. What members typed is text (the renderer escapes it); long text ends with a pointer to
`/practice show <id>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot import messages as m
from bot.render import slack
from bot.topics import topic_label
from storage.digests import Digest
from storage.practices import Practice

ADOPT, ASK, DETAILS, EDIT = "practice_adopt", "practice_ask", "practice_details", "practice_edit"
ROLE_LABELS = {"mayor": "Mayor", "cio": "CIO", "moderator": "Moderator", "other": ""}
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
CARD_TEXT = 600  # the card's outcome; the rest is one click (Details) or /practice show away
RESULT_TEXT = 200
MAX_RESULTS = 15  # one block each, well under the 50-block message limit
CITIES_SHOWN = 5
DIGESTS_SHOWN = 3  # saved digests under search results: a pointer to the discussion, not a second list
DIGEST_TITLE = 150
PERMALINK = re.compile(r"https://[^\s|<>]{1,400}")  # what chat.getPermalink gives, safe inside <url|label>


@dataclass(frozen=True)
class Sharer:
    """Who shared a practice, as shown on it: a name, and city and role from the profile."""

    name: str
    role: str = ""
    city: str = ""
    user_id: str = ""

    def describe(self) -> m.Inline:
        """`Derrick Miller (CIO, Detroit)`; a mention when the platform did not give us the name."""
        role = ROLE_LABELS.get(self.role, "")
        if self.name.strip():
            name: m.Segment = m.Text(self.name, cut=80)
        else:
            name = m.Mention(self.user_id) if SLACK_USER_ID.fullmatch(self.user_id) else m.Text("a member")
        if self.city:
            return m.line(name, f" ({role + ', ' if role else ''}", m.Text(self.city, cut=100), ")")
        return m.line(name, f" ({role})" if role else "")


def clipped(text: str, limit: int, practice_id: int) -> m.Inline:
    """At most `limit` characters of `text`; when cut, a pointer to the whole practice."""
    pointer = f"… (more: /practice show {practice_id})"
    if len(text) <= limit:
        return m.line(text)
    kept = text[: max(0, limit - len(pointer))].rstrip()
    return m.line(f"{kept}… (more: ", m.code(f"/practice show {practice_id}"), ")")


def adoption_text(cities: list[str]) -> m.Inline:
    if not cities:
        return m.line("Not adopted elsewhere yet")
    shown = m.listed([m.Text(c, cut=60) for c in cities[:CITIES_SHOWN]], last=", ")
    more = f" and {len(cities) - CITIES_SHOWN} more" if len(cities) > CITIES_SHOWN else ""
    return m.line(f"Adopted in {len(cities)} {'city' if len(cities) == 1 else 'cities'}: ", *shown, more)


def topics_text(practice: Practice) -> m.Inline:
    return m.listed([m.Text(topic_label(t.topic), cut=60) for t in practice.topics[:10]], last=" · ")


def headline(practice: Practice) -> m.Inline:
    """The fallback text of a practice message (notifications, screen readers)."""
    city = f" from {practice.city}" if practice.city else ""
    return m.line(m.Text(f"Practice{city}: {practice.title}", cut=300))


def byline(practice: Practice, sharer: Sharer, *extra: str) -> m.Paragraph:
    return m.Paragraph(m.line(m.bold(practice.city or "City not given", cut=120), " · shared by ", *sharer.describe(),
                              f" · #{practice.id}", *extra))


def footer(practice: Practice, cities: list[str]) -> m.Context:
    return m.Context((adoption_text(cities), *([topics_text(practice)] if practice.topics else [])))


def buttons(practice: Practice, *, details: bool = True) -> m.Actions:
    value = str(practice.id)
    return m.Actions((m.Button("Adopted in my city", ADOPT, value, "primary"), m.Button("Ask about this", ASK, value),
                      *([m.Button("Details", DETAILS, value)] if details else [])), id="practice_actions")


def build_card(practice: Practice, sharer: Sharer, cities: list[str]) -> m.Message:
    """The message posted where a practice was shared; updated in place as cities adopt it."""
    summary_label, summary = ("Outcome", practice.outcome) if practice.outcome else ("What was done", practice.solution)
    parts: list[m.Part] = [m.Heading(practice.title), byline(practice, sharer)]
    if summary.strip():
        parts.append(m.Paragraph(m.line(m.bold(f"{summary_label}:"), " ", *clipped(summary, CARD_TEXT, practice.id))))
    parts += [footer(practice, cities), buttons(practice)]
    return m.Message(headline(practice), tuple(parts))


def build_removed_card(practice: Practice) -> m.Message:
    return m.Message(m.line("A practice was removed."), (m.Paragraph(m.line(
        m.italic(practice.title, cut=300), " was removed by its sharer or a moderator.")),))


def build_details(practice: Practice, sharer: Sharer, cities: list[str]) -> list[m.Part]:
    """Everything about a practice, each field whole (the form takes 3,000 characters a field)."""
    at = practice.created_at
    parts: list[m.Part] = [m.Heading(practice.title), byline(practice, sharer, f" · {at:%B} {at.day}, {at:%Y}")]
    for label, value in (("The problem", practice.problem), ("What was done", practice.solution),
                         ("Outcome", practice.outcome), ("Cost or timeline", practice.cost),
                         ("Contact", practice.contact)):
        if value.strip():
            parts.append(m.Paragraph(m.line(m.bold(label), "\n", value.strip()), whole=True))
    parts.append(footer(practice, cities))
    return parts


def build_show(practice: Practice, sharer: Sharer, cities: list[str]) -> m.Message:
    return m.Message(headline(practice), (*build_details(practice, sharer, cities), buttons(practice, details=False)))


def build_details_modal(practice: Practice, sharer: Sharer, cities: list[str]) -> dict[str, Any]:
    return slack.info_view(f"Practice #{practice.id}", tuple(build_details(practice, sharer, cities)))


def result_line(practice: Practice, cities: list[str]) -> m.Paragraph:
    summary = practice.outcome or practice.solution or practice.problem
    lines = [m.line(m.bold(practice.title, cut=200), " · ", m.Text(practice.city or "city not given", cut=80),
                    f" · #{practice.id}")]
    if summary.strip():
        lines.append(clipped(" ".join(summary.split()), RESULT_TEXT, practice.id))
    if cities:
        lines.append(m.line(m.Styled("italic", adoption_text(cities))))
    return m.Paragraph(m.joined(lines), m.Button("Details", DETAILS, str(practice.id)))


def build_results(heading: m.Inline, practices: list[Practice], cities: dict[int, list[str]],
                  empty: m.Inline, hint: m.Inline = (), digests: list[Digest] | None = None) -> m.Message:
    """Search results or a list: a heading, one line per practice, then the saved digests that
    match, if any."""
    found = digest_matches(digests or [])
    if not practices:
        return m.Message(empty, (m.Paragraph(empty), *found))
    parts: list[m.Part] = [m.Paragraph(heading), *(result_line(p, cities.get(p.id, [])) for p in practices[:MAX_RESULTS])]
    parts += found
    if hint:
        parts.append(m.Context((hint,)))
    return m.Message(heading, tuple(parts))


def digest_matches(digests: list[Digest]) -> list[m.Part]:
    """Saved digests as one compact section: title (linked to the digest in its thread), channel,
    date; `digests` may hold one more than is shown, to say there are more."""
    if not digests:
        return []
    lines = [m.line(m.bold("From saved discussions:"))]
    for digest in digests[:DIGESTS_SHOWN]:
        title = " ".join(digest.title.split()) or "Untitled digest"
        link: m.Segment = (m.Link(digest.permalink, m.Text(title, cut=DIGEST_TITLE))
                           if PERMALINK.fullmatch(digest.permalink) else m.bold(title, cut=DIGEST_TITLE))
        at = digest.created_at
        lines.append(m.line("• ", link, " · ", m.ChannelRef(digest.channel_id), " · ",
                            m.LocalTime(at, f"{at:%Y-%m-%d}", "short", time=False)))
    if len(digests) > DIGESTS_SHOWN:
        lines.append(m.line(m.Styled("italic", m.line("More with ", m.code("/digest search <words>"), "."))))
    return [m.Paragraph(m.joined(lines))]


def build_shared(practice: Practice, posted: bool, verb: str = "Shared") -> m.Message:
    """The sharer's private confirmation, with an Edit button."""
    where = () if posted else (" (I could not post it in this channel: invite me with ", m.code("/invite @Roundtable"),
                               ")")
    missing = [label for label, value in (("the problem", practice.problem), ("the outcome", practice.outcome))
               if not value.strip()]
    add = (f" Add {' and '.join(missing)} with ", m.bold("Edit"), ".") if missing else ()
    text = m.line(f"{verb} ", m.bold(practice.title, cut=200), f" (#{practice.id})", *where, ".", *add)
    return m.Message(m.line(f"{verb} practice #{practice.id}."), (m.Paragraph(text, m.Button("Edit", EDIT, str(practice.id))),))
