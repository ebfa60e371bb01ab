"""/practice end to end: signed requests in, what reached the Web API emulator out, on both engines."""

from __future__ import annotations

import json

from bot.practices.blocks import ADOPT, ASK, DELETE, DETAILS, EDIT, PUBLISH
from handlers.errors import FAILED, UNAVAILABLE
from storage.db import Database
from tests.handlers.test_requests import unreachable_url
from tests.harness import MODERATOR, TestBot, flatten
from tests.practice_steps import (
    CHANNEL,
    DES_MOINES,
    FULL,
    NEWCOMER,
    SEATTLE,
    SHARER,
    card_text,
    cards,
    last_view,
    members,
    newest_id,
    practice,
    press,
    share,
    submit_share,
    within_limits,
)

QUICK = "Wireless hotspots downtown. Free wifi in the squares drew young people. #wireless #jobs"


def test_practice_alone_opens_the_form_with_the_city_from_the_profile(bot: TestBot) -> None:
    members(bot)
    bot.command("/practice", "  ", user=SHARER)
    view = last_view(bot)
    assert view["callback_id"] == "practice_share"
    city = next(b for b in view["blocks"] if b["block_id"] == "city")
    assert city["element"]["initial_value"] == "Detroit"
    assert json.loads(view["private_metadata"])["channel_id"] == CHANNEL


def test_blank_form_fields_are_shown_inline_and_nothing_is_saved(bot: TestBot) -> None:
    members(bot)
    body = submit_share(bot, {**FULL, "title": "   ", "outcome": "\n"})
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"title", "outcome"}
    assert newest_id(bot) is None
    assert cards(bot) == []


def test_the_form_shares_a_card_in_the_channel_and_confirms_privately(bot: TestBot) -> None:
    members(bot)
    assert submit_share(bot, FULL, topics=["wireless-broadband"], free_topics="#Snow Removal") == {}
    practice_id = newest_id(bot)
    assert practice_id is not None
    saved = practice(bot, practice_id)
    assert [t.topic for t in saved.topics] == ["snow-removal", "wireless-broadband"]
    text = card_text(bot, practice_id)
    assert "Wireless hotspots downtown" in text and "Derrick Miller (CIO, Detroit)" in text
    assert "Downtown busy at night." in text
    buttons = [e["action_id"] for b in cards(bot)[0]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ADOPT, ASK, DETAILS, PUBLISH]
    confirmation = bot.emulator.wait_for("chat.postEphemeral")[-1].args
    assert confirmation["user"] == SHARER and "Shared" in flatten(confirmation)
    within_limits(bot)


