"""Publishing a practice on the web library: off by default, the form's choice, the card's button."""

from __future__ import annotations

import json

from bot import payloads
from bot.practices.blocks import PUBLISH
from tests.harness import TestBot, flatten
from tests.practice_steps import (
    CHANNEL,
    FULL,
    SEATTLE,
    SHARER,
    members,
    modal_values,
    newest_id,
    practice,
    press,
    share,
)


def submit(bot: TestBot, *, published: bool, practice_id: int | None = None) -> None:
    values = modal_values(FULL)
    values["publish"] = {"publish": {"type": "checkboxes", "selected_options": [
        {"text": {"type": "plain_text", "text": "Publish on the web library"}, "value": "publish"}] if published else []}}
    metadata = json.dumps({"practice_id": practice_id, "channel_id": CHANNEL})
    bot.send(payloads.view_submission("practice_share", values, user=SHARER, private_metadata=metadata))


def test_a_practice_is_off_the_web_until_its_sharer_publishes_it(bot: TestBot) -> None:
    members(bot)
    quick = share(bot, "Wireless hotspots downtown. Free wifi. #wireless")
    assert quick is not None and practice(bot, quick).published is False
    submit(bot, published=False)
    formed = newest_id(bot)
    assert formed is not None and practice(bot, formed).published is False
    submit(bot, published=True, practice_id=formed)
    assert practice(bot, formed).published is True
    submit(bot, published=False, practice_id=formed)
    assert practice(bot, formed).published is False


def test_the_card_button_publishes_for_its_sharer_only(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, "Wireless hotspots downtown. Free wifi. #wireless")
    assert practice_id is not None
    refused = press(bot, PUBLISH, practice_id, user=SEATTLE)
    assert "Only the member who shared" in refused and practice(bot, practice_id).published is False
    answer = press(bot, PUBLISH, practice_id, user=SHARER)
    assert "now on the public web library" in answer and practice(bot, practice_id).published is True
    card = next(m for m in bot.emulator.messages[CHANNEL] if m["ts"] == practice(bot, practice_id).message_ts)
    assert "Remove from the web library" in flatten(card)
    press(bot, PUBLISH, practice_id, user=SHARER)
    assert practice(bot, practice_id).published is False


def test_the_edit_form_shows_the_choice(bot: TestBot) -> None:
    from bot.practices.modal import share_form
    from bot.practices.rules import PracticeDraft
    from bot.render.slack_forms import view

    ticked = view(share_form(PracticeDraft(title="x", published=True), channel_id=CHANNEL, practice_id=1))
    block = next(b for b in ticked["blocks"] if b["block_id"] == "publish")
    assert block["element"]["initial_options"][0]["value"] == "publish"
    fresh = view(share_form(PracticeDraft(title="x"), channel_id=CHANNEL))
    assert "initial_options" not in next(b for b in fresh["blocks"] if b["block_id"] == "publish")["element"]
