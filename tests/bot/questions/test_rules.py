"""What counts as a question, and how Slack's text is kept."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings
from bot.questions.blocks import build_nudge, build_suggestion, parse_button_value
from bot.questions.rules import is_question, plain_text
from bot.render import slack as render
from storage.questions import Question


@pytest.mark.parametrize("text", [
    "How did Detroit pay for its hotspots",
    "what would you outsource first",
    "Has anyone moved taxes online",
    "has  anyone tried open data portals",
    "We collapsed twelve tax systems. Anyone else?",
    "<@U0NEFF> which vendor ran your integration?",
    ":wave: Can someone share a 311 RFP",
    "Is the hotspot network still running (Detroit)?)",
    "Should mayors own the CIO budget",
])
def test_questions(text: str) -> None:
    assert is_question(plain_text(text))


@pytest.mark.parametrize("text", [
    "Detroit's hotspots drew young people downtown.",
    "what?",
    "anyone?",
    "Howdy everyone, glad to be here",
    "Issue tracker is down again",
    "Whatever works for your city",
    "",
])
def test_not_questions(text: str) -> None:
    assert not is_question(plain_text(text))


def test_plain_text_reads_slack_markup_as_a_person_would() -> None:
    slack = "<@U0NEFF> &amp; <@U0MILLER|derrick>: <!here> see <https://detroit.gov|the plan> &lt;3 <#C01|general>"
    assert plain_text(slack) == "@U0NEFF & @derrick: @here see the plan <3 #general"


def question(text: str = "How?", user_id: str = "U0COWNIE") -> Question:
    return Question(id=7, team_id="T", channel_id="C", ts="1.2", user_id=user_id, text=text)


def test_user_text_is_escaped_in_what_the_bot_posts() -> None:
    from bot.questions.blocks import RelatedPractice

    blocks = render.message(build_suggestion(
        question(), [RelatedPractice("<!everyone> wins & more", "<Detroit>", "U0MILLER")], []))["blocks"]
    text = str(blocks)
    assert "&lt;!everyone&gt; wins &amp; more" in text and "(&lt;Detroit&gt;)" in text
    assert "<!everyone>" not in text


def test_a_nudge_without_experts_asks_everyone_and_fits_block_kit() -> None:
    rendered = render.message(build_nudge(question(), [], 3))
    text, blocks = rendered["text"], rendered["blocks"]
    assert "Has your city tackled this?" in text
    assert len(blocks) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)


@pytest.mark.parametrize(("value", "parsed"), [
    ("12", (12, "")), ("12:1700000000.000100", (12, "1700000000.000100")), ("", None), ("x:1", None),
])
def test_button_values(value: str, parsed: tuple[int, str] | None) -> None:
    assert parse_button_value(value) == parsed


def test_nudge_days_setting() -> None:
    assert load_settings({}).question_nudge_days == 3
    assert load_settings({"QUESTION_NUDGE_DAYS": "7"}).question_nudge_days == 7
    for bad in ("0", "three", "-1", "400"):
        with pytest.raises(ConfigError, match="QUESTION_NUDGE_DAYS"):
            load_settings({"QUESTION_NUDGE_DAYS": bad})