def test_one_line_share_posts_a_card_and_offers_edit(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    assert practice_id is not None
    saved = practice(bot, practice_id)
    assert saved.title == "Wireless hotspots downtown"
    assert saved.solution == "Free wifi in the squares drew young people."
    assert saved.city == "Detroit" and [t.topic for t in saved.topics] == ["technology-jobs", "wireless-broadband"]
    assert (saved.channel_id, saved.message_ts) == (CHANNEL, cards(bot)[0]["ts"])
    reply = bot.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    assert EDIT in json.dumps(reply["blocks"]) and "Add the problem and the outcome" in flatten(reply)


def test_edit_button_opens_the_form_filled_in(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    press(bot, EDIT, practice_id, user=SHARER)
    view = last_view(bot)
    title = next(b for b in view["blocks"] if b["block_id"] == "title")
    assert title["element"]["initial_value"] == "Wireless hotspots downtown"
    assert json.loads(view["private_metadata"])["practice_id"] == practice_id


def test_share_without_a_title_or_too_long_explains_and_stores_nothing(bot: TestBot) -> None:
    members(bot)
    assert share(bot, "#wireless #jobs") is None
    assert bot.last_reply_text().startswith("Start with a title")
    assert share(bot, "x" * 20_000) is None
    assert "20,000 characters" in bot.last_reply_text()
    assert cards(bot) == []


def test_hard_text_is_stored_and_shown_escaped(bot: TestBot) -> None:
    members(bot)
    hostile = "<!channel> ping <@U0MOD> <http://evil.example|your bank> & مدينة 🎉 '; DROP TABLE practice; --"
    practice_id = share(bot, hostile + "\n" + "long " * 500)
    assert practice_id is not None
    assert practice(bot, practice_id).title == hostile
    sent = json.dumps([c.args for c in bot.emulator.calls])
    for raw in ("<!channel>", "<@U0MOD>", "<http://evil"):
        assert raw not in sent
    assert "&lt;!channel&gt;" in sent
    assert f"/practice show {practice_id}" in card_text(bot, practice_id)  # long text cut with a pointer
    within_limits(bot)


def test_search_ranks_filters_and_shows_adoptions(bot: TestBot) -> None:
    members(bot)
    first = share(bot, QUICK)
    share(bot, "Collapsing 12 tax systems into one. One revenue system. #tax", user=SEATTLE)
    share(bot, "Open data portal. The wireless coverage map was downloaded most. #open-data", user=DES_MOINES)
    press(bot, ADOPT, first, user=SEATTLE)
    bot.command("/practice", "search wireless")
    reply = bot.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    text = flatten(reply)
    assert text.index("Wireless hotspots downtown") < text.index("Open data portal")
    assert "Collapsing" not in text and "Adopted in 1 city: Seattle" in text
    bot.command("/practice", 'search wireless city:"des moines"')
    assert "Open data portal" in bot.last_reply_text() and "hotspots" not in bot.last_reply_text()
    bot.command("/practice", "search wireless #open-data")
    assert "Open data portal" in bot.last_reply_text() and "hotspots" not in bot.last_reply_text()
    bot.command("/practice", "search #tax")
    assert "Collapsing 12 tax systems" in bot.last_reply_text()
    within_limits(bot)


def test_any_typed_query_gets_an_answer(bot: TestBot) -> None:
    members(bot)
    share(bot, QUICK)
    for query in ['"wireless', "wire*", "-wireless", "wireless:", "AND", "NEAR(wireless hotspots)", "(((",
                  "🎉", "' OR 1=1 --", "ضريبة", "x" * 5000]:
        bot.command("/practice", f"search {query}")
        assert bot.last_reply_text() not in (FAILED, UNAVAILABLE)
    bot.command("/practice", "search NEAR(wireless")
    assert "Wireless hotspots downtown" in bot.last_reply_text()


def test_list_mine_show_and_help(bot: TestBot) -> None:
    members(bot)
    wireless = share(bot, QUICK)
    tax = share(bot, "Collapsing 12 tax systems into one. #tax", user=SEATTLE)
    bot.command("/practice", "list")
    assert bot.last_reply_text().index("Collapsing") < bot.last_reply_text().index("Wireless")
    bot.command("/practice", "list #revenue-tax")
    assert "Collapsing" in bot.last_reply_text() and "Wireless" not in bot.last_reply_text()
    bot.command("/practice", "mine", user=SHARER)
    assert "Wireless" in bot.last_reply_text() and "Collapsing" not in bot.last_reply_text()
    bot.command("/practice", f"show {tax}")
    assert "Bill Schrier (CIO, Seattle)" in bot.last_reply_text()
    bot.command("/practice", f"show #{wireless}")
    assert "Free wifi in the squares" in bot.last_reply_text()
    bot.command("/practice", "show 999")
    assert bot.last_reply_text().startswith("There is no practice #999")
    bot.command("/practice", "help")
    assert "/practice search" in bot.last_reply_text()
    within_limits(bot)


def test_only_the_sharer_or_a_moderator_may_edit_or_delete(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    for verb in ("edit", "delete"):
        bot.command("/practice", f"{verb} {practice_id}", user=SEATTLE)
        assert bot.last_reply_text() == f"Only the member who shared #{practice_id} or a moderator can {verb} it."
    press(bot, EDIT, practice_id, user=SEATTLE)
    assert "Only the member who shared" in bot.last_reply_text()
    forged = submit_share(bot, {**FULL, "title": "Hijacked"}, user=SEATTLE, practice_id=practice_id)
    assert forged["response_action"] == "errors"
    assert practice(bot, practice_id).title == "Wireless hotspots downtown"
    assert bot.emulator.calls_to("views.open") == []


def test_a_moderator_edit_updates_the_card_in_place(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    bot.command("/practice", f"edit {practice_id}", user=MODERATOR)
    assert last_view(bot)["title"]["text"] == "Edit practice"
    assert submit_share(bot, {**FULL, "title": "Hotspots downtown, year two"}, user=MODERATOR,
                        practice_id=practice_id) == {}
    update = bot.emulator.wait_for("chat.update")[-1].args
    assert update["ts"] == practice(bot, practice_id).message_ts
    assert "Hotspots downtown, year two" in card_text(bot, practice_id)
    assert len(cards(bot)) == 1


def test_deleted_practices_leave_search_and_lists_and_the_card_says_so(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    bot.command("/practice", f"delete {practice_id}", user=SHARER)
    assert press(bot, DELETE, practice_id, user=SHARER).startswith(f"Deleted practice #{practice_id}")
    assert "was removed" in card_text(bot, practice_id)
    for text in ("search wireless", "list", f"show {practice_id}"):
        bot.command("/practice", text)
        assert "Wireless hotspots downtown" not in bot.last_reply_text()
    assert "That practice was deleted." in press(bot, ADOPT, practice_id, user=SEATTLE)


def test_adoptions_count_once_per_city_and_update_the_card_in_place(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    ts = practice(bot, practice_id).message_ts
    assert "Seattle now counts" in press(bot, ADOPT, practice_id, user=SEATTLE, message_ts=ts)
    assert "Adopted in 1 city: Seattle" in card_text(bot, practice_id)
    bot.emulator.add_user("U0SEA2", real_name="Seattle staff")
    with bot.db.begin() as session:
        from storage.profiles import save_profile
        from tests.practice_steps import WHEN

        save_profile(session, "T0ROUNDTBL", "U0SEA2", WHEN, role="other", city="SEATTLE ", state="", title="",
                     expertise=[])
    updates = len(bot.emulator.calls_to("chat.update"))
    assert "already counts" in press(bot, ADOPT, practice_id, user="U0SEA2", message_ts=ts)
    assert len(bot.emulator.calls_to("chat.update")) == updates
    press(bot, ADOPT, practice_id, user=DES_MOINES, message_ts=ts)
    assert "Adopted in 2 cities: Seattle, Des Moines" in card_text(bot, practice_id)
    assert "comes from your city" in press(bot, ADOPT, practice_id, user=SHARER, message_ts=ts)
    assert "/profile" in press(bot, ADOPT, practice_id, user=NEWCOMER, message_ts=ts)
    assert len(cards(bot)) == 1


def test_ask_about_this_starts_a_thread_under_the_card(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, QUICK)
    assert "started a thread" in press(bot, ASK, practice_id, user=DES_MOINES)
    thread = bot.emulator.wait_for("chat.postMessage", 2)[-1].args
    assert thread["thread_ts"] == practice(bot, practice_id).message_ts
    assert f"<@{DES_MOINES}>" in thread["text"] and f"<@{SHARER}>" in thread["text"]


def test_details_opens_everything_in_a_modal(bot: TestBot) -> None:
    members(bot)
    assert submit_share(bot, FULL) == {}
    press(bot, DETAILS, newest_id(bot), user=SEATTLE)
    text = flatten(last_view(bot))
    assert "Young people left downtown after work." in text and "Derrick Miller" in text


def test_a_member_without_a_profile_is_shown_by_slack_name(bot: TestBot) -> None:
    members(bot)
    practice_id = share(bot, "Snow plow tracker. GPS on every plow.", user=NEWCOMER)
    assert "shared by Pat Newcomer" in card_text(bot, practice_id)
    assert "City not given" in card_text(bot, practice_id)


def test_database_down_keeps_the_form_open(bot: TestBot, db: Database) -> None:
    members(bot)
    bot.services.db = Database(unreachable_url(db))
    body = submit_share(bot, FULL)
    assert body == {"response_action": "errors", "errors": {"title": UNAVAILABLE}}


def test_a_share_where_the_bot_cannot_post_is_kept_and_explained(bot: TestBot) -> None:
    members(bot)
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    practice_id = share(bot, QUICK)
    assert practice_id is not None and practice(bot, practice_id).message_ts == ""
    assert "invite me with `/invite @Roundtable`" in bot.last_reply_text()
    assert "started a thread" in press(bot, ASK, practice_id, user=SEATTLE)  # in the channel, not under a card
    assert "thread_ts" not in bot.emulator.calls_to("chat.postMessage")[-1].args
