"""Every id and zone parser, through the real app on both engines: any text gets the short usage
or "not found" reply (escaped), never a failure; a NUL byte is stored as nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.roundtables.recurrence import zone
from bot.text import MAX_ID, parse_id
from handlers.errors import FAILED
from storage.practices import Practice
from storage.questions import Question
from tests.exchange import post
from tests.harness import MODERATOR, TestBot
from tests.roundtable_steps import count_roundtables

on_both_engines = settings(max_examples=25, deadline=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NUMBERS = st.one_of(
    st.integers(-10, 2**70).map(str), st.text(alphabet="0123456789²³¹٣۴१#+-_ ", min_size=1, max_size=25),
    st.sampled_from(["²", "99999999999999999999", "2147483648", "2147483647", "9223372036854775808", "#0",
                     "<@U0MOD>", "<x>", "&amp;", "1\x00"]),
)
ZONE_NAMES = st.one_of(
    st.sampled_from(["America/Indiana", "America", "Etc", "posix", "right/UTC", "America/Indiana/",
                     "../etc/passwd", "America/Chicago\x00", "<!channel>/x", "Mars/Olympus", "UTC/"]),
    st.from_regex(r"[A-Za-z_]{1,12}/[A-Za-z_/.]{0,20}", fullmatch=True),
)


def short_reply(bot: TestBot) -> str:
    reply = bot.last_reply_text()
    assert reply != FAILED and "went wrong" not in reply and len(reply) < 400
    return reply


@on_both_engines
@given(text=NUMBERS)
@example(text="²")
@example(text="99999999999999999999")
@example(text="2147483648")
def test_any_roundtable_or_practice_number_gets_usage_or_not_found(bot: TestBot, text: str) -> None:
    for command, sub in (("/roundtable", "ics"), ("/roundtable", "edit"), ("/roundtable", "cancel"),
                         ("/practice", "show"), ("/practice", "edit"), ("/practice", "delete")):
        bot.command(command, f"{sub} {text}", user=MODERATOR)
        reply = short_reply(bot)
        assert "<" not in reply.replace("<#", "").replace("<@", "") or "&lt;" in reply, reply


@on_both_engines
@given(name=ZONE_NAMES)
@example(name="America/Indiana")
@example(name="<!channel>/x")
def test_any_zone_schedules_or_is_refused_in_a_sentence(bot: TestBot, name: str) -> None:
    before = count_roundtables(bot)
    bot.command("/roundtable", f"schedule 2026-12-03 15:00 {name} Wireless downtown", user=MODERATOR)
    reply = short_reply(bot)
    if "/" in name and zone(name.replace("\x00", "")) is None:  # a word without "/" is the title
        assert "not a time zone I know" in reply and count_roundtables(bot) == before
    assert "<!channel>" not in reply
    if "<!channel>" in name:  # the refused name is shown, as text
        assert "&lt;!channel&gt;/x" in reply, reply


def test_the_id_parser_takes_ascii_row_numbers_only() -> None:
    assert [parse_id(t) for t in ("12", "#12", " 7 ", str(MAX_ID))] == [12, 12, 7, MAX_ID]
    assert [parse_id(t) for t in ("²", "٣", "0", "-1", "+1", str(MAX_ID + 1), "9" * 40, "", "#")] == [None] * 9


def test_a_nul_byte_in_a_share_or_a_question_is_stored_as_nothing(bot: TestBot) -> None:
    bot.command("/practice", "Wireless\x00 hotspots downtown. Free wifi drew young people.", user=MODERATOR)
    assert "went wrong" not in bot.last_reply_text()
    post(bot, "How did you pay\x00 for the hotspots?")
    bot.command("/ask", "Who runs\x00 your 311 line?", user=MODERATOR)
    with bot.db.begin() as session:
        titles = list(session.scalars(select(Practice.title)))
        asked = sorted(session.scalars(select(Question.text)))
    assert titles == ["Wireless hotspots downtown"]
    assert asked == ["How did you pay for the hotspots?", "Who runs your 311 line?"]


def test_errors_show_what_was_typed_escaped(bot: TestBot) -> None:
    for typed, shown in (("<!channel> 15:00 Title", "`&lt;!channel&gt;` is not a date"),
                         ("2026-12-03 <@U0MOD> Title", "`&lt;@U0MOD&gt;` is not a time"),
                         ("2026-12-03 15:00 <!here>/x Title", "`&lt;!here&gt;/x` is not a time zone")):
        bot.command("/roundtable", f"schedule {typed}", user=MODERATOR)
        assert bot.last_reply_text().startswith(shown), bot.last_reply_text()
    bot.command("/roundtable", "ics <https://evil.example|bank>", user=MODERATOR)
    assert bot.last_reply_text().startswith("`&lt;https://evil.example|bank&gt;` is not a roundtable number")
