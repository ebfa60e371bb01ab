"""Digest rules: what the bot knows about a thread's people and practices, turned into a draft."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.digests.draft import Draft, Person, PracticeRef, draft_digest, linked_messages, participants
from storage.practices import practice_candidates
from storage.profiles import profiles_of

NO_THREAD = ("A digest sums up a thread, and this message has no replies yet. "
             "Use *Save discussion digest* on a message with replies.")
CANNOT_READ = {
    "not_in_channel": "I can't read this thread: invite me to the channel with `/invite @Roundtable`, then try again.",
    "channel_not_found": "I can't see this channel. Invite me with `/invite @Roundtable`, then try again.",
    "thread_not_found": "That thread is gone: it may have been deleted.",
    "missing_scope": "I am not allowed to read this kind of conversation (private or direct messages).",
    "no_consent": ("Roundtable cannot read this thread: ask a team owner to add Roundtable to the team "
                   "again and accept its permission to read the team's channel messages, then try again."),
}
CANNOT_READ_OTHER = "I couldn't read this thread just now. Please try again in a minute."
# Teams: `digest save` or the message action used outside a team channel's thread
NOT_A_THREAD = ("A digest sums up a thread of a team's channel: reply in the thread with "
                "`@Roundtable digest save`, and I read the whole thread.")


def thread_root(message: dict[str, Any]) -> str | None:
    """The ts of the thread a shortcut was used on (its parent or any reply), or None if no thread."""
    if message.get("thread_ts"):
        return str(message["thread_ts"])
    if message.get("reply_count"):
        return str(message.get("ts") or "") or None
    return None


def prepare_draft(session: Session, team_id: str, messages: list[dict[str, Any]],
                  names: dict[str, str]) -> Draft:
    who = participants(messages)
    profiles = profiles_of(session, team_id, who)
    people = {uid: Person.of(uid, names.get(uid, ""), profiles.get(uid)) for uid in who}
    practices = [
        PracticeRef(p.id, p.title, p.city, p.channel_id, p.message_ts)
        for p in practice_candidates(session, team_id, who, linked_messages(messages))
    ]
    return draft_digest(messages, people, practices)
