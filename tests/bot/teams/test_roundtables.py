"""Roundtables from Teams beyond scheduling: `roundtable edit` (the form as a dialog, filled) and
`roundtable ics`, over HTTP with signed activities, on both databases."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from bot.emulator.teams import TeamsEmulator
from bot.roundtables import calendar_links
from storage.roundtables import Roundtable
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.test_commands import make_moderator
from tests.harness import TestBot


def fields(dialog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in dialog["task"]["value"]["card"]["content"]["body"] if "id" in e}


def scheduled(bot: TestBot, moderator: Member) -> None:
    make_moderator(bot)
    check = moderator.say("roundtable schedule 2027-03-04 15:00 Central Wireless downtown")
    moderator.press(next(a for a in actions(check) if a["title"] == "Schedule and announce"))


def test_edit_opens_the_form_filled_keeps_a_refused_entry_and_tells_the_channel_of_a_move(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    moderator, member = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    scheduled(bot, moderator)
    assert "Only moderators" in card_text(member.say("roundtable edit 1"))
    assert "There is no roundtable #7" in card_text(moderator.say("roundtable edit 7"))
    button = actions(moderator.say("roundtable edit 1"))[0]
    assert button["title"] == "Edit roundtable #1"
    assert member.open_dialog(button)["task"] == {"type": "message", "value": (
        "Only moderators can schedule, edit or cancel roundtables. Ask a moderator if you need one.")}
    form = moderator.open_dialog(button)
    assert form["task"]["value"]["title"] == "Edit roundtable"
    assert fields(form)["title"]["value"] == "Wireless downtown" and fields(form)["time"]["value"] == "15:00"

    refused = moderator.submit_dialog(form, title="", time="16:30")
    assert refused["task"]["type"] == "continue" and refused["task"]["value"]["title"] == "Edit roundtable"
    assert fields(refused)["time"]["value"] == "16:30" and fields(refused)["title"]["errorMessage"]
    with bot.db.read() as session:
        assert session.query(Roundtable).one().starts_local.endswith("15:00")

    before = len(microsoft.sent)
    saved = moderator.submit_dialog(refused, title="Wireless downtown, part 2")
    assert saved["task"]["type"] == "message" and saved["task"]["value"].startswith("Saved roundtable #1")
    assert "/roundtable" not in saved["task"]["value"]
    with bot.db.read() as session:
        roundtable = session.query(Roundtable).one()
        assert (roundtable.title, roundtable.starts_local[-5:]) == ("Wireless downtown, part 2", "16:30")
    notices = [card_text(s["body"]["attachments"][0]["content"]) for s in microsoft.sent[before:]]
    assert len(notices) == 1 and "has moved" in notices[0] and "roundtable ics 1" in notices[0]


def test_a_refused_schedule_dialog_shows_what_was_typed(bot: TestBot, microsoft: TeamsEmulator,
                                                        teams_url: str) -> None:
    moderator = Member(teams_url, microsoft)
    make_moderator(bot)
    form = moderator.open_dialog(actions(moderator.say("roundtable schedule"))[0])
    refused = moderator.submit_dialog(form, title="Wireless downtown", date="2020-01-01", time="15:00")
    shown = fields(refused)
    assert refused["task"]["value"]["title"] == "Schedule a roundtable"
    assert (shown["title"]["value"], shown["date"]["value"], shown["time"]["value"]) == (
        "Wireless downtown", "2020-01-01", "15:00")
    with bot.db.read() as session:
        assert session.query(Roundtable).count() == 0


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_ics_links_to_the_calendar_file_the_bot_serves_signed_and_current(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    moderator = Member(teams_url, microsoft)
    scheduled(bot, moderator)
    assert "Calendar files need the bot's public address" in card_text(moderator.say("roundtable ics 1"))
    bot.services.settings = replace(bot.services.settings, library_url="https://roundtable.example.org")
    assert "There is no roundtable #9" in card_text(moderator.say("roundtable ics 9"))
    assert "Usage: roundtable ics 3" in card_text(moderator.say("roundtable ics"))
    card = moderator.say("roundtable ics 1")
    assert card_text(card).startswith("Open roundtable-1.ics (https://roundtable.example.org/calendar/")
    assert "to add Wireless downtown to Outlook" in card_text(card)
    link = re.search(r"\]\((https://roundtable\.example\.org/calendar/[^)]+)\)", card["body"][0]["text"])[1]
    served = teams_url.removesuffix("/api/messages") + urlsplit(link).path

    status, headers, body = fetch(served)
    assert status == 200 and headers["content-type"].startswith("text/calendar")
    assert b"SUMMARY:Wireless downtown" in body and b"TZID=America/Chicago" in body

    team, number, signature = urlsplit(link).path.removeprefix("/calendar/").removesuffix(".ics").split(".")
    other = calendar_links._b64(b"tenant-2")
    for forged in (f"{team}.2.{signature}", f"{other}.1.{signature}", f"{team}.1.{'A' * 24}", f"{team}.1"):
        assert fetch(teams_url.removesuffix("/api/messages") + f"/calendar/{forged}.ics")[0] == 404, forged

    moderator.press(next(a for a in actions(moderator.say("roundtable cancel 1")) if "Cancel" in a["title"]))
    assert fetch(served)[0] == 404  # cancelled since: the link serves nothing
