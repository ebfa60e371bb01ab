"""`ask <question>`: what is accepted, as a plain function every platform calls.

Moved out of handlers/questions.py (`ask`'s checks, USAGE and MAX_ASK_CHARS), so Slack and Teams
refuse the same questions with the same words; each platform posts the question and records it.
"""

from __future__ import annotations

from bot.questions import rules as questions

USAGE = "Usage: `/ask &lt;your question&gt;` posts it here for the exchange and tracks it until it is answered."
MAX_ASK_CHARS = 3000


def refusal(text: str) -> str | None:
    """Why `text` is not posted as a question, or None when it is one."""
    if not text or text.lower() in ("help", "?") or not questions.is_askable(text):
        return USAGE.replace("&lt;", "<").replace("&gt;", ">")
    if len(text) > MAX_ASK_CHARS:
        return f"That question is too long ({len(text)} characters); keep it under {MAX_ASK_CHARS}."
    return None
