"""Steps the practice tests share: share, press a button, submit a modal, read what Slack got."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot import payloads
from bot.render.slack_limits import message_problems, view_problems
from storage.practices import Practice
from storage.profiles import save_profile
from tests.harness import TestBot, flatten

CHANNEL = "C0GENERAL"
SHARER = "U0MILLER"
SEATTLE, DES_MOINES, NEWCOMER = "U0SCHRIER", "U0COWNIE", "U0NEW"
TEAM = "T0ROUNDTBL"
WHEN = datetime(2026, 11, 20, tzinfo=UTC)
FULL = {"title": "Wireless hotspots downtown", "city": "Detroit",
        "problem": "Young people left downtown after work.", "solution": "Free wireless in the squares.",
        "outcome": "Downtown busy at night.", "cost": "", "contact": "Derrick Miller"}


def members(bot: TestBot) -> None:
    """Slack users and Roundtable profiles for a small exchange."""
    for user_id, name, role, city in ((SHARER, "Derrick Miller", "cio", "Detroit"),
                                      (SEATTLE, "Bill Schrier", "cio", "Seattle"),
                                      (DES_MOINES, "Frank Cownie", "mayor", "Des Moines")):
        bot.emulator.add_user(user_id, real_name=name, profile={"display_name": name})
        with bot.db.begin() as session:
            save_profile(session, TEAM, user_id, WHEN, role=role, city=city, state="", title="", expertise=[])
    bot.emulator.add_user(NEWCOMER, real_name="Pat Newcomer")


def share(bot: TestBot, text: str, *, user: str = SHARER) -> int | None:
    """`/practice <text>`; the new practice's id (None when nothing was stored)."""
    before = newest_id(bot)
    bot.command("/practice", text, user=user, channel=CHANNEL)
    after = newest_id(bot)
    return after if after != before else None


def newest_id(bot: TestBot) -> int | None:
    with bot.db.begin() as session:
        return session.scalar(select(func.max(Practice.id)))


def practice(bot: TestBot, practice_id: int) -> Practice:
    with bot.db.begin() as session:
        found = session.get(Practice, practice_id)
        assert found is not None
        return found


def press(bot: TestBot, action_id: str, practice_id: int, *, user: str, message_ts: str = "") -> str:
    """Press a practice button on the card (or, without message_ts, on an ephemeral result)."""
    bot.send(payloads.block_action(action_id, str(practice_id), user=user, channel=CHANNEL,
                                   message_ts=message_ts, response_url=bot.emulator.response_url("action")))
    return bot.last_reply_text() if bot.replies() else ""


def modal_values(fields: dict[str, str], topics: list[str] = (), free_topics: str = "") -> dict[str, Any]:  # type: ignore[assignment]
    values: dict[str, Any] = {name: {name: {"type": "plain_text_input", "value": value or None}}
                              for name, value in fields.items()}
    values["topics"] = {"topics": {"type": "multi_static_select", "selected_options": [
        {"text": {"type": "plain_text", "text": t}, "value": t} for t in topics]}}
    values["free_topics"] = {"free_topics": {"type": "plain_text_input", "value": free_topics or None}}
    return values


def submit_share(bot: TestBot, fields: dict[str, str], *, user: str = SHARER, practice_id: int | None = None,
                 topics: list[str] = (), free_topics: str = "") -> dict[str, Any]:  # type: ignore[assignment]
    """Submit the share modal; the ack's body (`{}` when it closed, `errors` when it stays open)."""
    metadata = json.dumps({"practice_id": practice_id, "channel_id": CHANNEL})
    response = bot.send(payloads.view_submission("practice_share", modal_values(fields, topics, free_topics),
                                                 user=user, private_metadata=metadata))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def last_view(bot: TestBot) -> dict[str, Any]:
    call = bot.emulator.wait_for("views.open")[-1]
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def cards(bot: TestBot) -> list[dict[str, Any]]:
    return [m for m in bot.emulator.messages.get(CHANNEL, []) if "thread_ts" not in m]


def card_text(bot: TestBot, practice_id: int) -> str:
    ts = practice(bot, practice_id).message_ts
    message = next(m for m in bot.emulator.messages[CHANNEL] if m["ts"] == ts)
    return flatten(message)


def within_limits(bot: TestBot) -> None:
    """Every message and view the bot sent is one Slack would accept."""
    for call in bot.emulator.calls:
        args = call.args
        blocks = args.get("blocks")
        assert message_problems(json.loads(blocks) if isinstance(blocks, str) else blocks) == [], call.method
        if "view" in args:
            view = args["view"]
            assert view_problems(json.loads(view) if isinstance(view, str) else view) == [], call.method
