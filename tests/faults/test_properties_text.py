"""Properties of the text rules every message goes through, the roundup blocks, and the settings parser."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot import roundup
from bot.config import ConfigError, load_settings
from bot.console_render import unescape
from bot.text import escape, split_subcommand, truncate
from tests.faults.blockkit import assert_message
from tests.faults.strategies import NOW, modest, user_text, zones

ENTITY = re.compile(r"&(amp|lt|gt);")


@modest
@given(user_text)
def test_escape_leaves_no_control_characters_and_loses_nothing(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert "&" not in ENTITY.sub("", escaped), "a bare & could start an entity the member did not type"
    assert unescape(escaped) == text
    assert escape(text.replace("&", "").replace("<", "").replace(">", "")) == (
        text.replace("&", "").replace("<", "").replace(">", "")), "only &, < and > are touched"


@modest
@given(user_text, st.integers(0, 4000))
def test_truncate_keeps_within_the_limit_and_keeps_the_start(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    if len(text) <= limit:
        assert cut == text
    else:
        assert len(cut) <= max(limit, len("…")) and cut.endswith("…")
        assert text.startswith(cut[:-1])


@modest
@given(user_text)
def test_a_subcommand_is_one_lower_case_word_and_the_rest_is_kept(text: str) -> None:
    word, rest = split_subcommand(text)
    assert word == word.lower() and " " not in word
    assert rest == rest.strip()
    assert word.lower() in text.lower() or not word  # lower() may grow a few letters (İ)


@modest
@given(st.text(min_size=1, max_size=4000), zones)
def test_roundup_blocks_fit_whatever_its_lines_say(line: str, zone: str) -> None:
    built = roundup.Roundup(team_id="T1", week_start=roundup.week_start(NOW, zone), lines=[escape(line)] * 3)
    assert_message({"text": built.title, "blocks": roundup.render_blocks(built)})


SETTINGS = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "DATABASE_URL", "MODERATOR_USER_IDS",
            "ROUNDUP_CRON", "BOT_TIMEZONE", "LOG_LEVEL", "PORT"]


@modest
@given(st.dictionaries(st.sampled_from(SETTINGS), st.text(max_size=40)))
def test_any_environment_gives_settings_or_one_config_error(environ: dict[str, str]) -> None:
    try:
        load_settings(environ)
    except ConfigError as error:
        assert str(error) and "\n" not in str(error)
