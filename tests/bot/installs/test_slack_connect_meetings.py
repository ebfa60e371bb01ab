"""Slack Connect (issue 12): roundtables, RSVPs and digests of a shared channel are the conversation's,
kept under its home workspace, whichever workspace's member types or presses; a moderator of either
workspace may schedule there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import payloads
from bot.roundtables.modal import CALLBACK_ID
from bot.roundtables.plans import example_day
from storage.digests import Digest
from storage.profiles import Profile
from storage.roundtables import Roundtable, RoundtableRsvp
from tests.harness import MODERATOR, TestBot, flatten, payloads_json
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, DENVER, DENVER_MAYOR, SHARED, said
from tests.roundtable_steps import modal_values, press, reminders_posted, tick

DENVER_MODERATOR = "U0DENMOD"  # an admin of Denver's workspace, so a moderator there (not in Boston)


def command(bot: TestBot, user: str, team: str, name: str, text: str, channel: str = SHARED) -> None:
    bot.send(payloads.slash_command(name, text, user=user, channel=channel, team=team,
                                    response_url=bot.emulator.response_url(name.strip("/"))))


def confirm(bot: TestBot, user: str, team: str, label: str = "Schedule and announce", channel: str = SHARED) -> None:
    """Press the button starting with `label` on the last private reply."""
    blocks = bot.replies()[-1]["blocks"]
    [button] = [e for b in payloads_json(blocks) if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"].startswith(label)]
    bot.send(payloads.block_action(button["action_id"], button["value"], user=user, team=team, channel=channel,
                                   response_url=bot.emulator.response_url("confirm"), ephemeral=True))


def schedule(bot: TestBot, user: str, team: str, channel: str = SHARED, title: str = "Wireless downtown") -> None:
    day = example_day(bot.clock())
    command(bot, user, team, "/roundtable", f"schedule {day} 15:00 America/Chicago weekly {title}", channel)
    confirm(bot, user, team, channel=channel)


def roundtables(bot: TestBot) -> list[Roundtable]:
    with bot.db.begin() as session:
        return list(session.scalars(select(Roundtable)))


def first_reminder(bot: TestBot) -> dict[str, Any]:
    """Tick until the first reminder of the shared channel's roundtable is posted."""
    for _ in range(60):  # the example day is ten days ahead
        tick(bot)
        if reminders_posted(bot, SHARED):
            return reminders_posted(bot, SHARED)[0]
        bot.clock.advance(hours=6)
    raise AssertionError("no reminder was posted")


def test_a_guest_moderator_schedules_one_meeting_in_the_shared_channel_reminded_once(connected: TestBot) -> None:
    connected.emulator.add_user(DENVER_MODERATOR, team=DENVER, real_name="Denver moderator", is_admin=True)
    said(connected, BOSTON_CIO, "Welcome, Denver.", BOSTON)  # the bot learns the channel's home
    schedule(connected, DENVER_MODERATOR, DENVER)
    [roundtable] = roundtables(connected)
    assert (roundtable.team_id, roundtable.channel_id, roundtable.created_by) == (BOSTON, SHARED, DENVER_MODERATOR)
    command(connected, BOSTON_CIO, BOSTON, "/roundtable", "list")  # Boston's members see the same meeting
    assert "Wireless downtown" in connected.last_reply_text()
    command(connected, DENVER_MAYOR, DENVER, "/roundtable", "list")  # and so do Denver's, in that channel
    assert "Wireless downtown" in connected.last_reply_text()
    reminder = first_reminder(connected)
    for _ in range(3):  # a tick in each process, and again: still one post
        tick(connected)
    assert [m["ts"] for m in reminders_posted(connected, SHARED)] == [reminder["ts"]]


def test_the_shared_channel_s_reminder_lists_the_other_organization_s_mayors_questions(connected: TestBot) -> None:
    with connected.db.begin() as session:  # Denver's mayor, as Denver's workspace knows them
        session.add(Profile(team_id=DENVER, user_id=DENVER_MAYOR, role="mayor", city="Denver", state="CO",
                            title="", expertise=[], updated_at=connected.clock()))
    said(connected, DENVER_MAYOR, "How do you staff a 311 center at night?", BOSTON)
    schedule(connected, MODERATOR, BOSTON)
    assert "How do you staff a 311 center at night?" in flatten(first_reminder(connected))


def test_a_member_of_the_guest_workspace_cannot_schedule_in_the_shared_channel(connected: TestBot) -> None:
    said(connected, BOSTON_CIO, "Welcome, Denver.", BOSTON)
    day = example_day(connected.clock())
    command(connected, DENVER_MAYOR, DENVER, "/roundtable", f"schedule {day} 15:00 weekly Wireless downtown")
    assert "Only moderators" in connected.last_reply_text()
    assert roundtables(connected) == []


