"""Block Kit for digests: the draft modal, the digest posted in its thread, `/digest` listings."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dates import slack_day
from bot.digests.draft import BODY_LIMIT, TITLE_LIMIT, Draft
from bot.text import escape, fit, truncate
from storage.digests import Digest

CALLBACK_ID = "save_digest"
METADATA_LIMIT = 3000
SECTION_LIMIT = 3000
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


def _modal(title: str, blocks: list[dict[str, Any]], metadata: str = "", submit: str = "") -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal", "callback_id": CALLBACK_ID, "title": {"type": "plain_text", "text": title},
        "close": {"type": "plain_text", "text": "Cancel" if submit else "Close"},
        "blocks": blocks, "private_metadata": metadata,
    }
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit}
    return view


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}}


def build_reading_modal(ref: ThreadRef) -> dict[str, Any]:
    """Opened at once (trigger_id expires in 3 s); replaced by the draft when the thread is read."""
    return _modal("Save digest", [_section("Reading the thread…")], ref.encode())


def build_problem_modal(text: str) -> dict[str, Any]:
    return _modal("Save digest", [_section(text)])


def build_draft_modal(draft: Draft, ref: ThreadRef, complete: bool = True, metadata: str = "") -> dict[str, Any]:
    """`metadata`: the sealed reference (ThreadRef.encode with the key); unsealed when not given."""
    people = len(draft.participant_ids)
    about = (f"From {draft.message_count} messages by {people} {'person' if people == 1 else 'people'} "
             f"in <#{ref.channel_id}>. Everything below is quoted from the thread: edit it, then save. "
             "The digest is posted in the thread.")
    if not complete:
        about += " This thread is longer than a digest reads: only its beginning is drafted."
    return _modal("Save digest", [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": about}]},
        {"type": "input", "block_id": "title", "label": {"type": "plain_text", "text": "Title"},
         "element": {"type": "plain_text_input", "action_id": "title", "max_length": TITLE_LIMIT,
                     "initial_value": draft.title}},
        {"type": "input", "block_id": "body", "label": {"type": "plain_text", "text": "Digest"},
         "element": {"type": "plain_text_input", "action_id": "body", "multiline": True,
                     "max_length": BODY_LIMIT, "initial_value": draft.body}},
    ], metadata or ref.encode(), submit="Save digest")


def split_lines(text: str, limit: int) -> list[str]:
    """`text` in chunks of at most `limit` characters, cut between lines where it can be."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def build_digest_message(digest: Digest) -> tuple[str, list[dict[str, Any]]]:
    """The digest as posted in its thread: the member's text, escaped, in as many sections as it needs."""
    title = fit(f"Digest: {digest.title}", 150)  # escaped, then cut: `&` takes five of the 150
    body = escape(digest.body)
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": title}}]
    blocks += [_section(chunk) for chunk in split_lines(body, SECTION_LIMIT)]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
        f"Saved by <@{digest.saved_by}> from {digest.message_count} messages · "
        "find it again with `/digest list` or `/digest search`")}]})
    return title, blocks[:50]


def _when(at: datetime) -> str:
    return slack_day(at)


def build_digest_list(digests: list[Digest], total: int, heading: str = "Saved digests",
                      empty: str = "No digests yet.") -> tuple[str, list[dict[str, Any]]]:
    if not digests:
        return empty, [_section(empty)]
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": heading}}]
    for digest in digests[:LIST_LIMIT]:
        title = escape(truncate(digest.title, 140))
        link = f"<{digest.permalink}|{title}>" if digest.permalink else f"*{title}*"
        lines = [line for line in digest.body.split("\n") if line.strip()]
        first = escape(truncate(next((line for line in lines if line.startswith("•")), lines[0] if lines else ""),
                                200))
        blocks.append(_section(f"{link}\n{first}"))
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"<#{digest.channel_id}> · saved by <@{digest.saved_by}> on {_when(digest.created_at)}")}]})
    shown = min(len(digests), LIST_LIMIT)
    if total > shown:
        blocks.append(_section(f"and {total - shown} more: `/digest search &lt;words&gt;` finds older ones."))
    return f"{heading}: {total}", blocks
