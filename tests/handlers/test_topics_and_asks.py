"""Topics as people type them, `/ask` slips, and the words officials use for the agenda topics;
through the real app, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.questions import Question
from tests.exchange import CHANNEL, MAYOR, post, question, seed_exchange
from tests.harness import TestBot, flatten
from tests.practice_steps import FULL, members, newest_id, practice, share, submit_share


def test_topics_separated_by_commas_are_separate_topics_and_are_shown_back(bot: TestBot) -> None:
    members(bot)
    assert submit_share(bot, FULL, free_topics="#311, call center") == {}
    saved = practice(bot, newest_id(bot))
    assert [t.topic for t in saved.topics] == ["call-center", "e-government"]
    confirmation = flatten(bot.emulator.wait_for("chat.postEphemeral")[-1].args)
    assert "Topics: E-government services, #call-center (new topic)." in confirmation


@pytest.mark.parametrize(("typed", "problem"), [
    ("#!!!", "“!!!” has no letters or digits to make a topic of."),
    ("#" + "x" * 50, "is long for a topic: keep each under 40 characters."),
    (", ".join(f"#t{n}" for n in range(11)), "A practice holds up to 10 topics."),
])
def test_a_topic_that_cannot_be_kept_is_shown_in_the_form_and_nothing_is_saved(bot: TestBot, typed: str,
                                                                               problem: str) -> None:
    members(bot)
    body = submit_share(bot, FULL, free_topics=typed)
    assert body["response_action"] == "errors" and problem in body["errors"]["free_topics"]
    assert newest_id(bot) is None


@pytest.mark.parametrize("typed", ["hi", "test", "wifi?", "Budget"])
def test_ask_without_a_question_gets_the_usage_and_tracks_nothing(bot: TestBot, typed: str) -> None:
    seed_exchange(bot)
    bot.command("/ask", typed, user=MAYOR, channel=CHANNEL)
    assert bot.last_reply_text().startswith("Usage: `/ask")
    assert bot.emulator.calls_to("chat.postMessage") == []
    with bot.db.begin() as session:
        assert session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_short_real_question_is_asked(bot: TestBot) -> None:
    seed_exchange(bot)
    bot.command("/ask", "Fiber costs?", user=MAYOR, channel=CHANNEL)
    assert "asks:* Fiber costs?" in bot.emulator.calls_to("chat.postMessage")[0].args["text"]


@pytest.mark.parametrize(("typed", "topic"), [
    ("Ransomware recovery plan. Offline backups, tested monthly. #ransomware", "cybersecurity"),
    ("Phishing drills for staff. Clicks fell by half. #phishing", "cybersecurity"),
    ("Breach notification in a day. One template. #breach", "cybersecurity"),
    ("City fiber ring. Leased to providers. #fiber", "wireless-broadband"),
    ("Library hotspots on loan. Families get online. #hotspots", "wireless-broadband"),
])
def test_the_words_officials_use_name_the_agenda_topics(bot: TestBot, typed: str, topic: str) -> None:
    members(bot)
    practice_id = share(bot, typed)
    assert [t.topic for t in practice(bot, practice_id).topics] == [topic]


def test_a_question_about_ransomware_is_matched_to_cybersecurity_practices(bot: TestBot) -> None:
    seed_exchange(bot)
    members(bot)
    share(bot, "Offline backups for city servers. Restored in a day. #cybersecurity")
    asked = post(bot, "How did your city recover from the ransomware attack?")
    assert question(bot, asked["ts"]) is not None
    replies = [m for m in bot.emulator.messages[CHANNEL] if m.get("thread_ts") == asked["ts"]]
    assert replies and "Offline backups for city servers" in flatten(replies[-1])


