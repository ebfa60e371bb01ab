"""How many statements a command sends, end to end (signed request in, listener done): the hot
path's round trips are counted here, so one added by a change fails a test. BEGIN is not counted
(SQLite sends it as a statement, psycopg with the first one); nor is the pool's liveness ping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.handlers.test_practice_search import HOTSPOTS
from tests.harness import TestBot
from tests.practice_steps import (
    CHANNEL,
    FULL,
    SHARER,
    card_text,
    members,
    newest_id,
    practice,
    share,
    submit_share,
)


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


def test_a_one_line_share_is_its_rows_the_profile_and_the_cards_ts(bot: TestBot) -> None:
    members(bot)
    with statements(bot) as seen:
        practice_id = share(bot, HOTSPOTS)
    seen = seen[1:-1]  # share()'s own look-ups of the newest id, before and after
    assert practice_id is not None and practice(bot, practice_id).message_ts
    # the profile; INSERT practice, its topics, its first revision; the card's ts
    assert len(seen) == 5, seen


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
    assert len(seen) == 5, seen
