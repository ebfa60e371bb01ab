"""How many statements a command sends, end to end (signed request in, listener done): the hot
path's round trips are counted here, so one added by a change fails a test. BEGIN is not counted
(SQLite sends it as a statement, psycopg with the first one); nor is the pool's liveness ping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from storage.digest_presence import DIGESTS
from storage.digests import DigestText, save_digest
from storage.practices import adopt
from tests.handlers.test_practice_search import HOTSPOTS
from tests.harness import TestBot, flatten
from tests.practice_steps import (
    CHANNEL,
    FULL,
    SEATTLE,
    SHARER,
    TEAM,
    WHEN,
    card_text,
    members,
    newest_id,
    practice,
    share,
    submit_share,
)
from tests.week import public


@contextmanager
def statements(bot: TestBot) -> Iterator[list[str]]:
    """The statements sent while the block runs, BEGIN left out."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    event.listen(bot.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(bot.db.engine, "before_cursor_execute", note)


def test_a_search_is_one_statement_for_its_practices_and_their_cities(bot: TestBot) -> None:
    DIGESTS.clear()  # what earlier tests' digests taught it: this database has none
    members(bot)
    hotspots = share(bot, HOTSPOTS)
    share(bot, "Parking meters. Meters downtown take phones and wireless payments. #parking", user=SEATTLE)
    share(bot, "Tax billing. One revenue system. #tax", user=SEATTLE)
    assert hotspots is not None
    shared = practice(bot, hotspots)
    with bot.db.begin() as session:
        adopt(session, shared, "Seattle", SEATTLE, WHEN)
    bot.command("/practice", "search wireless")  # the team's digests are looked up once, then remembered
    with statements(bot) as seen:
        bot.command("/practice", "search wireless downtown")
    text = flatten(bot.replies()[-1])
    assert "2 practices" in text and text.index("Wireless hotspots downtown") < text.index("Parking meters")
    assert "Adopted in 1 city: Seattle" in text
    assert len(seen) == 1, seen


def test_with_digests_a_search_is_one_statement_more(bot: TestBot) -> None:
    members(bot)
    share(bot, HOTSPOTS)
    with bot.db.begin() as session:
        public(session, "C0CITYHALL", team_id=TEAM)
        save_digest(session, TEAM, SEATTLE, DigestText("C0CITYHALL", "1795000001.000100", "Wireless bonds",
                                                       "Who pays for hotspots", [SEATTLE], 3), WHEN + timedelta(days=1))
    bot.command("/practice", "search wireless")
    with statements(bot) as seen:
        bot.command("/practice", "search wireless hotspots")
    text = flatten(bot.replies()[-1])
    assert "Wireless hotspots downtown" in text and "From saved discussions:" in text and "Wireless bonds" in text
    assert len(seen) == 2, seen


@contextmanager
def units(bot: TestBot) -> Iterator[list[int]]:
    """How many units of work (transactions) begin while the block runs."""
    began = [0]

    def note(_conn: Any) -> None:
        began[0] += 1

    event.listen(bot.db.engine, "begin", note)
    try:
        yield began
    finally:
        event.remove(bot.db.engine, "begin", note)


def test_a_one_line_share_is_its_rows_and_the_cards_ts(bot: TestBot) -> None:
    members(bot)
    bot.command("/practice", HOTSPOTS, user=SHARER, channel=CHANNEL)  # reads the sharer's profile, then keeps it
    with statements(bot) as seen, units(bot) as began:
        bot.command("/practice", "Tax billing. One revenue system. #tax", user=SHARER, channel=CHANNEL)
    shared = practice(bot, newest_id(bot) or 0)
    assert shared.title == "Tax billing" and shared.city == "Detroit" and shared.message_ts
    # the practice, its topics and its first revision (PostgreSQL: one statement; SQLite: three
    # INSERTs); then (after chat.postMessage) the card's ts. The profile kept from the first share.
    assert len(seen) == (2 if bot.db.engine.dialect.name == "postgresql" else 4), seen
    assert began == [2]


def test_the_form_share_takes_the_one_line_shares_statements(bot: TestBot) -> None:
    """The modal's share goes the one-line share's Core path: no ORM unit of work, nothing read back
    after the INSERTs, the sharer's profile read once."""
    members(bot)
    with statements(bot) as seen:
        assert submit_share(bot, FULL, topics=["wireless-broadband"], free_topics="#Snow Removal") == {}
    practice_id = newest_id(bot)
    assert practice_id is not None
    shared = practice(bot, practice_id)
    assert shared.channel_id == CHANNEL and shared.message_ts and shared.user_id == SHARER
    assert "Derrick Miller (CIO, Detroit)" in card_text(bot, practice_id)
    # the profile; the rows (PostgreSQL: one statement; SQLite: three INSERTs); the card's ts
    assert len(seen) == (3 if bot.db.engine.dialect.name == "postgresql" else 5), seen
