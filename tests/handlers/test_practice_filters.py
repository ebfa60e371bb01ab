"""`city:` of more than one word, and `/practice list` and `/practice mine` filtering as they read;
typed as members type them, on both engines."""

from __future__ import annotations

import re

import pytest

from storage.profiles import save_profile
from tests.harness import TestBot
from tests.practice_steps import DES_MOINES, SHARER, TEAM, WHEN, members, share

ST_LOUIS = "U0SLAY"


@pytest.fixture
def exchange(bot: TestBot) -> TestBot:
    members(bot)
    bot.emulator.add_user(ST_LOUIS, real_name="Francis Slay")
    with bot.db.begin() as session:
        save_profile(session, TEAM, ST_LOUIS, WHEN, role="mayor", city="St. Louis", state="MO", title="",
                     expertise=[])
    share(bot, "Wireless hotspots downtown. Free wifi in the squares. #wireless", user=SHARER)  # Detroit
    share(bot, "Wireless permits for the riverfront. One form online. #wireless #open-data", user=DES_MOINES)
    share(bot, "Wireless parks with solar poles. Lit 40 parks. #wireless", user=ST_LOUIS)
    share(bot, "Open budget portal for residents. Every check online. #open-data", user=SHARER)
    return bot


def titles(bot: TestBot) -> str:
    return bot.last_reply_text()


@pytest.mark.parametrize(("typed", "found", "left_out"), [
    ("search wireless city:Des Moines", "Wireless permits", ["Wireless hotspots", "Wireless parks"]),
    ("search wireless city:des moines", "Wireless permits", ["Wireless hotspots", "Wireless parks"]),
    ('search wireless city:"St. Louis"', "Wireless parks", ["Wireless hotspots", "Wireless permits"]),
    ("search city:St. Louis wireless", "Wireless parks", ["Wireless hotspots", "Wireless permits"]),
    ("search wireless city:Detroit", "Wireless hotspots", ["Wireless parks", "Wireless permits"]),
])
def test_city_takes_cities_of_more_than_one_word(exchange: TestBot, typed: str, found: str,
                                                 left_out: list[str]) -> None:
    exchange.command("/practice", typed)
    answer = titles(exchange)
    assert found in answer, answer
    assert not [t for t in left_out if t in answer]


def test_list_filters_by_city_and_topic(exchange: TestBot) -> None:
    exchange.command("/practice", "list city:Detroit")
    answer = titles(exchange)
    assert "Wireless hotspots" in answer and "Open budget portal" in answer
    assert "Wireless permits" not in answer and "Wireless parks" not in answer
    assert "(city: Detroit)" in answer
    exchange.command("/practice", "list city:St. Louis #wireless")
    assert "Wireless parks" in titles(exchange) and "Wireless hotspots" not in titles(exchange)
    exchange.command("/practice", "list open data")
    assert "Open budget portal" in titles(exchange) and "Wireless parks" not in titles(exchange)


def test_mine_filters_by_topic(exchange: TestBot) -> None:
    exchange.command("/practice", "mine #open-data", user=SHARER)
    answer = titles(exchange)
    assert "Open budget portal" in answer and "Wireless hotspots" not in answer
    exchange.command("/practice", "mine #public-safety", user=SHARER)
    assert titles(exchange).startswith("You have no practices (Public safety technology)")


def test_every_example_in_practice_help_works_as_shown(exchange: TestBot) -> None:
    exchange.command("/practice", "help")
    examples = re.findall(r"`/practice( [^`]*)?`", exchange.last_reply_text())
    assert len(examples) >= 8
    for example in examples:
        typed = example.strip().replace("12", "1").replace("&lt;", "<").replace("&gt;", ">")
        if typed in ("serch", "delte") or not typed:
            continue  # the near misses it warns about, and the form
        exchange.command("/practice", typed, user=SHARER)
        answer = exchange.last_reply_text()
        assert not re.search(r"Usage|There is no|No practices|Only the member", answer), (typed, answer)
