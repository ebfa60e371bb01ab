"""`python -m bot roundup` prints the roundup as a person reads it: names, no raw mrkdwn."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.cli import roundup_text
from bot.emulator import TEAM_ID
from bot.services import Services
from tests.bot.console.terminal import terminal


def a_week_on_the_exchange(t) -> None:
    t.type("/practice Kiosks for permits. Residents print permits at the library. #e-gov")
    t.type(":as mayor")
    t.type("Has anyone moved building permits online?")
    t.type(":tick 1h")


def assert_no_markup(text: str) -> None:
    assert not re.search(r"<[@#!]|<https?:|&lt;|&gt;|&amp;", text), text
    assert not re.search(r"(?<!\w)[*_~`]\S.*?\S?[*_~`](?!\w)", text), text


def test_the_roundup_names_members_as_slack_does(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        a_week_on_the_exchange(t)
        text = roundup_text(t.console.services, TEAM_ID)
    assert "Kiosks for permits · Detroit · shared by @Derrick Miller" in text
    assert "@Frank Cownie" in text
    assert "U0COWNIE" not in text and "U0MILLER" not in text
    assert "\nNew practices this week\n" in text
    assert_no_markup(text)


def test_without_a_token_members_are_described_by_their_profile(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        a_week_on_the_exchange(t)
        services = t.console.services
        offline = Services(settings=replace(services.settings, bot_token=""), db=services.db,
                           client=services.client, clock=services.clock)
        text = roundup_text(offline, TEAM_ID)
    assert "shared by @Chief Information Officer, Detroit" in text
    assert "@Mayor of Des Moines, Des Moines" in text
    assert "U0COWNIE" not in text
    assert_no_markup(text)
