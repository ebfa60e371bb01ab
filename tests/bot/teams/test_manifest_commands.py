"""Every command the Teams app manifest lists is one the Teams handlers answer."""

from __future__ import annotations

from bot.teams_app.package import COMMANDS, manifest
from handlers.teams import commands
from handlers.teams.replies import Turn
from tests.harness import TestBot

APP_ID = "00000000-aaaa-bbbb-cccc-000000000001"


def test_each_listed_command_is_answered(bot: TestBot) -> None:
    turn = Turn("tenant-1", "29:user-1", "A Mayor", "a:personal-1", "personal")
    listed = manifest(APP_ID)["bots"][0]["commandLists"][0]["commands"]
    assert [c["title"] for c in listed] == [title for title, _ in COMMANDS]
    for title, description in COMMANDS:
        assert len(description) <= 128  # the manifest schema's limit
        assert commands.answer(bot.services, turn, title) is not None, title
