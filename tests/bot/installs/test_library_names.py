"""The web library names the sharer of another workspace's practice, and links its card, with that
workspace's own token: the host's token is refused for Boston's users and channels (user_not_found)."""

from __future__ import annotations

from storage.conversations import record
from storage.practices import Practice, city_key
from tests.bot.library.steps import get, library
from tests.harness import TestBot
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, install
from tests.practice_steps import WHEN


def test_the_library_names_a_boston_member_and_links_the_card_with_boston_s_token(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    emulator = distribution.emulator
    ts = "1700000000.000100"  # the practice's card in Boston's channel
    with emulator._lock:
        emulator.messages.setdefault(BOSTON_CHANNEL, []).append({"ts": ts, "text": "card", "user": "B0"})
    with distribution.db.begin() as session:
        record(session, BOSTON, BOSTON_CHANNEL, True, WHEN)
        practice = Practice(team_id=BOSTON, user_id=BOSTON_CIO, city="Boston", city_key=city_key("Boston"),
                            title="Street lights on a schedule", problem="", solution="Timers", outcome="",
                            cost="", contact="", channel_id=BOSTON_CHANNEL, message_ts=ts, published=True,
                            created_at=WHEN, updated_at=WHEN)
        session.add(practice)
        session.flush()
        practice_id = practice.id

    app = library(distribution, public=True)
    app.workspaces._teams = frozenset({BOSTON})  # Boston approved (the exchange's approval decides this)

    page = get(app, f"/library/practices/{practice_id}")

    assert page.status == 200, page.body
    assert "Boston CIO" in page.body
    assert f"https://roundtable.slack.com/archives/{BOSTON_CHANNEL}/" in page.body
    refused = [c for c in emulator.calls if c.method in ("users.info", "chat.getPermalink")
               and (c.answer or {}).get("ok") is False]
    assert refused == []
