"""Roundtable Block Kit stays within Slack's limits and escapes what members typed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import payloads
from bot.render import slack, slack_forms
from bot.roundtables import blocks
from bot.roundtables.agenda import OpenQuestion
from bot.roundtables.modal import read_modal, roundtable_id_of, schedule_form
from bot.roundtables.plans import MeetingPlan
from storage.roundtables import Roundtable, RoundtableRsvp

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)
START = datetime(2026, 12, 3, 15, tzinfo=ZoneInfo("America/Chicago"))


def roundtable(**fields: object) -> Roundtable:
    values = dict(id=7, team_id="T1", channel_id="C1", title="Wireless downtown", agenda="", rrule="",
                  starts_local="2026-12-03T15:00", timezone="America/Chicago", duration_minutes=60,
                  reminder_minutes=[1440, 60], video_url="", cancelled_starts=[])
    values.update(fields)
    return Roundtable(**values)


def texts(message: dict) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn"):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message["blocks"])
    return found


def test_a_crowded_reminder_with_hostile_text_fits_and_pings_nobody() -> None:
    hostile = roundtable(title="<!everyone> & " * 20, agenda="<@U1> <https://evil|x> " * 200,
                         video_url="https://meet.example.org/a?b=1&c=2", rrule="FREQ=WEEKLY;BYDAY=TH")
    answers = [RoundtableRsvp(user_id=f"U{n}", answer=("going", "maybe", "no")[n % 3],
                              name="<!channel> " * 12, updated_at=NOW) for n in range(90)]
    questions = [OpenQuestion("<!here> how? " * 40, "U2", NOW) for _ in range(5)]
    message = slack.message(blocks.build_reminder(hostile, START, answers, questions))
    for block in message["blocks"]:
        Block.parse(block).validate_json()  # slack_sdk's own checks
    assert len(message["blocks"]) <= 50
    assert len(message["blocks"][0]["text"]["text"]) <= 150
    assert all(len(text) <= 3000 for text in texts(message))
    rendered = json.dumps(message)
    assert "<!everyone>" not in rendered and "<!channel>" not in rendered and "<!here>" not in rendered
    assert "<@U1>" not in rendered and "<https://evil" not in rendered
    for typed in ("&lt;!everyone&gt; &amp;", "&lt;!channel&gt;", "&lt;!here&gt; how?", "&lt;@U1&gt;"):  # all shown
        assert typed in rendered, typed
    assert "and 15 more" in message["blocks"][-1]["elements"][0]["text"]
    assert "<https://meet.example.org/a?b=1&amp;c=2|Join the video call>" in rendered


def test_the_list_stays_under_fifty_blocks() -> None:
    items = [(roundtable(id=n), START) for n in range(60)]
    listed = slack.message(blocks.build_list(items))
    assert len(listed["blocks"]) <= 50
    assert listed["blocks"][-1]["text"]["text"] == "…and 20 more."


def test_the_modal_is_valid_for_a_new_and_an_edited_roundtable() -> None:
    View(**slack_forms.view(schedule_form(channel_id="C1", timezone="Europe/Paris"))).validate_json()
    plan = MeetingPlan(title="x" * 150, starts_local=datetime(2026, 12, 3, 15), timezone="America/Chicago",
                       recurrence="monthly", channel_id="C1", agenda="y" * 2000, reminder_minutes=[1440, 7],
                       video_url="https://meet.example.org/x")
    view = slack_forms.view(schedule_form(channel_id="C1", timezone="UTC", plan=plan, roundtable_id=3))
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100 and len(view["private_metadata"]) <= 3000
    read = read_modal(slack_forms.values({**view, "state": payloads.view_state(view)}), datetime(2026, 12, 1, tzinfo=UTC))
    assert read == plan and roundtable_id_of(view["private_metadata"]) == 3
