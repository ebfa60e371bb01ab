"""/roundtable as moderators and members use it: permissions, the quick form, the modal, list, cancel."""

from __future__ import annotations

import json

import pytest

from bot import payloads
from bot.roundtables.commands import REFUSAL
from bot.roundtables.modal import CALLBACK_ID
from storage.roundtables import Roundtable
from tests.harness import MEMBER, MODERATOR, TestBot, flatten, payloads_json
from tests.roundtable_steps import CHANNEL, cancel, count_roundtables, modal_values, schedule

# FakeClock starts on Monday 2026-11-23 14:00 UTC.


@pytest.mark.parametrize("text", [
    "schedule", "schedule 2026-12-03 15:00 America/Chicago Wireless downtown", "edit 1", "cancel 1",
    "cancel 1 --next",
])
def test_members_who_are_not_moderators_are_refused_and_nothing_is_stored(bot: TestBot, text: str) -> None:
    bot.command("/roundtable", text, user=MEMBER)
    assert bot.last_reply_text() == REFUSAL
    assert bot.replies()[-1]["response_type"] == "ephemeral"
    assert count_roundtables(bot) == 0
    assert not bot.emulator.calls_to("views.open")
    assert not bot.emulator.messages.get("C0GENERAL")


def test_a_modal_submitted_by_a_member_is_refused(bot: TestBot) -> None:
    response = bot.send(payloads.view_submission(CALLBACK_ID, modal_values(), user=MEMBER))
    assert json.loads(response.body) == {"response_action": "errors", "errors": {"title": REFUSAL}}
    assert count_roundtables(bot) == 0


def test_the_quick_form_schedules_and_announces_a_roundtable(bot: TestBot) -> None:
    reply = schedule(bot, "2026-12-03 15:00 America/Chicago biweekly Wireless downtown <!channel>")
    assert reply.startswith("Scheduled roundtable #1 *Wireless downtown &lt;!channel&gt;* in <#C0MAYORS>: "
                            "meets every two weeks on Thursday, next <!date^1796331600^")
    assert "Reminders 24 hours before and 1 hour before." in reply
    [announcement] = bot.emulator.messages[CHANNEL]
    assert "<@U0MOD> scheduled a roundtable: *Wireless downtown &lt;!channel&gt;*" in announcement["text"]
    with bot.db.begin() as session:
        stored = session.get(Roundtable, 1)
    assert (stored.starts_local, stored.timezone, stored.rrule, stored.reminder_minutes) == (
        "2026-12-03T15:00", "America/Chicago", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", [1440, 60])


def test_the_quick_form_defaults_to_the_moderators_own_time_zone(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 monthly Budget roundtable")  # U0MOD is in America/Detroit
    with bot.db.begin() as session:
        stored = session.get(Roundtable, 1)
    assert (stored.timezone, stored.rrule) == ("America/Detroit", "FREQ=MONTHLY;BYDAY=1TH")


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-13-01 15:00 Budget", "`2026-13-01` is not a date. Write it as YYYY-MM-DD, e.g. 2026-12-03."),
    ("12/03/2026 15:00 Budget", "`12/03/2026` is not a date. Write it as YYYY-MM-DD, e.g. 2026-12-03."),
    ("2026-12-03 3pm Budget", "`3pm` is not a time. Write it as 24-hour HH:MM, e.g. 15:00."),
    ("2026-12-03 15:00 America/Chicgo Budget",
     "`America/Chicgo` is not a time zone I know. Use an IANA name such as America/Chicago or America/New_York."),
    ("2026-11-20 15:00 America/Chicago Budget",
     "2026-11-20 15:00 in America/Chicago has already passed. Pick a time in the future."),
    ("2026-11-23 07:59 America/Chicago Budget",  # 13:59 UTC, a minute before the clock
     "2026-11-23 07:59 in America/Chicago has already passed. Pick a time in the future."),
    ("2027-03-14 02:30 America/Chicago weekly Budget",
     "2027-03-14 02:30 does not exist in America/Chicago: clocks jump forward an hour that night for "
     "daylight saving time. Pick another time, e.g. 03:30."),
    ("2026-12-03 15:00 America/Chicago weekly", "Add a title, e.g. `... 15:00 Wireless downtown`."),
    ("2026-12-03", "Usage: `/roundtable schedule 2026-12-03 15:00 America/Chicago biweekly Wireless downtown` "
                   "(the time zone and the repeat are optional)."),
])
def test_quick_form_mistakes_get_a_precise_answer_and_store_nothing(bot: TestBot, text: str, expected: str) -> None:
    assert schedule(bot, text) == expected
    assert count_roundtables(bot) == 0
    assert CHANNEL not in bot.emulator.messages


def test_schedule_without_text_opens_the_modal_in_the_moderators_zone(bot: TestBot) -> None:
    bot.command("/roundtable", "schedule", user=MODERATOR, channel=CHANNEL)
    [call] = bot.emulator.calls_to("views.open")
    view = payloads_json(call.args["view"])
    assert view["callback_id"] == CALLBACK_ID and len(view["title"]["text"]) <= 24
    by_block = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert by_block["zone"]["initial_option"]["value"] == "America/Detroit"
    assert by_block["channel"]["initial_conversation"] == CHANNEL
    assert [o["value"] for o in by_block["reminders"]["initial_options"]] == ["1440", "60"]
    assert set(by_block) == {"title", "agenda", "date", "time", "zone", "recurrence", "channel", "reminders",
                             "video"}


