"""Digest rules: what the bot knows about a thread's people and practices, turned into a draft."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.digests.draft import Draft, Person, PracticeRef, draft_digest, linked_messages, participants
from bot.emulator import TEAM_ID
from bot.services import Services
from storage.digests import DigestText, practice_candidates, profiles_of, save_digest

NO_THREAD = ("A digest sums up a thread, and this message has no replies yet. "
             "Use *Save discussion digest* on a message with replies.")
CANNOT_READ = {
    "not_in_channel": "I can't read this thread: invite me to the channel with `/invite @Roundtable`, then try again.",
    "channel_not_found": "I can't see this channel. Invite me with `/invite @Roundtable`, then try again.",
    "thread_not_found": "That thread is gone: it may have been deleted.",
    "missing_scope": "I am not allowed to read this kind of conversation (private or direct messages).",
}
CANNOT_READ_OTHER = "I couldn't read this thread just now. Please try again in a minute."


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
    people = {
        uid: Person(uid, names.get(uid, ""), profiles[uid].role if uid in profiles else "",
                    profiles[uid].city if uid in profiles else "")
        for uid in who
    }
    practices = [
        PracticeRef(p.id, p.title, p.city, p.channel_id, p.message_ts)
        for p in practice_candidates(session, team_id, who, linked_messages(messages))
    ]
    return draft_digest(messages, people, practices)


DEMO_THREAD = ("C0GENERAL", "1089302400.000100")  # Boston, July 2004
DEMO_BODY = """Participants: Michael A. Guido (Mayor, Dearborn), Derrick Miller (CIO, Detroit), Dianah Neff (CIO, Philadelphia), Frank Cownie (Mayor, Des Moines), Bill Schrier (CIO, Seattle)

Key points:
• Michael A. Guido: “We are here to learn from one another and to help mayors and their city's technology professionals better communicate with one another.”
• Frank Cownie: “As we figure out what our needs are, we turn to our information technology people and ask: How do we meet these needs?”
• Bill Schrier: “We (CIOs) just don't have an opportunity to talk to the mayors like this. It's important that we do it again.”

Practices mentioned:
• Wireless hotspots that drew young people downtown (Detroit)
• Twelve tax systems collapsed into one (Philadelphia)"""


def load_demo_digest(services: Services) -> None:
    """Console demo: the 2004 roundtable's own digest, saved two days ago, in the words said there."""
    text = DigestText(*DEMO_THREAD, title="Boston roundtable, July 2004: keep talking, share more practices",
                      body=DEMO_BODY, participant_ids=["U0GUIDO", "U0MILLER", "U0NEFF", "U0COWNIE", "U0SCHRIER"],
                      message_count=14)
    with services.db.begin() as session:
        save_digest(session, TEAM_ID, "U0GUIDO", text, services.clock() - timedelta(days=2))

