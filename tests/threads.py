"""Slack-shaped threads for digest tests: what conversations.replies returns, parent first."""

from __future__ import annotations

from typing import Any

PARENT_TS = "1795000000.000100"
CHANNEL = "C0GENERAL"
MAYOR, CIO, CIO2, MODERATOR = "U0COWNIE", "U0MILLER", "U0NEFF", "U0GUIDO"
PEOPLE = [MAYOR, CIO, CIO2, MODERATOR]
LONG = ("We put free wireless hotspots in the downtown parks and the riverfront, paid for by the "
        "downtown development authority, and within a year the coffee shops stayed open later and "
        "young people came back downtown in the evenings; the key was a simple splash page.")


def message(user: str, text: str, index: int, **extra: Any) -> dict[str, Any]:
    ts = f"{1_795_000_000 + index}.000100"
    return {"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": PARENT_TS, **extra}


def long_thread(size: int = 60) -> list[dict[str, Any]]:
    """A parent question, `size - 2` member replies (reactions, a long one, a link, a question and
    its answer, a practice named, an @everyone) and one bot reply: `size` messages in all."""
    parent = {"type": "message", "user": MAYOR, "ts": PARENT_TS, "thread_ts": PARENT_TS,
              "reply_count": size - 1, "text": "How did Detroit pay for the downtown wireless hotspots?"}
    replies = []
    for index in range(1, size - 1):
        user = PEOPLE[index % len(PEOPLE)]
        text = f"Reply number {index} about hotspots."
        extra: dict[str, Any] = {}
        if index == 3:
            text = LONG
        elif index == 7:
            text, extra = "The authority's bond covered it.", {"reactions": [
                {"name": "+1", "count": 5, "users": [MAYOR, CIO2]}]}
        elif index == 12:
            text = "Report: <https://example.org/detroit-wifi.pdf|Detroit wifi report> &amp; notes"
        elif index == 20:
            text = "Did anyone measure foot traffic before and after?"
        elif index == 21:
            text = f"<@{MAYOR}> yes, about 20% more on weekday evenings."
        elif index == 30:
            text = "Our *Consolidated tax billing system* did the same for revenue."
        elif index == 58:
            text, extra = "<!everyone> remember the <#C0ROUNDUP|roundup> on Monday", {"reactions": [
                {"name": "eyes", "count": 2, "users": [MAYOR, CIO2]}]}  # reacted to: a key point of the draft
        replies.append(message(user, text, index, **extra))
    bot_reply = message("U0ROUNDBOT", "Roundtable suggests experts.", size, bot_id="B0ROUNDBOT")
    return [parent, *replies, bot_reply]