def test_a_submitted_modal_schedules_the_roundtable(bot: TestBot) -> None:
    values = modal_values(video="https://meet.example.org/wireless?a=1&b=2", agenda="Hotspots downtown")
    response = bot.send(payloads.view_submission(CALLBACK_ID, values, user=MODERATOR))
    assert response.status == 200 and not response.body
    with bot.db.begin() as session:
        stored = session.get(Roundtable, 1)
    assert (stored.title, stored.agenda, stored.video_url) == (
        "Wireless downtown", "Hotspots downtown", "https://meet.example.org/wireless?a=1&b=2")
    [ephemeral] = bot.emulator.calls_to("chat.postEphemeral")
    assert ephemeral.args["user"] == MODERATOR
    assert ephemeral.args["text"].startswith("Scheduled roundtable #1 *Wireless downtown*")


def test_modal_mistakes_come_back_next_to_their_fields(bot: TestBot) -> None:
    values = modal_values(day="2027-03-14", time="02:15", recurrence="weekly", title=" ",
                          video="javascript:alert(1)", channel="")
    response = bot.send(payloads.view_submission(CALLBACK_ID, values, user=MODERATOR))
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert body["errors"] == {
        "title": "Add a title, e.g. ... 15:00 Wireless downtown.",
        "video": "The video link must be a web address starting with https://.",
        "channel": "Pick the channel for the reminders.",
        "time": "2027-03-14 02:15 does not exist in America/Chicago: clocks jump forward an hour that night "
                "for daylight saving time. Pick another time, e.g. 03:15.",
    }
    assert count_roundtables(bot) == 0


def test_list_shows_upcoming_roundtables_to_everyone(bot: TestBot) -> None:
    schedule(bot, "2026-12-10 09:00 America/New_York weekly Open data")
    schedule(bot, "2026-12-03 15:00 America/Chicago Wireless downtown")
    bot.command("/roundtable", "list", user=MEMBER)
    text = bot.last_reply_text()
    assert text.index("#2 Wireless downtown") < text.index("#1 Open data")  # soonest first
    assert "every week on Thursday · next <!date^1796911200^" in text


def test_cancelling_the_next_meeting_keeps_the_series(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago biweekly Wireless downtown")
    cancel(bot, "1 --next")
    assert bot.last_reply_text().startswith("Cancelled the <!date^1796331600^")
    assert "the series continues <!date^1797541200^" in bot.last_reply_text()
    bot.command("/roundtable", "list", user=MEMBER)
    assert "next <!date^1797541200^" in bot.last_reply_text()
    assert "is cancelled. The next one is" in bot.emulator.messages[CHANNEL][-1]["text"]


def test_cancelling_the_series_removes_it(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago biweekly Wireless downtown")
    cancel(bot, "#1")
    assert bot.last_reply_text() == ("Cancelled roundtable #1 *Wireless downtown* (the whole series). "
                                     "No more reminders will be posted.")
    bot.command("/roundtable", "list", user=MEMBER)
    assert bot.last_reply_text().startswith("No roundtables are scheduled.")
    cancel(bot, "1")
    assert bot.last_reply_text() == "There is no roundtable #1 scheduled. `/roundtable list` shows them."


@pytest.mark.parametrize(("text", "expected"), [
    ("cancel", "Usage: `/roundtable cancel 3` cancels the series; `/roundtable cancel 3 --next` only its next meeting."),
    ("cancel two", "`two` is not a roundtable number. `/roundtable list` shows them."),
    ("edit 9", "There is no roundtable #9 scheduled. `/roundtable list` shows them."),
])
def test_bad_references_get_a_short_answer(bot: TestBot, text: str, expected: str) -> None:
    bot.command("/roundtable", text, user=MODERATOR)
    assert bot.last_reply_text() == expected


def test_edit_reopens_the_modal_at_the_next_meeting_and_keeps_the_series(bot: TestBot) -> None:
    schedule(bot, "2026-11-26 15:00 America/Chicago weekly Wireless downtown")
    cancel(bot, "1 --next")  # Thanksgiving
    bot.clock.advance(days=1)
    bot.command("/roundtable", "edit 1", user=MODERATOR)
    view = payloads_json(bot.emulator.calls_to("views.open")[-1].args["view"])
    by_block = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert by_block["title"]["initial_value"] == "Wireless downtown"
    assert (by_block["date"]["initial_date"], by_block["time"]["initial_time"]) == ("2026-12-03", "15:00")
    assert by_block["recurrence"]["initial_option"]["value"] == "weekly"
    values = modal_values(title="Wireless downtown, year two", day="2026-12-03", recurrence="weekly")
    bot.send(payloads.view_submission(CALLBACK_ID, values, user=MODERATOR,
                                      private_metadata=view["private_metadata"]))
    with bot.db.begin() as session:
        stored = session.get(Roundtable, 1)
    assert (stored.title, stored.starts_local, stored.cancelled_starts) == (
        "Wireless downtown, year two", "2026-11-26T15:00", ["2026-11-26T15:00"])
    assert "Saved roundtable #1" in flatten(bot.emulator.calls_to("chat.postEphemeral")[-1].args)


def test_unknown_subcommands_get_the_usage(bot: TestBot) -> None:
    bot.command("/roundtable", "reschedule everything", user=MODERATOR)
    assert bot.last_reply_text().startswith("Usage: `/roundtable list`")


def test_a_moderator_hears_when_the_bot_cannot_post_in_the_channel(bot: TestBot) -> None:
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    reply = schedule(bot, "2026-12-03 15:00 America/Chicago Wireless downtown")
    assert reply == ("I could not post in <#C0MAYORS>: invite me there with `/invite @Roundtable`, "
                     "or the reminders cannot be posted.")
    assert count_roundtables(bot) == 1  # scheduled all the same; reminders retry until it is fixed
