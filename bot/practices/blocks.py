"""Practice messages, composed once (bot/messages.py): the card, the full view, search results
and lists. What members typed is text (the renderer escapes it); long text ends with a pointer to
`/practice show <id>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot import forms
from bot import messages as m
from bot.dates import local_day
from bot.people import SLACK_USER_ID
from bot.people import Person as Sharer  # who shared a practice, as shown on it
from bot.render.slack_limits import BUTTON_VALUE  # a slip that long cannot ride on its button
from bot.topics import is_known, topic_label
from storage.digests import Digest, DigestLink
from storage.practice_rows import PracticeRow
from storage.practices import Practice

ADOPT, ASK, DETAILS, EDIT = "practice_adopt", "practice_ask", "practice_details", "practice_edit"
PUBLISH = "practice_publish"  # the card's web library toggle (sharer or moderator)
ADOPT_LABEL, DETAILS_LABEL = "Adopt this practice", "Show details"  # buttons say what they do
SLIP_RUN, SLIP_SHARE = "practice_slip_run", "practice_slip_share"
DELETE, WITHDRAW = "practice_delete", "practice_withdraw_adoption"
CARD_TEXT = 600  # the card's outcome; the rest is one click (Show details) or /practice show away
RESULT_TEXT = 200
MAX_RESULTS = 15  # one block each, well under the 50-block message limit
CITIES_SHOWN = 5
DIGESTS_SHOWN = 3  # saved digests under search results: a pointer to the discussion, not a second list
DIGEST_TITLE = 150
PERMALINK = re.compile(r"https://[^\s|<>]{1,400}")  # what chat.getPermalink gives, safe inside <url|label>


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


def credit_line(practice: Practice, sharer: Sharer) -> m.Inline:
    """`shared by Derrick Miller (CIO, Detroit)`; for a saved answer, who answered, asked and saved it."""
    if not practice.asked_by:
        return m.line("shared by ", *sharer.describe())
    mentioned = [u if SLACK_USER_ID.fullmatch(u) else "" for u in (practice.asked_by, practice.saved_by)]
    asked = (" · asked by ", m.Mention(mentioned[0])) if mentioned[0] else ()
    saved = (" · saved by ", m.Mention(mentioned[1])) if mentioned[1] and mentioned[1] != mentioned[0] else ()
    return m.line("answered by ", *sharer.describe(), *asked, *saved)


def byline(practice: Practice, sharer: Sharer, *extra: m.Segment | str) -> m.Paragraph:
    return m.Paragraph(m.line(m.bold(practice.city or "City not given", cut=120), " · ", *credit_line(practice, sharer),
                              f" · #{practice.id}", *extra))


def footer(practice: Practice, cities: list[str]) -> m.Context:
    return m.Context((adoption_text(cities), *([topics_text(practice)] if practice.topics else [])))


def buttons(practice: Practice, *, details: bool = True, publish: bool = False) -> m.Actions:
    value = str(practice.id)
    label = "Remove from the web library" if practice.published else "Publish on the web library"
    return m.Actions((m.Button(ADOPT_LABEL, ADOPT, value, "primary"), m.Button("Ask about this", ASK, value),
                      *([m.Button(DETAILS_LABEL, DETAILS, value)] if details else []),
                      *([m.Button(label, PUBLISH, value)] if publish else [])), id="practice_actions")


def build_card(practice: Practice, sharer: Sharer, cities: list[str]) -> m.Message:
    """The message posted where a practice was shared; updated in place as cities adopt it."""
    summary_label, summary = ("Outcome", practice.outcome) if practice.outcome else ("What was done", practice.solution)
    parts: list[m.Part] = [m.Heading(practice.title), byline(practice, sharer)]
    if summary.strip():
        parts.append(m.Paragraph(m.line(m.bold(f"{summary_label}:"), " ", *clipped(summary, CARD_TEXT, practice.id))))
    parts += [footer(practice, cities), buttons(practice, publish=True)]
    return m.Message(headline(practice), tuple(parts))


def build_removed_card(practice: Practice) -> m.Message:
    return m.Message(m.line("A practice was removed."), (m.Paragraph(m.line(
        m.italic(practice.title, cut=300), " was removed by its sharer or a moderator.")),))


def build_details(practice: Practice, sharer: Sharer, cities: list[str]) -> list[m.Part]:
    """Everything about a practice, each field whole (the form takes 3,000 characters a field)."""
    at = practice.created_at
    parts: list[m.Part] = [m.Heading(practice.title), byline(practice, sharer, " · ", local_day(at))]
    for label, value in (("The problem", practice.problem), ("What was done", practice.solution),
                         ("Outcome", practice.outcome), ("Cost or timeline", practice.cost),
                         ("Contact", practice.contact)):
        if value.strip():
            parts.append(m.Paragraph(m.line(m.bold(label), "\n", value.strip()), whole=True))
    parts.append(footer(practice, cities))
    return parts


def build_show(practice: Practice, sharer: Sharer, cities: list[str], origin: str = "") -> m.Message:
    """`origin`: the workspace another workspace's practice came from, named under its details."""
    source = (m.Context((m.line("Shared in ", m.Text(origin, cut=80), ", another workspace in the exchange"),)),
              ) if origin else ()
    return m.Message(headline(practice), (*build_details(practice, sharer, cities), *source,
                                          buttons(practice, details=False)))


def build_details_form(practice: Practice, sharer: Sharer, cities: list[str]) -> forms.Form:
    """The practice's details in a form that only shows them (no fields, no submit)."""
    return forms.Form("", f"Practice #{practice.id}", close="Close", parts=tuple(build_details(practice, sharer, cities)))


