"""Steps the roundtable tests share: schedule as the moderator, tick the scheduler, read the channel."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot import outbox, payloads, slack
from bot.roundtables import reminders
from storage.deliveries import Delivery
from storage.roundtables import Roundtable
from tests.harness import MODERATOR, TestBot

CHANNEL = "C0MAYORS"
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^")


def schedule(bot: TestBot, text: str, *, user: str = MODERATOR, channel: str = CHANNEL) -> str:
    """Type `/roundtable schedule <text>` and confirm what the bot understood; returns what the
    bot answered last (the refusal, when there was nothing to confirm)."""
    bot.command("/roundtable", f"schedule {text}", user=user, channel=channel)
    confirm_last(bot, "Schedule and announce", user=user, channel=channel)
    return bot.last_reply_text()


def cancel(bot: TestBot, text: str, *, user: str = MODERATOR, channel: str = CHANNEL) -> str:
    """Type `/roundtable cancel <text>` and confirm it; returns what the bot answered last."""
    bot.command("/roundtable", f"cancel {text}", user=user, channel=channel)
    confirm_last(bot, "Cancel the", user=user, channel=channel)
    return bot.last_reply_text()


def reply_buttons(bot: TestBot) -> list[dict[str, Any]]:
    """The buttons on the bot's last private reply."""
    blocks = bot.replies()[-1].get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def confirm_last(bot: TestBot, label: str, *, user: str = MODERATOR, channel: str = CHANNEL) -> bool:
    """Press the button starting with `label` on the last reply, if there is one."""
    found = [b for b in reply_buttons(bot) if b["text"]["text"].startswith(label)] if bot.replies() else []
    for button in found[:1]:
        bot.send(payloads.block_action(button["action_id"], button["value"], user=user, channel=channel,
                                       response_url=bot.emulator.response_url("action"), ephemeral=True))
    return bool(found)


def tick(bot: TestBot) -> list[outbox.Outcome]:
    """One scheduler tick at the fake clock's time: enqueue due reminders, deliver the outbox."""
    reminders.enqueue_due_reminders(bot.services)
    return outbox.deliver_due(bot.services)


def at(bot: TestBot, when: datetime) -> list[outbox.Outcome]:
    bot.clock.now = when
    return tick(bot)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def reminders_posted(bot: TestBot, channel: str = CHANNEL) -> list[dict[str, Any]]:
    return [m for m in bot.emulator.messages.get(channel, [])
            if (m.get("metadata") or {}).get("event_type") == slack.METADATA_EVENT]


def keys_posted(bot: TestBot, channel: str = CHANNEL) -> list[str]:
    return [m["metadata"]["event_payload"]["key"] for m in reminders_posted(bot, channel)]


def epoch_shown(message: dict[str, Any]) -> datetime:
    """The instant the message shows with <!date^...> (the first one)."""
    match = DATE_TOKEN.search(json.dumps(message.get("blocks")))
    assert match, "no <!date^...> in the message"
    return datetime.fromtimestamp(int(match[1]), UTC)


def count_roundtables(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(Roundtable))


def delivery_rows(bot: TestBot) -> list[Delivery]:
    with bot.db.begin() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def press(bot: TestBot, message: dict[str, Any], answer: str, user: str, channel: str = CHANNEL,
          team: str = payloads.DEFAULT_TEAM) -> None:
    """Press an RSVP button on a posted message (as a member of workspace `team`)."""
    [button] = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"].endswith("_" + answer)]
    bot.send(payloads.block_action(button["action_id"], button["value"], user=user, channel=channel, team=team,
                                   message_ts=message["ts"], message=message,
                                   response_url=bot.emulator.response_url("rsvp")))


def modal_values(*, title: str = "Wireless downtown", day: str = "2026-12-03", time: str = "15:00",
                 zone: str = "America/Chicago", recurrence: str = "biweekly", channel: str = CHANNEL,
                 reminders: tuple[str, ...] = ("1440", "60"), video: str = "",
                 agenda: str = "") -> dict[str, dict[str, Any]]:
    """A submitted modal's state, as Slack sends it."""
    def one(block: str, value: dict[str, Any]) -> dict[str, Any]:
        return {block: {block: value}}

    option = lambda v: {"value": v, "text": {"type": "plain_text", "text": v}}  # noqa: E731
    return {
        **one("title", {"type": "plain_text_input", "value": title or None}),
        **one("agenda", {"type": "plain_text_input", "value": agenda or None}),
        **one("date", {"type": "datepicker", "selected_date": day or None}),
        **one("time", {"type": "timepicker", "selected_time": time or None}),
        **one("zone", {"type": "static_select", "selected_option": option(zone) if zone else None}),
        **one("recurrence", {"type": "static_select", "selected_option": option(recurrence)}),
        **one("channel", {"type": "conversations_select", "selected_conversation": channel or None}),
        **one("reminders", {"type": "multi_static_select", "selected_options": [option(r) for r in reminders]}),
        **one("video", {"type": "url_text_input", "value": video or None}),
    }
