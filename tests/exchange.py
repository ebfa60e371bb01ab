"""A small exchange for question tests: members with profiles, practices, and the way a member
posts in the channel (the message exists in Slack, then its event reaches the bot)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot import payloads
from bot.emulator import TEAM_ID
from storage.practices import Practice, PracticeTopic
from storage.profiles import Profile
from storage.questions import Question, question_at
from tests.harness import TestBot, flatten

CHANNEL = "C0GENERAL"
MAYOR = "U0COWNIE"  # Frank Cownie, Des Moines
CIO = "U0MILLER"  # Derrick Miller, Detroit: wireless
PHILLY_CIO = "U0NEFF"  # Dianah Neff, Philadelphia: tax systems
SEATTLE_CIO = "U0SCHRIER"  # Bill Schrier, Seattle: public safety
SHARED_AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
WIRELESS = "How did your city pay for wireless hotspots downtown?"  # a mayor's question Detroit answers


def add_profile(bot: TestBot, user_id: str, role: str, city: str = "", expertise: tuple[str, ...] = ()) -> None:
    with bot.db.begin() as session:
        session.merge(Profile(team_id=TEAM_ID, user_id=user_id, role=role, city=city,
                              expertise=list(expertise), updated_at=SHARED_AT))


def add_practice(bot: TestBot, title: str, *, user_id: str = CIO, city: str = "Detroit", problem: str = "",
                 solution: str = "", topics: tuple[str, ...] = (), message_ts: str = "") -> int:
    with bot.db.begin() as session:
        practice = Practice(team_id=TEAM_ID, user_id=user_id, city=city, title=title, problem=problem,
                            solution=solution, created_at=SHARED_AT, updated_at=SHARED_AT,
                            channel_id=CHANNEL if message_ts else "", message_ts=message_ts,
                            topics=[PracticeTopic(topic=t) for t in topics])
        session.add(practice)
        session.flush()
        return practice.id


def seed_exchange(bot: TestBot) -> None:
    """The 2004 roundtable's people and two of the practices they told about."""
    add_profile(bot, MAYOR, "mayor", "Des Moines")
    add_profile(bot, CIO, "cio", "Detroit", ("wireless-broadband",))
    add_profile(bot, PHILLY_CIO, "cio", "Philadelphia", ("revenue-tax", "integration-standards"))
    add_profile(bot, SEATTLE_CIO, "cio", "Seattle", ("public-safety",))
    add_practice(bot, "Free wireless hotspots downtown", city="Detroit", topics=("wireless-broadband",),
                 problem="Young people were leaving downtown", solution="Wireless hotspots in public spaces",
                 message_ts="1799000000.000100")
    add_practice(bot, "One tax system instead of twelve", user_id=PHILLY_CIO, city="Philadelphia",
                 topics=("revenue-tax",), problem="Twelve separate tax systems",
                 solution="Collapsed the tax systems into one integrated platform")


def post(bot: TestBot, text: str, *, user: str = MAYOR, event_id: str | None = None,
         **kwargs: Any) -> dict[str, Any]:
    """A member posts `text` in the channel: the message lands in Slack and its event reaches the bot."""
    message = payloads.message_event(text, user=user, channel=CHANNEL, **kwargs)
    bot.emulator.add_message(CHANNEL, message)
    bot.event(message, event_id=event_id)
    return message


def question(bot: TestBot, ts: str) -> Question | None:
    with bot.db.begin() as session:
        return question_at(session, TEAM_ID, CHANNEL, ts)


def thread_posts(bot: TestBot, ts: str) -> list[dict[str, Any]]:
    """What the bot posted in the thread of `ts`, oldest first."""
    return [c.args for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]


def thread_texts(bot: TestBot, ts: str) -> list[str]:
    return [flatten(args) for args in thread_posts(bot, ts)]


def submit_practice_form(bot: TestBot, view: dict[str, Any], user: str) -> Practice:
    """Submit the share form `view` as opened, with a title and outcome typed in; the saved practice."""
    from bot.render.slack_forms import form_of, state

    form = form_of(view)
    values = state(form, form.prefilled())
    values["title"]["title"]["value"] = "Paying for downtown hotspots"
    values["outcome"]["outcome"]["value"] = "Paid back in two years."
    response = bot.send(payloads.view_submission("practice_share", values, user=user,
                                                 private_metadata=view["private_metadata"]))
    assert response.status == 200 and "errors" not in (response.body or "")
    with bot.db.begin() as session:
        return session.scalars(select(Practice).where(Practice.title == "Paying for downtown hotspots")).one()
