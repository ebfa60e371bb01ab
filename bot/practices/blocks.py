"""Practice messages in Block Kit: the card, the full view, search results and lists.

Every string a member typed goes through `fit` (escaped, cut to Slack's limits); long text ends
with a pointer to `/practice show <id>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.dates import slack_day
from bot.text import escape, fit, truncate
from bot.topics import is_known, topic_label
from storage.digests import Digest
from storage.practices import Practice

ADOPT, ASK, DETAILS, EDIT = "practice_adopt", "practice_ask", "practice_details", "practice_edit"
SLIP_RUN, SLIP_SHARE = "practice_slip_run", "practice_slip_share"
DELETE, WITHDRAW = "practice_delete", "practice_withdraw_adoption"
BUTTON_VALUE = 2000  # Slack's limit on a button's value
PUBLISH = "practice_publish"  # the card's web library toggle (sharer or moderator)
ROLE_LABELS = {"mayor": "Mayor", "cio": "CIO", "moderator": "Moderator", "other": ""}
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
FIELD_SECTIONS = 6  # 5 fields x 6 sections + 4 others: under the 50-block message limit
CARD_TEXT = 600  # the card's outcome; the rest is one click (Details) or /practice show away
RESULT_TEXT = 200
MAX_RESULTS = 15  # one block each, well under the 50-block message limit
CITIES_SHOWN = 5
DIGESTS_SHOWN = 3  # saved digests under search results: a pointer to the discussion, not a second list
DIGEST_TITLE = 150
PERMALINK = re.compile(r"https://[^\s|<>]{1,400}")  # what chat.getPermalink gives, safe inside <url|label>


@dataclass(frozen=True)
class Sharer:
    """Who shared a practice, as shown on it: a Slack name, and city and role from the profile."""

    name: str
    role: str = ""
    city: str = ""
    user_id: str = ""

    def describe(self) -> str:
        """`Derrick Miller (CIO, Detroit)`; a mention when Slack did not give us the name."""
        role = ROLE_LABELS.get(self.role, "")
        if self.name.strip():
            name = fit(self.name, 80)
        else:
            name = f"<@{self.user_id}>" if SLACK_USER_ID.fullmatch(self.user_id) else "a member"
        return name + (f" ({role + ', ' if role else ''}{fit(self.city, 100)})" if self.city else
                       f" ({role})" if role else "")


def more_pointer(practice_id: int) -> str:
    return f"… (more: `/practice show {practice_id}`)"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def button(text: str, action_id: str, value: str, style: str | None = None,
           confirm: dict[str, Any] | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text[:75]},
                               "action_id": action_id, "value": value[:BUTTON_VALUE]}
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, yes: str) -> dict[str, Any]:
    """Slack's own "are you sure?" dialog on a button (texts plain, within its limits)."""
    return {"title": {"type": "plain_text", "text": title[:100]}, "text": {"type": "mrkdwn", "text": text[:300]},
            "confirm": {"type": "plain_text", "text": yes[:30]}, "deny": {"type": "plain_text", "text": "Keep it"},
            "style": "danger"}


def adoption_text(cities: list[str]) -> str:
    if not cities:
        return "Not adopted elsewhere yet"
    shown = ", ".join(fit(c, 60) for c in cities[:CITIES_SHOWN])
    more = f" and {len(cities) - CITIES_SHOWN} more" if len(cities) > CITIES_SHOWN else ""
    return f"Adopted in {len(cities)} {'city' if len(cities) == 1 else 'cities'}: {shown}{more}"


def topics_text(practice: Practice) -> str:
    return " · ".join(fit(topic_label(t.topic), 60) for t in practice.topics[:10])


def headline(practice: Practice) -> str:
    """The fallback text of a practice message (notifications, screen readers)."""
    city = f" from {practice.city}" if practice.city else ""
    return escape(truncate(f"Practice{city}: {practice.title}", 300))


def credit_line(practice: Practice, sharer: Sharer) -> str:
    """`shared by Derrick Miller (CIO, Detroit)`; for a saved answer, who answered, asked and saved it."""
    if not practice.asked_by:
        return f"shared by {sharer.describe()}"
    mentioned = [u if SLACK_USER_ID.fullmatch(u) else "" for u in (practice.asked_by, practice.saved_by)]
    asked = f" · asked by <@{mentioned[0]}>" if mentioned[0] else ""
    saved = f" · saved by <@{mentioned[1]}>" if mentioned[1] and mentioned[1] != mentioned[0] else ""
    return f"answered by {sharer.describe()}{asked}{saved}"


