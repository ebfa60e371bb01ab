"""Every date is shown one way ("Tue, Jan 12, 2027", in the reader's zone where Slack can), the
roundup settings show the next roundup on the workspace's clock, both forms offer the same zones,
and help gives dates relative to today. Through the real app, on both engines."""

from __future__ import annotations

import json
import re
from typing import Any

from bot import payloads
from tests.harness import MEMBER, MODERATOR, TestBot, flatten, payloads_json
from tests.practice_steps import members, share
from tests.roundtable_steps import at, reminders_posted, schedule, utc

DATE_TOKEN = re.compile(r"<!date\^\d+\^([^|>]*)\|([^>]*)>")
ONE_WAY = re.compile(r"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{4}( at \d{1,2}:\d{2} [AP]M [A-Z]{2,5})?")


def dates_in(message: dict[str, Any]) -> list[tuple[str, str]]:
    return DATE_TOKEN.findall(json.dumps(message, ensure_ascii=False).replace("\\u00b7", "·"))


def test_every_date_the_bot_shows_reads_the_same_way(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    schedule(bot, "2026-12-03 15:00 Central weekly Wireless downtown")
    bot.command("/roundtable", "list", user=MEMBER)
    bot.command("/practice", f"show {practice_id}", user=MEMBER)
    bot.command("/roundup", "preview", user=MEMBER)
    at(bot, utc(2026, 12, 2, 21, 5))  # the 24-hour reminder
    bot.event(payloads.app_home_opened(MEMBER))
    shown = [*bot.replies(), *reminders_posted(bot),
             *[payloads_json(c.args["view"]) for c in bot.emulator.calls_to("views.publish")]]
    found = [d for message in shown for d in dates_in(message)]
    assert len(found) >= 5
    for token, fallback in found:
        assert token in ("{date_short_pretty}", "{date_short_pretty} at {time}"), token
        assert ONE_WAY.fullmatch(fallback), fallback
    assert ("{date_short_pretty} at {time}", "Thu, Dec 3, 2026 at 3:00 PM CST") in found


def test_roundup_settings_show_the_next_roundup_on_the_workspaces_clock(bot: TestBot) -> None:
    bot.command("/roundup", "settings", user=MODERATOR)
    view = payloads_json(bot.emulator.calls_to("views.open")[-1].args["view"])
    assert "Next roundup: Mon, Nov 30, 2026 at 9:00 AM EST (America/New York)." in flatten(view)


def test_both_forms_offer_the_same_zones(bot: TestBot) -> None:
    bot.command("/roundup", "settings", user=MODERATOR)
    roundup = payloads_json(bot.emulator.calls_to("views.open")[-1].args["view"])
    bot.command("/roundtable", "schedule", user=MODERATOR)
    roundtable = payloads_json(bot.emulator.calls_to("views.open")[-1].args["view"])

    def zones(view: dict[str, Any], block_id: str) -> list[tuple[str, str]]:
        [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
        return [(o["value"], o["text"]["text"]) for o in block["element"]["options"]]

    assert zones(roundup, "timezone") == zones(roundtable, "zone")
    assert ("America/Chicago", "Central (Chicago)") in zones(roundup, "timezone")


def test_help_gives_dates_ahead_of_today(bot: TestBot) -> None:
    bot.clock.now = utc(2031, 5, 1, 12, 0)
    bot.command("/roundtable", "help", user=MODERATOR)
    assert "`/roundtable schedule 2031-05-11 15:00 Central" in bot.last_reply_text()
    bot.command("/roundtable", "schedule 2031-05-01", user=MODERATOR)
    assert "`/roundtable schedule 2031-05-11 15:00 America/Chicago" in bot.last_reply_text()
    bot.command("/roundtable", "schedule 05/20/2031 15:00 Budget", user=MODERATOR)
    assert "e.g. 2031-05-11." in bot.last_reply_text()
    assert "2026" not in " ".join(flatten(r) for r in bot.replies())
