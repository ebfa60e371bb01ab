"""Save discussion digest: a whole thread read page by page, a draft, a saved and posted digest."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot import payloads
from bot.digests.rules import CANNOT_READ, NO_THREAD
from bot.emulator import REPLIES_PAGE_SIZE
from storage.digests import Digest, search_digests
from tests.harness import MEMBER, TestBot, flatten, payloads_json
from tests.threads import CHANNEL, MAYOR, PARENT_TS, long_thread

THREAD_SIZE = 60  # more than one conversations.replies page (the emulator's page is 50)


def shortcut(bot: TestBot, message: dict[str, Any], user: str = MEMBER) -> None:
    bot.send(payloads.message_shortcut("save_digest", message, user=user, channel=CHANNEL,
                                       response_url=bot.emulator.response_url("shortcut")))


def last_view(bot: TestBot, method: str = "views.update") -> dict[str, Any]:
    return payloads_json(bot.emulator.calls_to(method)[-1].args["view"])


def inputs(view: dict[str, Any]) -> dict[str, str]:
    return {b["block_id"]: b["element"].get("initial_value", "") for b in view["blocks"] if b["type"] == "input"}


def submit(bot: TestBot, view: dict[str, Any], title: str | None = None, body: str | None = None) -> Any:
    initial = inputs(view)
    values = {
        "title": {"title": {"type": "plain_text_input", "value": initial["title"] if title is None else title}},
        "body": {"body": {"type": "plain_text_input", "value": initial["body"] if body is None else body}},
    }
    return bot.send(payloads.view_submission("save_digest", values, user=MEMBER,
                                             private_metadata=view["private_metadata"]))


def digests(bot: TestBot) -> list[Digest]:
    with bot.db.begin() as session:
        return list(session.scalars(select(Digest)))


def test_a_sixty_message_thread_is_read_in_two_pages_drafted_saved_and_posted(bot: TestBot) -> None:
    assert THREAD_SIZE > REPLIES_PAGE_SIZE
    thread = long_thread(THREAD_SIZE)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    bot.emulator.add_user(MAYOR, real_name="Frank Cownie")

    shortcut(bot, thread[0])

    pages = bot.emulator.calls_to("conversations.replies")
    assert len(pages) == 2 and pages[1].args["cursor"] == str(REPLIES_PAGE_SIZE)
    assert "Reading the thread" in flatten(last_view(bot, "views.open"))
    draft = last_view(bot)
    assert "From 59 messages by 4 people" in flatten(draft)  # the bot's own reply is not counted
    text = "\n".join(inputs(draft).values())
    assert "Frank Cownie" in text and "The authority's bond covered it." in text
    assert "answered by" in text and "https://example.org/detroit-wifi.pdf" in text
    assert "@everyone remember the #roundup on Monday" in text  # quoted as a reader saw it, pinging nobody

    response = submit(bot, draft)
    assert response.status == 200 and not response.body

    posted = bot.emulator.wait_for("chat.postMessage")[-1].args
    assert posted["channel"] == CHANNEL and posted["thread_ts"] == PARENT_TS
    blocks = payloads_json(posted["blocks"])
    assert blocks[0]["text"]["text"].startswith("Digest: How did Detroit pay")
    posted_text = json.dumps(blocks)
    assert "@everyone remember the #roundup" in posted_text and "<!everyone>" not in posted_text
    assert "&lt;!everyone&gt;" not in posted_text  # the draft turned it into "@everyone" before escaping
    [digest] = digests(bot)
    assert (digest.channel_id, digest.thread_ts, digest.message_count) == (CHANNEL, PARENT_TS, THREAD_SIZE - 1)
    assert digest.message_ts and digest.permalink.startswith("https://roundtable.slack.com/archives/")

    bot.command("/digest", "list")
    assert "How did Detroit pay for the downtown wireless hotspots?" in bot.last_reply_text()
    with bot.db.begin() as session:
        assert [d.id for d in search_digests(session, digest.team_id, "hotspots bond", 5)] == [digest.id]
        assert search_digests(session, "T0OTHER", "hotspots", 5) == []
    bot.command("/digest", 'search "bond" AND (NEAR*')
    assert "How did Detroit pay" in bot.last_reply_text()


def test_saving_again_replaces_the_digest_and_its_post(bot: TestBot) -> None:
    thread = long_thread(8)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    shortcut(bot, thread[0])
    submit(bot, last_view(bot), title="Wireless funding")
    shortcut(bot, thread[3])  # from a reply: the same thread
    submit(bot, last_view(bot), title="Wireless funding, final", body="Bonds paid. <!channel> & more")

    [digest] = digests(bot)
    assert digest.title == "Wireless funding, final"
    assert len(bot.emulator.calls_to("chat.postMessage")) == 1
    update = bot.emulator.calls_to("chat.update")[-1].args
    assert update["ts"] == digest.message_ts
    assert "Bonds paid. &lt;!channel&gt; &amp; more" in flatten(update)


def test_empty_title_or_text_is_refused_inline_and_nothing_is_saved(bot: TestBot) -> None:
    thread = long_thread(5)
    bot.emulator.set_thread(CHANNEL, PARENT_TS, thread)
    shortcut(bot, thread[0])
    response = submit(bot, last_view(bot), title="  ", body="")
    errors = json.loads(response.body)
    assert errors["response_action"] == "errors" and set(errors["errors"]) == {"title", "body"}
    response = submit(bot, last_view(bot), title="x" * 141, body="y" * 3001)  # past the inputs' max_length
    assert set(json.loads(response.body)["errors"]) == {"title", "body"}
    assert digests(bot) == [] and not bot.emulator.calls_to("chat.postMessage")


def test_a_message_without_replies_gets_a_short_explanation(bot: TestBot) -> None:
    shortcut(bot, {"type": "message", "user": MAYOR, "ts": "1795000000.000900", "text": "Hello"})
    assert bot.last_reply_text() == NO_THREAD
    assert not bot.emulator.calls_to("views.open")


def test_a_thread_the_bot_cannot_read_says_how_to_fix_it(bot: TestBot) -> None:
    bot.emulator.fail("conversations.replies", error="not_in_channel")
    shortcut(bot, long_thread(5)[0])
    assert flatten(last_view(bot)) == CANNOT_READ["not_in_channel"]
    assert digests(bot) == []
