"""Digests: the draft form (bot/forms.py), the digest posted in its thread and the `/digest`
listings, composed once (bot/messages.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import forms
from bot import messages as m
from bot.dates import local_day
from bot.digests.draft import BODY_LIMIT, TITLE_LIMIT, Draft
from storage.digests import Digest

CALLBACK_ID = "save_digest"
METADATA_LIMIT = 3000
NO_DIGESTS = m.line("No digests yet.")
LIST_LIMIT = 15  # digests per /digest list reply (2 blocks each, within 50)


@dataclass(frozen=True)
class ThreadRef:
    """What the modal carries from the shortcut to the submission, in private_metadata.

    Sealed with an HMAC over the thread and the member who opened the draft (and their
    workspace): a submission whose metadata names another channel, thread or member is refused.
    """

    channel_id: str
    thread_ts: str
    participant_ids: tuple[str, ...] = ()
    message_count: int = 0

    def encode(self, key: str = "", user_id: str = "", team_id: str = "") -> str:
        people = list(self.participant_ids)
        while True:
            value = {"c": self.channel_id, "t": self.thread_ts, "p": people, "n": self.message_count}
            if key:
                value["s"] = _seal(value, key, user_id, team_id)
            data = json.dumps(value)
            if len(data) <= METADATA_LIMIT:
                return data
            people = people[: len(people) // 2]

    @classmethod
    def decode(cls, data: str, key: str = "", user_id: str = "", team_id: str = "") -> ThreadRef | None:
        """The reference, or None when it is malformed or (given a key) not sealed for this member."""
        try:
            value = json.loads(data)
            seal = value.pop("s", "") if isinstance(value, dict) else ""
            if key and not (isinstance(seal, str) and hmac.compare_digest(seal, _seal(value, key, user_id, team_id))):
                return None
            participants = value.get("p", [])
            if not isinstance(participants, list):
                return None
            return cls(str(value["c"]), str(value["t"]), tuple(map(str, participants)), int(value.get("n", 0)))
        except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError, RecursionError):
            return None  # not ours: `n` as Infinity, arrays nested past the parser's depth, any other shape


def _seal(value: dict[str, Any], key: str, user_id: str, team_id: str) -> str:
    signed = json.dumps([team_id, user_id, value], sort_keys=True, separators=(",", ":"))
    return hmac.new(key.encode(), signed.encode(), hashlib.sha256).hexdigest()[:32]


def build_reading_form(ref: ThreadRef) -> forms.Form:
    """Opened at once (trigger_id expires in 3 s); replaced by the draft when the thread is read."""
    return forms.Form(CALLBACK_ID, "Save digest", close="Close", parts=(m.Paragraph(m.line("Reading the thread…")),),
                      state=ref.encode())


def build_problem_form(text: m.Inline) -> forms.Form:
    return forms.Form(CALLBACK_ID, "Save digest", close="Close", parts=(m.Paragraph(text),))


def build_draft_form(draft: Draft, ref: ThreadRef, complete: bool = True, metadata: str = "") -> forms.Form:
    """`metadata`: the sealed reference (ThreadRef.encode with the key); unsealed when not given."""
    people = len(draft.participant_ids)
    about = m.line(f"From {draft.message_count} messages by {people} {'person' if people == 1 else 'people'} in ",
                   m.ChannelRef(ref.channel_id), ". Everything below is quoted from the thread: edit it, then save. "
                   "The digest is posted in the thread.",
                   "" if complete else " This thread is longer than a digest reads: only its beginning is drafted.")
    return forms.Form(CALLBACK_ID, "Save digest", submit="Save digest", state=metadata or ref.encode(), parts=(
        m.Context((about,)),
        forms.Field("title", "Title", "text", value=draft.title, max_length=TITLE_LIMIT),
        forms.Field("body", "Digest", "long_text", value=draft.body, max_length=BODY_LIMIT),
    ))


def build_digest_message(digest: Digest) -> m.Message:
    """The digest as posted in its thread: the member's text, in as many blocks as it needs."""
    return m.Message(m.line(m.Text(f"Digest: {digest.title}", cut=150)), (
        m.Heading(f"Digest: {digest.title}"),
        m.Paragraph(m.line(digest.body), whole=True),
        m.Context((m.line("Saved by ", m.Mention(digest.saved_by), f" from {digest.message_count} messages · "
                          "find it again with ", m.code("/digest list"), " or ", m.code("/digest search")),)),
    ))


def build_not_posted(digest: Digest) -> m.Message:
    """The direct message when a saved digest could not be posted in its thread. It says where
    `/digest list` finds it: in the DM, a private channel's digests are not listed."""
    return m.Message(m.line(
        "Your digest \u201c", m.Text(digest.title), "\u201d is saved (", m.code("/digest list"), " in ",
        m.ChannelRef(digest.channel_id), " shows it), but I could not post it in the thread. Invite me to ",
        m.ChannelRef(digest.channel_id), " with ", m.code("/invite @Roundtable"), "."))


def build_digest_list(digests: list[Digest], total: int, heading: str = "Saved digests",
                      empty: m.Inline = NO_DIGESTS,
                      elsewhere: Mapping[int, tuple[str, str]] | None = None) -> m.Message:
    """`elsewhere`: by digest id, those saved on another chat platform than the reader's: the
    platform's name and the saver's name ("" when unknown), shown in place of the ids."""
    elsewhere = elsewhere or {}
    if not digests:
        return m.Message(empty, (m.Paragraph(empty),))
    parts: list[m.Part] = [m.Heading(heading)]
    for digest in digests[:LIST_LIMIT]:
        title = m.Text(digest.title, cut=140)
        link = m.Link(digest.permalink, title) if digest.permalink else m.bold(digest.title, cut=140)
        lines = [line for line in digest.body.split("\n") if line.strip()]
        first = next((line for line in lines if line.startswith("•")), lines[0] if lines else "")
        at = digest.created_at
        parts.append(m.Paragraph(m.line(link, "\n", m.Text(first, cut=200))))
        where, saver = m.ChannelRef(digest.channel_id), m.Mention(digest.saved_by)
        if digest.id in elsewhere:  # another platform's: its conversation and member mean nothing here
            platform, name = elsewhere[digest.id]
            where, saver = m.Text(f"in {platform}"), m.Text(name or "a member", cut=80)
        parts.append(m.Context((m.line(where, " · saved by ", saver, " on ", local_day(at)),)))
    shown = min(len(digests), LIST_LIMIT)
    if total > shown:
        parts.append(m.Paragraph(m.line(f"and {total - shown} more: ", m.code("/digest search <words>"),
                                        " finds older ones.")))
    return m.Message(m.line(f"{heading}: {total}"), tuple(parts))