def result_line(practice: Practice | PracticeRow, cities: list[str], origin: str = "") -> m.Paragraph:
    """`origin`: the workspace another workspace's practice came from (the exchange)."""
    summary = practice.outcome or practice.solution or practice.problem
    source = (" · from ", m.Text(origin, cut=80)) if origin else ()
    lines = [m.line(m.bold(practice.title, cut=200), " · ", m.Text(practice.city or "city not given", cut=80),
                    *source, f" · #{practice.id}")]
    if summary.strip():
        lines.append(clipped(" ".join(summary.split()), RESULT_TEXT, practice.id))
    if cities:
        lines.append(m.line(m.Styled("italic", adoption_text(cities))))
    return m.Paragraph(m.joined(lines), m.Button(DETAILS_LABEL, DETAILS, str(practice.id)))


def build_results(heading: m.Inline, practices: Sequence[Practice | PracticeRow], cities: dict[int, list[str]],
                  empty: m.Inline, hint: m.Inline = (), digests: Sequence[Digest | DigestLink] | None = None,
                  origins: Mapping[str, str] | None = None, elsewhere: Mapping[int, str] | None = None) -> m.Message:
    """Search results or a list: a heading, one line per practice (naming the workspace, from
    `origins` by team id, of another workspace's), then the saved digests that match, if any
    (`elsewhere`: digest_matches')."""
    found = digest_matches(digests or [], elsewhere)
    if not practices:
        return m.Message(empty, (m.Paragraph(empty), *found))
    named = origins or {}
    parts: list[m.Part] = [m.Paragraph(heading), *(result_line(p, cities.get(p.id, []), named.get(p.team_id, ""))
                                                   for p in practices[:MAX_RESULTS])]
    parts += found
    if hint:
        parts.append(m.Context((hint,)))
    return m.Message(heading, tuple(parts))


def digest_matches(digests: Sequence[Digest | DigestLink], elsewhere: Mapping[int, str] | None = None) -> list[m.Part]:
    """Saved digests as one compact section: title (linked to the digest in its thread), channel,
    date; `digests` may hold one more than is shown, to say there are more. `elsewhere`: by digest id,
    the platform's name of those saved on another chat platform, shown in place of the channel."""
    if not digests:
        return []
    elsewhere = elsewhere or {}
    lines = [m.line(m.bold("From saved discussions:"))]
    for digest in digests[:DIGESTS_SHOWN]:
        title = " ".join(digest.title.split()) or "Untitled digest"
        link: m.Segment = (m.Link(digest.permalink, m.Text(title, cut=DIGEST_TITLE))
                           if PERMALINK.fullmatch(digest.permalink) else m.bold(title, cut=DIGEST_TITLE))
        at = digest.created_at
        where = m.Text(f"in {elsewhere[digest.id]}") if digest.id in elsewhere else m.ChannelRef(digest.channel_id)
        lines.append(m.line("• ", link, " · ", where, " · ", local_day(at)))
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
    topics: m.Inline = ()
    if practice.topics:  # what was typed, as it was understood: agenda topics by name, new ones marked
        named = [m.line(m.Text(topic_label(t.topic), cut=60), "" if is_known(t.topic) else " (new topic)")
                 for t in practice.topics[:10]]
        topics = m.line(" Topics: ", *m.joined(named, ", "), ".")
    text = m.line(f"{verb} ", m.bold(practice.title, cut=200), f" (#{practice.id})", *where, ".", *topics, *add)
    return m.Message(m.line(f"{verb} practice #{practice.id}."), (m.Paragraph(text, m.Button("Edit", EDIT, str(practice.id))),))


def build_slip(typed: str, command: str) -> m.Message:
    """A one-line share that looks like a mistyped command (or is too short): nothing is published
    until the member picks what they meant."""
    if command:
        text = m.line("Did you mean ", m.code(f"/practice {command[:300]}"), "? Nothing was shared.")
    else:
        text = m.line(m.italic(typed, cut=200), " is short for a practice, so nothing was shared yet. Add what was done (",
                      m.code("/practice Title. What we did. #topic"), "), or ", m.code("/practice"), " alone opens the form.")
    choices = [m.Button(f"Run /practice {command}", SLIP_RUN, command, "primary")] if command else []
    if len(typed) <= BUTTON_VALUE:
        choices.append(m.Button("Share it as a practice anyway", SLIP_SHARE, typed))
    fallback = m.line(f"Did you mean /practice {command[:300]}?") if command else m.line("Nothing was shared yet.")
    return m.Message(fallback, (m.Paragraph(text), *([m.Actions(tuple(choices), id="practice_slip")] if choices else [])))


def build_delete_prompt(practice: Practice) -> m.Message:
    """`/practice delete 12` asks first; the button (with a confirm dialog) deletes."""
    title = m.bold(practice.title, cut=200)
    dialog = m.Confirm(f"Delete practice #{practice.id}?", m.line(title, " will no longer be found."), "Delete",
                       "Keep it", "danger")
    text = m.line("Delete ", title, f" (#{practice.id})? It leaves search, lists and roundups, and its card is taken down.")
    return m.Message(m.line(f"Delete practice #{practice.id}?"), (
        m.Paragraph(text, m.Button(f"Delete #{practice.id}", DELETE, str(practice.id), "danger", dialog)),))


def build_adopted(message: m.Inline | str, practice_id: int, withdrawable: bool) -> m.Message:
    """The answer to *Adopt this practice*; whoever recorded an adoption can withdraw it."""
    text = m.line(message) if isinstance(message, str) else message
    withdraw = m.Button("Withdraw", WITHDRAW, str(practice_id), confirm=m.Confirm(
        "Withdraw the adoption?", m.line("Your city will no longer count as adopting this practice."), "Withdraw",
        "Keep it", "danger")) if withdrawable else None
    return m.Message(text, (m.Paragraph(text, withdraw),))
