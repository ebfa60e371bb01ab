"""The App Home tab, published on app_home_opened."""

from __future__ import annotations

import json

from slack_sdk.models.views import View

from bot import payloads
from bot.emulator import TEAM_ID
from storage.questions import add_experts, add_question
from tests.exchange import CIO, MAYOR, PHILLY_CIO, WIRELESS, add_practice, post, question, seed_exchange
from tests.harness import MODERATOR, TestBot, flatten
from tests.week import public


def open_home(bot: TestBot, user: str) -> dict:
    bot.emulator.reset()
    bot.event(payloads.app_home_opened(user))
    [call] = bot.emulator.calls_to("views.publish")
    assert call.args["user_id"] == user
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    View(**view).to_dict()  # slack_sdk validates Block Kit limits
    return view


def test_the_home_tab_shows_my_questions_questions_for_me_and_new_practices(bot: TestBot) -> None:
    seed_exchange(bot)
    post(bot, WIRELESS)

    mine = flatten(open_home(bot, MAYOR))
    assert "Your open questions" in mine and "pay for wireless hotspots" in mine
    assert "One tax system instead of twelve" in mine  # newest practices
    assert "Open questions (moderator)" not in mine

    expert = flatten(open_home(bot, CIO))
    waiting = expert.split("Waiting for your expertise")[1].split("Newest practices")[0]
    assert "pay for wireless hotspots" in waiting and f"<@{MAYOR}>" in waiting

    assert "No questions are waiting for your expertise" in flatten(open_home(bot, PHILLY_CIO))
    assert "Open questions (moderator)" in flatten(open_home(bot, MODERATOR))


def test_the_home_tab_stays_within_100_blocks(bot: TestBot) -> None:
    seed_exchange(bot)
    for n in range(10):
        add_practice(bot, f"Practice {n}")
    with bot.db.begin() as session:
        for n in range(60):
            asked = add_question(session, TEAM_ID, "C0GENERAL", f"1.{n}", MODERATOR, f"Case {n}?" * 400,
                                 bot.clock.now)
            add_experts(session, asked, [MODERATOR])
    view = open_home(bot, MODERATOR)
    assert len(view["blocks"]) <= 100  # Slack's limit for a Home tab


def test_the_messages_tab_publishes_nothing(bot: TestBot) -> None:
    bot.event(payloads.app_home_opened(MAYOR, tab="messages"))
    assert bot.emulator.calls_to("views.publish") == []


def test_mark_answered_from_the_home_tab_closes_it_and_refreshes_the_tab(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    tracked = question(bot, asked["ts"])
    view = open_home(bot, MAYOR)
    bot.send(payloads.block_action("question_mark_answered", str(tracked.id), user=MAYOR,
                                   view={"id": "V1", "type": "home", **view}))
    assert question(bot, asked["ts"]).status == "closed"
    republished = bot.emulator.calls_to("views.publish")[-1].args["view"]
    assert "pay for wireless hotspots" not in flatten({"blocks": republished})


def test_the_home_tab_shows_the_next_roundtable_in_each_readers_time(bot: TestBot) -> None:
    from datetime import datetime

    from bot.roundtables.meetings import schedule
    from bot.roundtables.plans import MeetingPlan

    assert "None scheduled" in flatten(open_home(bot, MAYOR))
    plan = MeetingPlan(title="Mayors & CIOs <monthly>", starts_local=datetime(2026, 12, 3, 15, 0),
                       timezone="America/Chicago", recurrence="monthly", channel_id="C0GENERAL")
    with bot.db.begin() as session:
        public(session, "C0GENERAL")
        schedule(session, team_id=TEAM_ID, user_id=MODERATOR, plan=plan, now=bot.clock.now)
    home = flatten(open_home(bot, MAYOR))
    assert "*Mayors &amp; CIOs &lt;monthly&gt;*" in home
    assert "<!date^1796331600^{date_short_pretty} at {time}|Thu, Dec 3, 2026 at 3:00 PM CST>" in home
