"""The emulator refuses what Slack refuses: Block Kit past its limits."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import SlackEmulator
from bot.render.slack_limits import message_problems, view_problems


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.parametrize(("blocks", "problem"), [
    ([section("x" * 3001)], "more than 3000"),
    ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "more than 150"),
    ([section("x")] * 51, "51 blocks"),
    ([section(" ")], "needs text"),
    ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "x" * 76},
                                        "action_id": "a", "value": "1"}]}], "more than 75"),
])
def test_message_limits(blocks: list, problem: str) -> None:
    assert problem in " ".join(message_problems(blocks))


def test_view_limits() -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": [section("x")] * 101,
            "private_metadata": "x" * 3001}
    assert len(view_problems(view)) == 3


def test_the_emulator_answers_invalid_blocks() -> None:
    with SlackEmulator() as emulator:
        client = WebClient(token="xoxb-test", base_url=emulator.api_url)
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 3001)])
        assert raised.value.response["error"] == "invalid_blocks"
        assert emulator.messages.get("C1") is None