def test_a_guest_moderator_edits_and_cancels_the_shared_channel_s_roundtable_and_no_other(
        connected: TestBot) -> None:
    connected.emulator.add_user(DENVER_MODERATOR, team=DENVER, real_name="Denver moderator", is_admin=True)
    said(connected, BOSTON_CIO, "Welcome, Denver.", BOSTON)
    schedule(connected, MODERATOR, BOSTON)
    schedule(connected, MODERATOR, BOSTON, BOSTON_CHANNEL, "Boston budget")
    shared, boston_only = sorted(roundtables(connected), key=lambda r: r.id)
    command(connected, DENVER_MODERATOR, DENVER, "/roundtable", f"edit {boston_only.id}")
    assert f"no roundtable #{boston_only.id}" in connected.last_reply_text()
    command(connected, DENVER_MODERATOR, DENVER, "/roundtable", f"cancel {boston_only.id}")
    assert f"no roundtable #{boston_only.id}" in connected.last_reply_text()

    command(connected, DENVER_MODERATOR, DENVER, "/roundtable", f"edit {shared.id}")
    view = payloads_json(connected.emulator.calls_to("views.open")[-1].args["view"])
    values = modal_values(title="Wireless downtown, with Denver", day=example_day(connected.clock()),
                          recurrence="weekly", channel=SHARED)
    connected.send(payloads.view_submission(CALLBACK_ID, values, user=DENVER_MODERATOR, team=DENVER,
                                            private_metadata=view["private_metadata"]))
    command(connected, DENVER_MAYOR, DENVER, "/roundtable", f"ics {shared.id}")
    assert "I sent you" in connected.last_reply_text()
    command(connected, DENVER_MODERATOR, DENVER, "/roundtable", f"cancel {shared.id}")
    confirm(connected, DENVER_MODERATOR, DENVER, "Cancel the")
    with connected.db.begin() as session:
        edited, untouched = session.get(Roundtable, shared.id), session.get(Roundtable, boston_only.id)
    assert (edited.title, edited.team_id, edited.cancelled_at is not None) == (
        "Wireless downtown, with Denver", BOSTON, True)
    assert untouched.cancelled_at is None and untouched.title == "Boston budget"


def test_an_rsvp_from_the_other_organization_counts_once_and_shows_their_name(connected: TestBot) -> None:
    said(connected, BOSTON_CIO, "Welcome, Denver.", BOSTON)
    schedule(connected, MODERATOR, BOSTON)
    [roundtable] = roundtables(connected)
    reminder = first_reminder(connected)
    for _ in range(2):  # pressed twice: one answer
        press(connected, reminder, "going", DENVER_MAYOR, channel=SHARED, team=DENVER)
    with connected.db.begin() as session:
        answers = list(session.scalars(select(RoundtableRsvp)))
    assert [(a.team_id, a.roundtable_id, a.user_id, a.answer, a.name) for a in answers] == [
        (BOSTON, roundtable.id, DENVER_MAYOR, "going", "Denver Mayor")]
    updated = connected.emulator.calls_to("chat.update")[-1]  # by the bot that posted it, Boston's
    assert (updated.team, updated.args["ts"], updated.answer["ok"]) == (BOSTON, reminder["ts"], True)
    assert "Denver Mayor" in flatten(updated.args)


def test_a_roundtable_scheduled_before_the_channel_s_home_was_known_is_still_answered(connected: TestBot) -> None:
    connected.emulator.add_user(DENVER_MODERATOR, team=DENVER, real_name="Denver moderator", is_admin=True)
    schedule(connected, DENVER_MODERATOR, DENVER)  # no event from the channel yet: kept under Denver
    said(connected, BOSTON_CIO, "Welcome, Denver.", BOSTON)  # now the channel's home is Boston
    reminder = first_reminder(connected)
    press(connected, reminder, "maybe", DENVER_MAYOR, channel=SHARED, team=DENVER)
    with connected.db.begin() as session:
        [answered] = session.scalars(select(RoundtableRsvp)).all()
    assert (answered.team_id, answered.user_id, answered.answer) == (DENVER, DENVER_MAYOR, "maybe")


def digest_steps(bot: TestBot, user: str, team: str) -> Any:
    """*Save discussion digest* on the shared channel's thread, and the draft saved as it is."""
    root = bot.emulator.messages[SHARED][0]
    bot.send(payloads.message_shortcut("save_digest", root, user=user, channel=SHARED, team=team,
                                       response_url=bot.emulator.response_url("shortcut")))
    draft = payloads_json(bot.emulator.calls_to("views.update")[-1].args["view"])
    values = {b["block_id"]: {b["block_id"]: {"type": "plain_text_input", "value": b["element"]["initial_value"]}}
              for b in draft["blocks"] if b["type"] == "input"}
    return bot.send(payloads.view_submission("save_digest", values, user=user, team=team,
                                             private_metadata=draft["private_metadata"]))


def test_a_digest_of_a_shared_channel_s_thread_is_one_digest(connected: TestBot) -> None:
    connected.emulator.add_user(DENVER_MODERATOR, team=DENVER, real_name="Denver moderator", is_admin=True)
    asked = said(connected, DENVER_MAYOR, "How did you pay for the downtown hotspots?", BOSTON)
    answer = said(connected, BOSTON_CIO, "We paid for them with a bond.", BOSTON, thread_ts=asked["ts"])
    connected.emulator.set_thread(SHARED, asked["ts"], [{**asked, "reply_count": 1}, answer])
    connected.emulator.messages[SHARED][0]["reply_count"] = 1

    assert digest_steps(connected, DENVER_MAYOR, DENVER).status == 200
    refused = digest_steps(connected, BOSTON_CIO, BOSTON)  # another member's digest of the same thread
    assert "Another member saved" in refused.body
    assert digest_steps(connected, DENVER_MODERATOR, DENVER).status == 200  # a moderator may replace it
    with connected.db.begin() as session:
        [digest] = session.scalars(select(Digest)).all()
    assert (digest.team_id, digest.channel_id, digest.thread_ts, digest.saved_by) == (
        BOSTON, SHARED, asked["ts"], DENVER_MODERATOR)
    posts = [c for c in connected.emulator.calls_to("chat.postMessage") if c.args.get("thread_ts") == asked["ts"]
             and "Digest" in flatten(c.args)]
    assert len(posts) == 1  # saved again: the post is updated, not posted twice
    command(connected, DENVER_MAYOR, DENVER, "/digest", "list")  # listed from either workspace, in that channel
    assert "How did you pay" in connected.last_reply_text()
    command(connected, BOSTON_CIO, BOSTON, "/digest", "list")
    assert "How did you pay" in connected.last_reply_text()
