"""*Ask about this*: a thread under the practice's card that mentions its sharer, once per member."""

from __future__ import annotations

import logging

from bot import messages as m
from bot.chat import ChatError
from bot.practices import cards
from bot.practices.adoption import DELETED
from bot.services import Services
from storage.practices import claim_ask, release_ask

log = logging.getLogger(__name__)


def start_thread(services: Services, team_id: str, user_id: str, practice_id: int | None, here: str) -> str:
    """Start the thread (under the card, or in `here` when the practice has none) and say where."""
    shown = cards.load(services, team_id, practice_id) if practice_id else None
    if shown is None:
        return DELETED
    practice = shown.practice
    if practice.user_id == user_id:
        return "This is your own practice: others can ask you about it in its thread."
    with services.db.begin() as session:  # the sharer is mentioned once per member, not per press
        first = claim_ask(session, practice, user_id, services.clock())
    if not first:
        return "You already started a thread about this practice: ask your question there."
    text = m.line(m.Mention(user_id), " has a question about ", m.bold(practice.title, cut=200),
                  f" (#{practice.id}) for ", m.Mention(practice.user_id), ". Ask it here in the thread.")
    channel, thread_ts = (practice.channel_id, practice.message_ts) if practice.message_ts else (here, "")
    try:
        services.chat_for(practice.team_id).post(channel, m.Message(text), thread=thread_ts)
    except ChatError as error:
        log.warning("could not start a thread about practice %s: %s", practice.id, error.code)
        with services.db.begin() as session:
            release_ask(session, practice.id, user_id)
        return "I could not start a thread there: invite me with `/invite @Roundtable`."
    return "I started a thread about it" + (" under the practice" if thread_ts else "") + ": ask your question there."