def build_card(practice: Practice, sharer: Sharer, cities: list[str]) -> dict[str, Any]:
    """The message posted where a practice was shared; updated in place as cities adopt it."""
    summary_label, summary = ("Outcome", practice.outcome) if practice.outcome else ("What was done", practice.solution)
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(practice.title, HEADER_LIMIT)}},
        section(f"*{fit(practice.city or 'City not given', 120)}* · {credit_line(practice, sharer)} · #{practice.id}"),
    ]
    if summary.strip():
        blocks.append(section(f"*{summary_label}:* " + fit(summary, CARD_TEXT, more_pointer(practice.id))))
    context = [adoption_text(cities)] + ([topics_text(practice)] if practice.topics else [])
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in context]})
    blocks.append({"type": "actions", "block_id": "practice_actions", "elements": [
        button("Adopted in my city", ADOPT, str(practice.id), "primary"),
        button("Ask about this", ASK, str(practice.id)),
        button("Details", DETAILS, str(practice.id)),
        button("Remove from the web library" if practice.published else "Publish on the web library",
               PUBLISH, str(practice.id)),
    ]})
    return {"text": headline(practice), "blocks": blocks}


def build_removed_card(practice: Practice) -> dict[str, Any]:
    return {"text": "A practice was removed.",
            "blocks": [section(f"_{fit(practice.title, 300)}_ was removed by its sharer or a moderator.")]}


def chunks(label: str, text: str, practice_id: int) -> list[dict[str, Any]]:
    """A labelled field as sections of at most 3000 characters each: whole for anything the form
    accepts (3,000 characters, 15,000 once every `&` is escaped), cut past FIELD_SECTIONS."""
    escaped = escape(text.strip())
    if len(escaped) > FIELD_SECTIONS * (SECTION_LIMIT - len(label) - 3):
        escaped = fit(text.strip(), FIELD_SECTIONS * (SECTION_LIMIT - len(label) - 3), more_pointer(practice_id))
    first = f"*{label}*\n"
    pieces: list[str] = []
    start = 0
    while start < len(escaped):
        room = SECTION_LIMIT - (len(first) if not pieces else 0)
        end = min(len(escaped), start + room)
        amp = escaped.rfind("&", max(start, end - 5), end)  # never split &amp; &lt; &gt;
        if end < len(escaped) and amp != -1 and ";" not in escaped[amp:end]:
            end = amp
        pieces.append(escaped[start:end])
        start = end
    return [section((first if i == 0 else "") + piece) for i, piece in enumerate(pieces)]


