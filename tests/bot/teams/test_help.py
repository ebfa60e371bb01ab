"""`practice help` in Teams offers only what Teams answers, typed as Teams members type it."""

from __future__ import annotations

import re

from bot.render import text as plain
from handlers.teams import answer
from tests.harness import TestBot

TENANT, MEMBER, CHAT = "tenant-1", "29:user-1", "a:personal-1"


def said(bot: TestBot, typed: str) -> str:
    found = answer(bot.services, TENANT, MEMBER, "Pat Member", CHAT, typed)
    assert found is not None, typed
    return found if isinstance(found, str) else plain.text(found)


def test_every_example_in_teams_help_is_answered_in_teams(bot: TestBot) -> None:
    help_text = said(bot, "practice help")
    assert "`/" not in help_text  # Teams has no slash commands for the bot
    examples = [e for e in re.findall(r"`(practice [^`]*)`", help_text) if "…" not in e]
    assert len(examples) == 2, examples
    for example in examples + ["practice search nothing-like-it", "practice search wireless", "practice search #wireless"]:
        answered = said(bot, example)
        assert not re.search(r"answered in Slack|Usage|There is no", answered), (example, answered)
        assert "/practice" not in answered, (example, answered)  # what Slack answers is not offered here
