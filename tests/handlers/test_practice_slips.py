"""Nothing public from a slip: a mistyped command, a fragment or a delete by mistake, on both engines."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import payloads
from bot.practices.blocks import ADOPT
from bot.practices.slips import SUBCOMMANDS, distance, find_slip, near_subcommand
from tests.harness import TestBot
from tests.practice_steps import (
    CHANNEL,
    SEATTLE,
    SHARER,
    card_text,
    cards,
    members,
    newest_id,
    practice,
    press,
    share,
    within_limits,
)

QUICK = "Wireless hotspots downtown. Free wifi in the squares drew young people. #wireless"


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = message.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]


def press_button(bot: TestBot, label: str, user: str = SHARER) -> dict[str, Any]:
    """Press the button whose label starts with `label` on the bot's last private reply."""
    [button] = [b for b in buttons(bot.replies()[-1]) if b["text"]["text"].startswith(label)]
    bot.send(payloads.block_action(button["action_id"], button["value"], user=user, channel=CHANNEL,
                                   response_url=bot.emulator.response_url("action"), ephemeral=True))
    return button


@pytest.mark.parametrize(("typed", "meant"), [
    ("serch wireless", "search wireless"), ("seach tax", "search tax"), ("delte 1", "delete 1"),
    ("lsit #open-data", "list #open-data"), ("Search: wireless downtown", "search wireless downtown"),
    ("shwo 1", "show 1"), ("mien", "mine"),
])
def test_a_mistyped_command_is_never_published(bot: TestBot, typed: str, meant: str) -> None:
    members(bot)
    assert share(bot, typed) is None
    assert cards(bot) == []
    reply = bot.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    assert f"Did you mean `/practice {meant}`?" in bot.last_reply_text()
    assert [b["value"] for b in buttons(reply)] == [meant, typed]
    within_limits(bot)


def test_did_you_mean_runs_the_command_and_share_anyway_shares_it(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    share(bot, "serch wireless")
    press_button(bot, "Run /practice search wireless")
    assert "Wireless hotspots downtown" in bot.last_reply_text() and "best match first" in bot.last_reply_text()
    assert newest_id(bot) == practice_id and len(cards(bot)) == 1
    share(bot, "Seach and rescue drones over the river")
    press_button(bot, "Share it as a practice anyway")
    assert newest_id(bot) != practice_id
    assert practice(bot, newest_id(bot)).title == "Seach and rescue drones over the river"
    assert len(cards(bot)) == 2


def test_a_fragment_is_not_a_practice_until_the_member_says_so(bot: TestBot) -> None:
    members(bot)
    for fragment in ("wifi", "test #wireless", "Budget"):
        assert share(bot, fragment) is None
        assert "nothing was shared" in bot.last_reply_text()
    assert cards(bot) == []
    press_button(bot, "Share it as a practice anyway")
    assert practice(bot, newest_id(bot)).title == "Budget"


@pytest.mark.parametrize("title", [
    "Snow plow tracker. GPS on every plow.", "Showcase of city apps downtown.", "Hosted email for staff.",
    "Lines at the DMV cut in half.", "Delegated IT purchasing to departments.", "Mined 911 data for hotspots.",
])
def test_titles_that_only_look_like_commands_are_shared(title: str) -> None:
    assert find_slip(title) is None


def test_delete_asks_first_and_only_the_confirmed_button_deletes(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    bot.command("/practice", f"delete {practice_id}", user=SHARER, channel=CHANNEL)
    assert f"Delete *Wireless hotspots downtown* (#{practice_id})?" in bot.last_reply_text()
    assert practice(bot, practice_id).deleted_at is None
    assert "was removed" not in card_text(bot, practice_id)
    button = press_button(bot, f"Delete #{practice_id}")
    assert button["style"] == "danger" and button["confirm"]["confirm"]["text"] == "Delete"
    assert bot.last_reply_text().startswith(f"Deleted practice #{practice_id}")
    assert practice(bot, practice_id).deleted_at is not None
    assert "was removed" in card_text(bot, practice_id)
    within_limits(bot)


def test_someone_else_cannot_confirm_a_delete(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    bot.command("/practice", f"delete {practice_id}", user=SHARER, channel=CHANNEL)
    press_button(bot, f"Delete #{practice_id}", user=SEATTLE)
    assert "Only the member who shared" in bot.last_reply_text()
    assert practice(bot, practice_id).deleted_at is None


def test_an_adoption_can_be_withdrawn(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    ts = practice(bot, practice_id).message_ts
    assert "Seattle now counts" in press(bot, ADOPT, practice_id, user=SEATTLE, message_ts=ts)
    assert "You already recorded Seattle" in press(bot, ADOPT, practice_id, user=SEATTLE, message_ts=ts)
    button = press_button(bot, "Withdraw", user=SEATTLE)
    assert "confirm" in button
    assert "Seattle no longer counts as adopting" in bot.last_reply_text()
    assert "Not adopted elsewhere yet" in card_text(bot, practice_id)
    assert "Seattle now counts" in press(bot, ADOPT, practice_id, user=SEATTLE, message_ts=ts)


def near_as_written(word: str) -> str | None:
    """near_subcommand's rule with the edit distance taken first, as it was before it compared the
    letters first (every share's first word is checked: the distance was 60 us of a share's CPU)."""
    word = word.lower().rstrip(":,.")
    if word in SUBCOMMANDS:
        return word
    for subcommand in SUBCOMMANDS:
        if abs(len(word) - len(subcommand)) > 1 or word.startswith(subcommand):
            continue
        if len(subcommand) > 4:
            if distance(word, subcommand) <= 2:
                return subcommand
        elif distance(word, subcommand) == 1 and (len(word) != len(subcommand) or sorted(word) == sorted(subcommand)):
            return subcommand
    return None


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="searchlistmnowdpSL:.", min_size=1, max_size=8))
def test_a_near_miss_is_found_as_the_rule_says(word: str) -> None:
    assert near_subcommand(word) == near_as_written(word)