def build_details(practice: Practice, sharer: Sharer, cities: list[str]) -> list[dict[str, Any]]:
    """Everything about a practice (at most 3,000 characters per field: under 20 blocks)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(practice.title, HEADER_LIMIT)}},
        section(f"*{fit(practice.city or 'City not given', 120)}* · {credit_line(practice, sharer)} · "
                f"#{practice.id} · {slack_day(practice.created_at)}"),
    ]
    for label, value in (("The problem", practice.problem), ("What was done", practice.solution),
                         ("Outcome", practice.outcome), ("Cost or timeline", practice.cost),
                         ("Contact", practice.contact)):
        if value.strip():
            blocks.extend(chunks(label, value, practice.id))
    context = [adoption_text(cities)] + ([topics_text(practice)] if practice.topics else [])
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in context]})
    return blocks


def build_show(practice: Practice, sharer: Sharer, cities: list[str]) -> dict[str, Any]:
    blocks = build_details(practice, sharer, cities)
    blocks.append({"type": "actions", "block_id": "practice_actions", "elements": [
        button("Adopted in my city", ADOPT, str(practice.id), "primary"),
        button("Ask about this", ASK, str(practice.id)),
    ]})
    return {"text": headline(practice), "blocks": blocks}


def build_details_modal(practice: Practice, sharer: Sharer, cities: list[str]) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": f"Practice #{practice.id}"[:24]},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": build_details(practice, sharer, cities)}


def result_line(practice: Practice, cities: list[str]) -> dict[str, Any]:
    summary = practice.outcome or practice.solution or practice.problem
    lines = [f"*{fit(practice.title, 200)}* · {fit(practice.city or 'city not given', 80)} · #{practice.id}"]
    if summary.strip():
        lines.append(fit(" ".join(summary.split()), RESULT_TEXT, more_pointer(practice.id)))
    if cities:
        lines.append(f"_{adoption_text(cities)}_")
    block = section("\n".join(lines))
    block["accessory"] = button("Details", DETAILS, str(practice.id))
    return block


def build_results(heading: str, practices: list[Practice], cities: dict[int, list[str]],
                  empty: str, hint: str = "", digests: list[Digest] | None = None) -> dict[str, Any]:
    """Search results or a list: a heading (mrkdwn, already escaped), one line per practice, then
    the saved digests that match, if any."""
    found = digest_matches(digests or [])
    if not practices:
        return {"text": empty, "blocks": [section(empty)] + found}
    blocks = [section(heading)] + [result_line(p, cities.get(p.id, [])) for p in practices[:MAX_RESULTS]]
    blocks += found
    if hint:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]})
    return {"text": heading, "blocks": blocks}


def digest_matches(digests: list[Digest]) -> list[dict[str, Any]]:
    """Saved digests as one compact section: title (linked to the digest in its thread), channel,
    date; `digests` may hold one more than is shown, to say there are more."""
    if not digests:
        return []
    lines = ["*From saved discussions:*"]
    for digest in digests[:DIGESTS_SHOWN]:
        title = fit(" ".join(digest.title.split()) or "Untitled digest", DIGEST_TITLE)
        link = f"<{digest.permalink}|{title}>" if PERMALINK.fullmatch(digest.permalink) else f"*{title}*"
        at = digest.created_at
        lines.append(f"• {link} · <#{digest.channel_id}> · {slack_day(at)}")
    if len(digests) > DIGESTS_SHOWN:
        lines.append("_More with `/digest search &lt;words&gt;`._")
    return [section("\n".join(lines))]


def build_shared(practice: Practice, posted: bool, verb: str = "Shared") -> dict[str, Any]:
    """The sharer's ephemeral confirmation, with an Edit button."""
    where = "" if posted else " (I could not post it in this channel: invite me with `/invite @Roundtable`)"
    missing = [label for label, value in (("the problem", practice.problem), ("the outcome", practice.outcome))
               if not value.strip()]
    add = f" Add {' and '.join(missing)} with *Edit*." if missing else ""
    topics = ""
    if practice.topics:  # what was typed, as it was understood: agenda topics by name, new ones marked
        named = [fit(topic_label(t.topic), 60) + ("" if is_known(t.topic) else " (new topic)")
                 for t in practice.topics[:10]]
        topics = " Topics: " + ", ".join(named) + "."
    text = f"{verb} *{fit(practice.title, 200)}* (#{practice.id}){where}.{topics}{add}"
    block = section(text)
    block["accessory"] = button("Edit", EDIT, str(practice.id))
    return {"text": f"{verb} practice #{practice.id}.", "blocks": [block]}


def build_slip(typed: str, command: str) -> dict[str, Any]:
    """A one-line share that looks like a mistyped command (or is too short): nothing is published
    until the member picks what they meant."""
    shown = fit(command, 300)
    if command:
        text = f"Did you mean `/practice {shown}`? Nothing was shared."
    else:
        text = (f"_{fit(typed, 200)}_ is short for a practice, so nothing was shared yet. Add what was done "
                "(`/practice Title. What we did. #topic`), or `/practice` alone opens the form.")
    elements = [button(f"Run /practice {command}", SLIP_RUN, command, "primary")] if command else []
    if len(typed) <= BUTTON_VALUE:
        elements.append(button("Share it as a practice anyway", SLIP_SHARE, typed))
    blocks = [section(text)] + ([{"type": "actions", "block_id": "practice_slip", "elements": elements}]
                                if elements else [])
    return {"text": f"Did you mean /practice {shown}?" if command else "Nothing was shared yet.", "blocks": blocks}


def build_delete_prompt(practice: Practice) -> dict[str, Any]:
    """`/practice delete 12` asks first; the button (with Slack's confirm dialog) deletes."""
    title = fit(practice.title, 200)
    text = f"Delete *{title}* (#{practice.id})? It leaves search, lists and roundups, and its card is taken down."
    dialog = confirm_dialog(f"Delete practice #{practice.id}?", f"*{title}* will no longer be found.", "Delete")
    block = section(text)
    block["accessory"] = button(f"Delete #{practice.id}", DELETE, str(practice.id), "danger", dialog)
    return {"text": f"Delete practice #{practice.id}?", "blocks": [block]}


def build_adopted(message: str, practice_id: int, withdrawable: bool) -> dict[str, Any]:
    """The answer to *Adopted in my city*; whoever recorded an adoption can withdraw it."""
    block = section(message)
    if withdrawable:
        block["accessory"] = button("Withdraw", WITHDRAW, str(practice_id), confirm=confirm_dialog(
            "Withdraw the adoption?", "Your city will no longer count as adopting this practice.", "Withdraw"))
    return {"text": message, "blocks": [block]}
