"""Values the bot put in buttons and modal metadata are checked again when they come back, and a
member's repeated presses count once."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot import payloads
from bot.practices.blocks import ADOPT, ASK
from storage.digests import Digest
from storage.practices import Adoption
from storage.profiles import save_profile
from tests.handlers.test_digests import last_view, shortcut, submit
from tests.harness import MEMBER, MODERATOR, TestBot
from tests.practice_steps import (
    DES_MOINES,
    SEATTLE,
    SHARER,
    TEAM,
    WHEN,
    card_text,
    members,
    practice,
    press,
    share,
)
from tests.threads import CHANNEL, PARENT_TS, long_thread

QUICK = "Wireless hotspots downtown. Free wifi in the squares drew young people. #wireless #jobs"


def adoptions(bot: TestBot) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(Adoption))


def test_a_member_who_changes_city_cannot_adopt_again(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    ts = practice(bot, practice_id).message_ts
    assert "Seattle now counts" in press(bot, ADOPT, practice_id, user=SEATTLE, message_ts=ts)
    for city in ("Tacoma", "Spokane", "Olympia"):
        with bot.db.begin() as session:
            save_profile(session, TEAM, SEATTLE, WHEN, role="cio", city=city, state="", title="", expertise=[])
        assert "You already recorded Seattle" in press(bot, ADOPT, practice_id, user=SEATTLE, message_ts=ts)
    assert adoptions(bot) == 1 and "Adopted in 1 city: Seattle" in card_text(bot, practice_id)
    press(bot, ADOPT, practice_id, user=DES_MOINES, message_ts=ts)  # another member still counts
    assert adoptions(bot) == 2


def test_ask_about_this_mentions_the_sharer_once_per_member(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    for _ in range(3):
        press(bot, ASK, practice_id, user=DES_MOINES)
    assert "already started a thread" in bot.last_reply_text()
    press(bot, ASK, practice_id, user=SEATTLE)
    mentions = [c.args["text"] for c in bot.emulator.calls_to("chat.postMessage") if f"<@{SHARER}>" in
                c.args.get("text", "") and "has a question" in c.args.get("text", "")]
    assert len(mentions) == 2 and f"<@{DES_MOINES}>" in mentions[0] and f"<@{SEATTLE}>" in mentions[1]


def test_ask_about_this_that_could_not_post_can_be_pressed_again(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    assert "could not start a thread" in press(bot, ASK, practice_id, user=DES_MOINES)
    assert "started a thread" in press(bot, ASK, practice_id, user=DES_MOINES)


def draft_metadata(bot: TestBot) -> str:
    thread = long_thread(12)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    shortcut(bot, thread[0])
    return last_view(bot)["private_metadata"]


def submit_metadata(bot: TestBot, metadata: str, *, user: str = MEMBER) -> dict:
    values = {"title": {"title": {"type": "plain_text_input", "value": "Wireless"}},
              "body": {"body": {"type": "plain_text_input", "value": "Key points."}}}
    response = bot.send(payloads.view_submission("save_digest", values, user=user, private_metadata=metadata))
    return json.loads(response.body) if response.body else {}


def digests(bot: TestBot) -> list[Digest]:
    with bot.db.begin() as session:
        return list(session.scalars(select(Digest)))


def test_a_digest_submission_whose_metadata_was_changed_posts_nowhere(bot: TestBot) -> None:
    metadata = json.loads(draft_metadata(bot))
    forged = dict(metadata, c="C0EXECSESSION")
    answer = submit_metadata(bot, json.dumps(forged))
    assert answer["response_action"] == "errors" and "expired" in answer["errors"]["body"]
    assert submit_metadata(bot, json.dumps({k: v for k, v in metadata.items() if k != "s"}))["response_action"] == (
        "errors")
    assert submit_metadata(bot, json.dumps(metadata), user=SEATTLE)["response_action"] == "errors"  # not theirs
    assert digests(bot) == []
    assert not [c for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("channel") == "C0EXECSESSION"]
    assert submit_metadata(bot, json.dumps(metadata)) == {}  # the real one still saves
    assert [d.channel_id for d in digests(bot)] == [CHANNEL]


def test_a_member_cannot_overwrite_another_members_digest(bot: TestBot) -> None:
    thread = long_thread(12)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    shortcut(bot, thread[0])
    submit(bot, last_view(bot), title="The owner's digest")
    shortcut(bot, thread[0], user=SEATTLE)
    other = last_view(bot)["private_metadata"]
    answer = submit_metadata(bot, other, user=SEATTLE)
    assert answer["response_action"] == "errors" and "only they or a moderator" in answer["errors"]["body"]
    assert [d.title for d in digests(bot)] == ["The owner's digest"]
    shortcut(bot, thread[0], user=MODERATOR)
    assert submit_metadata(bot, last_view(bot)["private_metadata"], user=MODERATOR) == {}
    assert [d.title for d in digests(bot)] == ["Wireless"]
