"""Which practices and experts count as relevant enough for the bot to speak."""

from __future__ import annotations

from bot.emulator import TEAM_ID
from bot.questions.suggestions import find_suggestion, significant_words
from storage.questions import Question, add_question
from tests.exchange import CIO, MAYOR, PHILLY_CIO, SEATTLE_CIO, add_practice, add_profile, seed_exchange
from tests.harness import TestBot


def suggest_for(bot: TestBot, text: str, user: str = MAYOR) -> tuple[list[str], list[str]]:
    with bot.db.begin() as session:
        asked = add_question(session, TEAM_ID, "C0GENERAL", str(len(text)), user, text, bot.clock.now)
        assert isinstance(asked, Question)
        found = find_suggestion(session, asked)
    return [p.title for p in found.practices], found.experts


def test_one_shared_everyday_word_is_not_relevance(bot: TestBot) -> None:
    seed_exchange(bot)
    assert suggest_for(bot, "Where can I park downtown for the conference?") == ([], [])


def test_a_shared_topic_is_relevance_even_without_shared_words(bot: TestBot) -> None:
    seed_exchange(bot)
    add_practice(bot, "Phishing drills for all staff", user_id=SEATTLE_CIO, city="Seattle",
                 topics=("cybersecurity",), solution="Quarterly phishing drills")
    titles, experts = suggest_for(bot, "What should a small city do first about cyber security?")
    assert titles == ["Phishing drills for all staff"]
    assert experts == [SEATTLE_CIO]


def test_experts_come_from_profile_expertise_never_include_the_asker_and_stop_at_three(bot: TestBot) -> None:
    seed_exchange(bot)
    for n in range(5):
        add_profile(bot, f"U0EXTRA{n}", "cio", expertise=("Public Safety",))
    add_profile(bot, "U0STAFFER", "other", expertise=("public-safety",))  # not a CIO
    titles, experts = suggest_for(bot, "Which radios work for police and fire together?", user=SEATTLE_CIO)
    assert titles == []
    assert len(experts) == 3 and SEATTLE_CIO not in experts and "U0STAFFER" not in experts


def test_the_sharers_of_related_practices_come_first(bot: TestBot) -> None:
    seed_exchange(bot)
    titles, experts = suggest_for(bot, "How did Philadelphia merge its tax systems?")
    assert titles == ["One tax system instead of twelve"]
    assert experts[0] == PHILLY_CIO and CIO not in experts


def test_significant_words_leave_out_question_words_and_generic_ones() -> None:
    assert significant_words("Has anyone in our city tried open data portals?") == ["open", "data", "portals"]
