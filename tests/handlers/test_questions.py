"""Questions in the channel, end to end: signed events in, Web API calls out, on both engines."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import payloads
from storage.questions import ANSWERED, OPEN, PENDING, Answer, Question, SuggestedExpert
from tests.exchange import (
    CHANNEL,
    CIO,
    MAYOR,
    PHILLY_CIO,
    WIRELESS,
    post,
    question,
    seed_exchange,
    submit_practice_form,
    thread_posts,
    thread_texts,
)
from tests.harness import MEMBER, TestBot, flatten


def count(bot: TestBot, model: type) -> int:
    with bot.db.begin() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_question_gets_one_reply_with_related_practices_and_experts(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)

    recorded = question(bot, asked["ts"])
    assert recorded is not None and recorded.status == OPEN and recorded.user_id == MAYOR
    [reply] = thread_posts(bot, asked["ts"])
    text = flatten(reply)
    assert "Free wireless hotspots downtown" in text and "(Detroit)" in text
    assert f"shared by <@{CIO}>" in text
    assert "https://roundtable.slack.com/archives/C0GENERAL/p1799000000000100" in text  # the practice card
    assert "Tax" not in text  # the unrelated practice stays out
    assert recorded.reply_ts == bot.emulator.messages[CHANNEL][-1]["ts"]
    with bot.db.begin() as session:
        assert session.scalars(select(SuggestedExpert.user_id)).all() == [CIO]


def test_a_redelivered_event_never_makes_a_second_reply_or_record(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS, event_id="Ev0QUESTION")
    retry = bot.event(asked, event_id="Ev0QUESTION", retry_num=1)
    restarted = TestBot(bot.settings, bot.db, bot.emulator, bot.clock)  # another process, same database
    again = restarted.event(asked, event_id="Ev0QUESTION", retry_num=2)
    restarted.executor.shutdown(wait=True)

    assert retry.status == again.status == 200
    assert count(bot, Question) == 1
    assert len(thread_posts(bot, asked["ts"])) == 1


def test_a_question_with_nothing_related_gets_no_reply_only_eyes(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, "Has anyone found a good snow removal contractor?")

    assert question(bot, asked["ts"]) is not None
    assert thread_posts(bot, asked["ts"]) == []
    [reaction] = bot.emulator.calls_to("reactions.add")
    assert (reaction.args["name"], reaction.args["timestamp"]) == ("eyes", asked["ts"])


def test_statements_thread_replies_bot_posts_and_chatter_are_not_questions(bot: TestBot) -> None:
    seed_exchange(bot)
    post(bot, "Detroit's hotspots drew young people downtown.")
    post(bot, "what?")
    post(bot, "How do the hotspots hold up in winter?", thread_ts="1799000000.000100")
    bot.event(payloads.message_event("How can I help you today?", user="U0OTHERBOT", bot_id="B0OTHER"))
    bot.event(payloads.message_event("How does this work?", user=MAYOR, subtype="channel_join"))

    assert count(bot, Question) == 0
    assert [c.method for c in bot.emulator.calls if c.method != "auth.test"] == []


def test_an_edited_question_is_updated_and_still_replied_to_once(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    bot.event(payloads.message_changed(asked, "How did your city pay for wireless hotspots in parks?"))

    assert question(bot, asked["ts"]).text == "How did your city pay for wireless hotspots in parks?"
    assert len(thread_posts(bot, asked["ts"])) == 1


def test_an_edit_that_makes_it_a_statement_removes_the_question_and_the_reply(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    reply_ts = question(bot, asked["ts"]).reply_ts
    bot.event(payloads.message_changed(asked, "Never mind, found the wireless budget."))

    assert question(bot, asked["ts"]) is None
    [deleted] = bot.emulator.calls_to("chat.delete")
    assert deleted.args["ts"] == reply_ts


def test_an_edit_that_makes_it_a_question_starts_tracking_it(bot: TestBot) -> None:
    seed_exchange(bot)
    said = post(bot, "Thinking about wireless hotspots downtown.")
    bot.event(payloads.message_changed(said, "Thinking about wireless hotspots downtown: who has them?"))

    assert question(bot, said["ts"]) is not None
    assert len(thread_posts(bot, said["ts"])) == 1


def test_a_deleted_question_is_forgotten_and_the_bots_reply_taken_down(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    reply_ts = question(bot, asked["ts"]).reply_ts
    bot.event(payloads.message_deleted(asked))

    assert count(bot, Question) == 0
    assert bot.emulator.message(CHANNEL, reply_ts) is None  # chat.delete removed it


def test_a_deleted_question_with_replies_arrives_as_a_tombstone(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    post(bot, "We used a bond.", user=CIO, thread_ts=asked["ts"])
    bot.event(payloads.message_changed(asked, "This message was deleted.", subtype="tombstone"))

    assert count(bot, Question) == 0 and count(bot, Answer) == 0


def test_a_reply_from_someone_else_makes_it_pending_and_prompts_the_asker_only(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    post(bot, "Any idea about costs?", user=MAYOR, thread_ts=asked["ts"])  # the asker's own reply
    assert question(bot, asked["ts"]).status == OPEN

    answer = post(bot, "A bond issue, then ads on the portal.", user=CIO, thread_ts=asked["ts"])
    assert question(bot, asked["ts"]).status == PENDING
    [prompt] = bot.emulator.calls_to("chat.postEphemeral")
    assert prompt.args["user"] == MAYOR and prompt.args["thread_ts"] == asked["ts"]
    assert f"{question(bot, asked['ts']).id}:{answer['ts']}" in str(prompt.args["blocks"])

    post(bot, "Also a state grant.", user=CIO, thread_ts=asked["ts"])  # same person again: no new prompt
    assert len(bot.emulator.calls_to("chat.postEphemeral")) == 1


def mark_answered(bot: TestBot, value: str, user: str, **kwargs: object) -> None:
    bot.send(payloads.block_action("question_mark_answered", value, user=user, channel=CHANNEL,
                                   response_url=bot.emulator.response_url("action"), **kwargs))


def test_the_asker_marks_an_answer_and_the_thread_shows_it_with_save_as_practice(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    answer = post(bot, "A bond issue, then ads on the portal.", user=CIO, thread_ts=asked["ts"])
    tracked = question(bot, asked["ts"])

    mark_answered(bot, f"{tracked.id}:{answer['ts']}", MAYOR, ephemeral=True)

    done = question(bot, asked["ts"])
    assert (done.status, done.answer_ts, done.closed_by) == (ANSWERED, answer["ts"], MAYOR)
    confirmation = thread_texts(bot, asked["ts"])[-1]
    assert f"<@{MAYOR}> accepted" in confirmation and "A bond issue" in confirmation
    link = f"archives/C0GENERAL/p{answer['ts'].replace('.', '')}?thread_ts={asked['ts']}"
    assert link in confirmation
    assert bot.replies()[-1]["replace_original"] in (True, "true")  # the private prompt is replaced

    mark_answered(bot, str(tracked.id), MAYOR)  # twice: nothing more in the channel
    assert len(thread_posts(bot, asked["ts"])) == 2
    assert "already marked answered" in bot.last_reply_text()


def test_only_the_asker_or_a_moderator_can_mark_it_answered(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    tracked = question(bot, asked["ts"])

    mark_answered(bot, str(tracked.id), PHILLY_CIO)
    assert question(bot, asked["ts"]).status == OPEN
    assert bot.last_reply_text() == f"Only <@{MAYOR}> or a moderator can mark this question answered."

    mark_answered(bot, str(tracked.id), "U0MOD")  # MODERATOR_USER_IDS
    closed = question(bot, asked["ts"])
    assert (closed.status, closed.closed_by) == ("closed", "U0MOD")
    assert "<@U0MOD> closed this question" in thread_texts(bot, asked["ts"])[-1]


def test_a_check_mark_reaction_by_the_asker_accepts_that_reply(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    first = post(bot, "A bond issue.", user=CIO, thread_ts=asked["ts"])
    post(bot, "A state grant, in Philadelphia.", user=PHILLY_CIO, thread_ts=asked["ts"])

    bot.event(payloads.reaction_added("white_check_mark", user=MEMBER, channel=CHANNEL, ts=first["ts"]))
    assert question(bot, asked["ts"]).status == PENDING  # someone else's ✅ is just a reaction

    bot.event(payloads.reaction_added("white_check_mark::skin-tone-3", user=MAYOR, channel=CHANNEL,
                                      ts=first["ts"]))
    done = question(bot, asked["ts"])
    assert (done.status, done.answer_ts) == (ANSWERED, first["ts"])
    assert "A bond issue." in thread_texts(bot, asked["ts"])[-1]


def test_a_check_mark_on_the_question_accepts_the_only_reply(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    only = post(bot, "A state grant.", user=PHILLY_CIO, thread_ts=asked["ts"])
    bot.event(payloads.reaction_added("thumbsup", user=MAYOR, channel=CHANNEL, ts=asked["ts"]))
    assert question(bot, asked["ts"]).status == PENDING

    bot.event(payloads.reaction_added("white_check_mark", user=MAYOR, channel=CHANNEL, ts=asked["ts"]))
    assert question(bot, asked["ts"]).answer_ts == only["ts"]


def test_ask_posts_the_question_attributed_to_the_asker_and_tracks_it(bot: TestBot) -> None:
    seed_exchange(bot)
    bot.command("/ask", "Who runs <!channel> wireless hotspots & pays for them", user=MAYOR)

    [posted, reply] = [c.args for c in bot.emulator.calls_to("chat.postMessage")]
    assert posted["text"] == f"*<@{MAYOR}> asks:* Who runs @channel wireless hotspots &amp; pays for them"
    tracked = question(bot, bot.emulator.messages[CHANNEL][0]["ts"])
    assert tracked is not None and tracked.user_id == MAYOR
    assert reply["thread_ts"] == tracked.ts and "Free wireless hotspots downtown" in flatten(reply)


def test_ask_without_a_question_or_outside_the_bots_channels_explains_and_records_nothing(bot: TestBot) -> None:
    bot.command("/ask", "  ", user=MAYOR)
    assert bot.last_reply_text().startswith("Usage: `/ask")
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    bot.command("/ask", "How do we start?", user=MAYOR, channel="C0ELSEWHERE")
    assert "/invite @Roundtable" in bot.last_reply_text()
    assert count(bot, Question) == 0


def test_a_rate_limited_reply_waits_after_the_ack_and_is_posted_once(bot: TestBot) -> None:
    seed_exchange(bot)
    bot.emulator.fail("chat.postMessage", status=429, retry_after=1)
    message = payloads.message_event(WIRELESS, user=MAYOR, channel=CHANNEL)
    bot.emulator.add_message(CHANNEL, message)

    response = bot.event(message, event_id="Ev0LIMITED", wait=False)
    assert response.status == 200  # acked before the Web API answered 429
    assert [c for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("thread_ts")] == []
    bot.event(message, event_id="Ev0LIMITED", retry_num=1, wait=False)  # Slack would not, but if it did
    bot.wait_idle()
    assert len(bot.emulator.calls_to("chat.postMessage")) == 2  # the 429, then the reply
    assert len([m for m in bot.emulator.messages[CHANNEL] if m.get("thread_ts")]) == 1


def test_an_edited_or_deleted_reply_updates_the_answer_and_the_status(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    reply = post(bot, "A bond.", user=CIO, thread_ts=asked["ts"])
    bot.event(payloads.message_changed(reply, "A bond issue, repaid by portal ads."))
    with bot.db.begin() as session:
        assert session.scalars(select(Answer.text)).all() == ["A bond issue, repaid by portal ads."]

    bot.event(payloads.message_deleted(reply))
    assert count(bot, Answer) == 0
    assert question(bot, asked["ts"]).status == OPEN  # nobody has replied any more


def test_save_as_practice_opens_the_share_modal_prefilled_and_shares_it(bot: TestBot) -> None:
    from bot.render.slack_forms import form_of

    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    answer = post(bot, "A bond issue, then ads on the city portal.", user=CIO, thread_ts=asked["ts"])
    tracked = question(bot, asked["ts"])
    mark_answered(bot, f"{tracked.id}:{answer['ts']}", MAYOR)
    assert "question_save_practice" in str(thread_posts(bot, asked["ts"])[-1]["blocks"])

    bot.send(payloads.block_action("question_save_practice", str(tracked.id), user=CIO, channel=CHANNEL,
                                   response_url=bot.emulator.response_url("action")))
    [opened] = bot.emulator.calls_to("views.open")
    view = opened.args["view"]
    fields = {f.key: f for f in form_of(view).fields()}
    assert view["callback_id"] == "practice_share"
    assert fields["problem"].value == WIRELESS
    assert fields["solution"].value == "A bond issue, then ads on the city portal."
    assert fields["city"].value == "Detroit"  # the saver's profile
    topics = {o.value: o.label for o in fields["topics"].options}
    assert "Wireless and broadband" in [topics[v] for v in fields["topics"].value]

    saved = submit_practice_form(bot, view, CIO)
    assert (saved.user_id, saved.city, saved.solution) == (CIO, "Detroit", answer["text"])


def test_a_mayors_open_question_is_on_the_next_roundtables_reminder(bot: TestBot) -> None:

    from tests.roundtable_steps import at, reminders_posted, schedule, utc

    seed_exchange(bot)
    post(bot, WIRELESS)  # a mayor's
    post(bot, "Which radios work for police and fire together?", user=CIO)  # a CIO's: not on the agenda
    schedule(bot, "2026-12-03 15:00 America/Chicago Budget roundtable", channel=CHANNEL)
    at(bot, utc(2026, 12, 3, 20))
    reminder = flatten(reminders_posted(bot, CHANNEL)[-1])
    assert "pay for wireless hotspots" in reminder and "radios" not in reminder
