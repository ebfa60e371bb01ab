"""`ask <question>`: what is accepted, as a plain function every platform calls.

Slack and Teams refuse the same questions with the same words; each platform posts the question and records it.
"""

from __future__ import annotations

from bot import messages as m
from bot.questions import rules as questions
from bot.services import Services
from storage import conversations as conversation_store
from storage import questions as store
from storage.questions import Question

USAGE = m.line("Usage: ", m.code("/ask <your question>"), " posts it here for the exchange and tracks it until it is answered.")
MAX_ASK_CHARS = 3000


def refusal(text: str) -> m.Inline | str | None:
    """Why `text` is not posted as a question, or None when it is one."""
    if not text or text.lower() in ("help", "?") or not questions.is_askable(text):
        return USAGE
    if len(text) > MAX_ASK_CHARS:
        return f"That question is too long ({len(text)} characters); keep it under {MAX_ASK_CHARS}."
    return None


def track(services: Services, team_id: str, channel: str, ref: str, user_id: str, text: str,
          public: bool | None = None) -> Question | None:
    """The posted question (`ref`: its post) tracked like one asked in the channel; whether the
    conversation is public is remembered when the platform said."""
    with services.db.begin() as session:
        if public is not None:
            conversation_store.record(session, team_id, channel, public, services.clock())
        return store.add_question(session, team_id, channel, ref, user_id, text, services.clock())
