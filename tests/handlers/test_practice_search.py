"""/practice search also finds saved digests: signed requests in, the reply Slack got out, both engines."""

from __future__ import annotations

from datetime import timedelta

from bot.dates import day_text
from storage.digests import DigestText, save_digest
from tests.handlers.test_digests import last_view, shortcut, submit
from tests.harness import TestBot, flatten
from tests.practice_steps import CHANNEL, SEATTLE, TEAM, WHEN, members, share, within_limits
from tests.threads import PARENT_TS, long_thread
from tests.week import public

HOTSPOTS = "Wireless hotspots downtown. Free wifi in the squares drew young people. #wireless"
THREAD_TITLE = "How did Detroit pay for the downtown wireless hotspots?"  # the thread's parent message


def saved_thread_digest(bot: TestBot) -> None:
    """A digest saved the way members save one: the shortcut on a thread, then the modal."""
    thread = long_thread(8)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    shortcut(bot, thread[0])
    submit(bot, last_view(bot))
    bot.emulator.wait_for("chat.getPermalink")


def stored_digest(bot: TestBot, title: str, body: str, *, thread: int, team: str = TEAM) -> None:
    with bot.db.begin() as session:
        public(session, "C0CITYHALL", team_id=team)
        save_digest(session, team, SEATTLE, DigestText("C0CITYHALL", f"1795000{thread:03d}.000100", title, body,
                                                       [SEATTLE], 3), WHEN + timedelta(days=thread))


def test_matching_digests_follow_the_practices_linked_dated_and_escaped(bot: TestBot) -> None:
    members(bot)
    share(bot, HOTSPOTS)
    share(bot, "Collapsing 12 tax systems into one. One revenue system. #tax", user=SEATTLE)
    saved_thread_digest(bot)
    # ranked by where the words are: the thread's title has both, this one's title one of them
    stored_digest(bot, "<!channel> wireless <http://evil.example|bond> & more", "Who pays for hotspots", thread=1)
    stored_digest(bot, "Parks", "Parks asked for wireless hotspots too.", thread=2)
    stored_digest(bot, "Towers", "Zoning for towers and wireless hotspots.", thread=3)
    stored_digest(bot, "Wireless hotspots elsewhere", "Another workspace's.", thread=4, team="T0OTHER")

    bot.command("/practice", "search wireless hotspots")

    reply = bot.replies()[-1]
    text = flatten(reply)
    assert reply["response_type"] == "ephemeral"
    assert text.index("Wireless hotspots downtown") < text.index("From saved discussions:")
    digests = text[text.index("From saved discussions:"):]
    assert digests.count("• ") == 3 and "More with `/digest search &lt;words&gt;`" in digests
    assert "Collapsing" not in text and "elsewhere" not in text
    assert f"<https://roundtable.slack.com/archives/{CHANNEL}/" in digests and THREAD_TITLE in digests
    assert f"<#{CHANNEL}>" in digests and "<#C0CITYHALL>" in digests
    assert "<!date^" in digests and f"|{day_text(WHEN + timedelta(days=1))}>" in digests
    assert "<!channel>" not in text and "<http://evil" not in text and "&lt;!channel&gt;" in text
    within_limits(bot)


def test_digests_alone_still_answer_and_filters_leave_them_out(bot: TestBot) -> None:
    members(bot)
    share(bot, HOTSPOTS)
    stored_digest(bot, "Paying for the hotspots", "The development authority's bond covered it.", thread=1)

    bot.command("/practice", "search bond")
    text = bot.last_reply_text()
    assert "No practices for _bond_" in text and "Paying for the hotspots" in text
    assert "More with" not in text

    bot.command("/practice", "search hotspots #wireless")  # digests have no topics: the filter is for practices
    assert "Wireless hotspots downtown" in bot.last_reply_text()
    assert "From saved discussions" not in bot.last_reply_text()

    bot.command("/practice", "search downtown squares")
    assert "Wireless hotspots downtown" in bot.last_reply_text()
    assert "From saved discussions" not in bot.last_reply_text()
    within_limits(bot)
