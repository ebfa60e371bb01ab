"""Issue 14 part 3, messages everyone can read: every message builder in bot/ (found by introspection,
so a new one cannot be missed), with representative data, has a meaningful fallback (what it says,
short: notifications and screen readers use it), carries no meaning by an emoji alone, and labels
each button with what it does."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import bot
from bot import exchange_requests
from bot import messages as m
from bot.digests import blocks as digest_blocks
from bot.digests import reminders as digest_reminders
from bot.practices import blocks as practice_blocks
from bot.practices.blocks import Sharer
from bot.questions import blocks as question_blocks
from bot.questions.blocks import RelatedPractice
from bot.render import slack, teams
from bot.render import text as terminal
from bot.roundtables import blocks as roundtable_blocks
from bot.roundtables.agenda import OpenQuestion
from bot.roundup import content as roundup_content
from bot.roundup.content import Figures, Roundup
from bot.teams import wording as teams_wording
from storage.digests import Digest
from storage.practices import Practice, PracticeTopic
from storage.questions import OPEN, Answer, Question
from storage.roundtables import Roundtable, RoundtableRsvp

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)
# a button label starts with a verb that says what pressing it does, or answers in the first person
VERBS = frozenset({"adopt", "approve", "ask", "cancel", "close", "decline", "delete", "discard", "edit", "mark", "publish", "remove", "run",
                   "save", "schedule", "share", "show", "withdraw"})
ANSWERS = ("I'm ", "I might ", "I can't ")
# builders that only look things up and hand over to one below (they need a database, not data)
DELEGATES = {
    "bot.roundtables.reminders.render_reminder": "reminder_message",
    "bot.roundtables.reminders.reminder_message": "bot.roundtables.blocks.build_reminder",
    "bot.digests.reminders.render_digest_reminder": "build_digest_reminder",
    "bot.roundup.delivery.keep_content": "bot.roundup.content.compose",
    "bot.roundup.delivery.render_roundup": "bot.roundup.content.compose (via keep_content)",
    "bot.digests.commands.listing": "bot.digests.blocks.build_digest_list",
    "bot.digests.commands.search": "bot.digests.blocks.build_digest_list",
    "bot.roundtables.commands.upcoming": "bot.roundtables.blocks.build_list",
    "bot.roundup.commands.preview": "bot.roundup.content.compose",
}


def practice(**how: Any) -> Practice:
    fields = dict(id=7, team_id="T1", user_id="U1", city="Des Moines", title="Open 311 data portal",
                  problem="Residents could not see request status.", solution="Published 311 requests daily.",
                  outcome="Calls about status fell by a third.", cost="Two months", contact="cio@dsm.gov",
                  channel_id="C1", message_ts="1700000000.000100", created_at=NOW, updated_at=NOW, published=False)
    made = Practice(**(fields | how))
    made.topics = [PracticeTopic(topic="open-data")]
    return made


def question() -> Question:
    return Question(id=3, team_id="T1", channel_id="C1", ts="1700000000.000200", user_id="U2",
                    text="How did you staff your 311 pilot?", status=OPEN, asked_at=NOW - timedelta(days=4),
                    updated_at=NOW)


def answer() -> Answer:
    return Answer(team_id="T1", question_id=3, ts="1700000000.000300", user_id="U3",
                  text="Two analysts from IT, part time.", created_at=NOW)


def roundtable(**how: Any) -> Roundtable:
    fields = dict(id=5, team_id="T1", channel_id="C1", title="Broadband equity", agenda="Rural coverage",
                  starts_local="2026-11-23T15:00", timezone="America/Chicago", rrule="FREQ=WEEKLY",
                  cancelled_starts=[], duration_minutes=60, reminder_minutes=[60], video_url="https://meet.example/x",
                  created_by="U1", created_at=NOW, updated_at=NOW, schedule_set_at=NOW)
    return Roundtable(**(fields | how))


def digest() -> Digest:
    return Digest(id=2, team_id="T1", channel_id="C1", thread_ts="1700000000.000400", title="Broadband equity",
                  body="What was said.", participant_ids=["U1", "U2"], message_count=12, saved_by="U1",
                  permalink="https://roundtable.slack.com/archives/C1/p1700000000000400", created_at=NOW,
                  updated_at=NOW)


SHARER = Sharer("U1", "Frank Cownie", "mayor", "Des Moines")
RELATED = [RelatedPractice("Open 311 data portal", "Des Moines", "U1", "https://roundtable.slack.com/archives/C1/p1")]
RSVPS = [RoundtableRsvp(roundtable_id=5, occurrence="20261123T2100Z", user_id="U2", team_id="T1", answer="going",
                        name="Dianah Neff")]
AGENDA = [OpenQuestion("How did you staff your 311 pilot?", "U2", NOW)]
WEEK = Roundup("T1", NOW - timedelta(days=7), NOW, figures=Figures(practices_shared=2, questions_asked=1))

# every message builder, with representative data: (its dotted name, the messages it builds)
CASES: list[tuple[str, Callable[[], list[m.Message]]]] = [
    ("bot.practices.blocks.build_card", lambda: [practice_blocks.build_card(practice(), SHARER, ["Des Moines"])]),
    ("bot.practices.blocks.build_removed_card", lambda: [practice_blocks.build_removed_card(practice())]),
    ("bot.practices.blocks.build_show", lambda: [practice_blocks.build_show(practice(), SHARER, [])]),
    ("bot.practices.blocks.build_results", lambda: [
        practice_blocks.build_results(m.line("Practices about 311"), [practice()], {7: ["Des Moines"]},
                                      m.line("No practices match."), digests=[digest()]),
        practice_blocks.build_results(m.line("Practices about 311"), [], {}, m.line("No practices match."))]),
    ("bot.practices.blocks.build_shared", lambda: [practice_blocks.build_shared(practice(), True),
                                                   practice_blocks.build_shared(practice(), False, "Updated")]),
    ("bot.practices.blocks.build_slip", lambda: [practice_blocks.build_slip("serch 311", "search 311"),
                                                 practice_blocks.build_slip("", "")]),
    ("bot.practices.blocks.build_delete_prompt", lambda: [practice_blocks.build_delete_prompt(practice())]),
    ("bot.practices.blocks.build_adopted", lambda: [practice_blocks.build_adopted("Counted for Des Moines.", 7, True),
                                                    practice_blocks.build_adopted("Already counted.", 7, False)]),
    ("bot.roundtables.blocks.build_reminder", lambda: [
        roundtable_blocks.build_reminder(roundtable(), START, RSVPS, AGENDA),
        roundtable_blocks.build_reminder(roundtable(agenda="", rrule="", video_url=""), START, [], [])]),
    ("bot.roundtables.blocks.build_list", lambda: [roundtable_blocks.build_list([(roundtable(), START)]),
                                                   roundtable_blocks.build_list([])]),
    ("bot.roundtables.blocks.announcement", lambda: [roundtable_blocks.announcement(roundtable(), START, "U1")]),
    ("bot.roundtables.blocks.build_schedule_check", lambda: [roundtable_blocks.build_schedule_check(
        "Broadband equity", START, "America/Chicago", "weekly", "C1", "v", [60, 1440])]),
    ("bot.roundtables.blocks.build_cancel_check", lambda: [
        roundtable_blocks.build_cancel_check(roundtable(), START, True),
        roundtable_blocks.build_cancel_check(roundtable(), None, False)]),
    ("bot.roundtables.blocks.moved", lambda: [roundtable_blocks.moved(roundtable(), START, START + timedelta(days=1)),
                                              roundtable_blocks.moved(roundtable(), None, START)]),
    ("bot.digests.blocks.build_digest_message", lambda: [digest_blocks.build_digest_message(digest())]),
    ("bot.digests.blocks.build_not_posted", lambda: [digest_blocks.build_not_posted(digest())]),
    ("bot.digests.blocks.build_digest_list", lambda: [digest_blocks.build_digest_list([digest()], 4),
                                                      digest_blocks.build_digest_list([], 0)]),
    ("bot.digests.reminders.build_digest_reminder", lambda: [
        digest_reminders.build_digest_reminder("Broadband equity", "C2", "C1"),
        digest_reminders.build_digest_reminder("Broadband equity", "", "C1")]),
    ("bot.questions.blocks.build_suggestion", lambda: [
        question_blocks.build_suggestion(question(), RELATED, ["U3"]),
        question_blocks.build_suggestion(question(), [], ["U3"])]),
    ("bot.questions.blocks.build_answer_prompt", lambda: [question_blocks.build_answer_prompt(question(), answer())]),
    ("bot.questions.blocks.build_which_reply", lambda: [question_blocks.build_which_reply(question(), [answer()])]),
    ("bot.questions.blocks.build_resolution", lambda: [
        question_blocks.build_resolution(question(), answer(), "U2", save_as_practice=True),
        question_blocks.build_resolution(question(), None, "U9")]),
    ("bot.questions.blocks.build_asked", lambda: [question_blocks.build_asked("U2", "How did you staff 311?")]),
    ("bot.questions.blocks.build_nudge", lambda: [question_blocks.build_nudge(question(), ["U3"], 3)]),
    ("bot.exchange_requests.request_message", lambda: [exchange_requests.request_message(
        exchange_requests.Request("T2", "Des Moines"))]),
    ("bot.exchange_requests.decided_message", lambda: [
        exchange_requests.decided_message(exchange_requests.Request("T2", "Des Moines"), True, "U1"),
        exchange_requests.decided_message(exchange_requests.Request("T2"), False, "U1")]),
    ("bot.teams.wording.in_paragraphs", lambda: [teams_wording.in_paragraphs("Usage: `/practice list` or *Edit* the practice.\nMore.")]),
    ("bot.teams.wording.for_teams", lambda: [teams_wording.for_teams(practice_blocks.build_slip("serch wireless",
                                                                                                 "search wireless"))]),
    ("bot.roundup.content.compose", lambda: [roundup_content.compose(WEEK),
                                             roundup_content.compose(Roundup("T1", NOW - timedelta(days=7), NOW))]),
]


def builders() -> Iterator[str]:
    """Every function in bot/ that says it returns a Message."""
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name.endswith("__main__") or ".emulator" in info.name or ".demo" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            returns = str(inspect.signature(function).return_annotation).split(".")[-1].strip("'\"")
            if function.__module__ == info.name and returns == "Message":
                yield f"{info.name}.{name}"


def test_every_message_builder_is_walked() -> None:
    found = set(builders())
    assert found, "introspection found no builders"
    assert found - {name for name, _ in CASES} - set(DELEGATES) == set(), "add the new builder to CASES"
    assert {name for name, _ in CASES} <= found, "a listed builder is gone or no longer says it returns Message"


def segments(value: Any) -> Iterator[m.Inline]:
    """Every run of words a member reads in a message's parts."""
    if isinstance(value, m.Paragraph):
        yield value.text
        yield from ([value.quote] if value.quote else [])
    elif isinstance(value, m.Items):
        yield m.line(value.heading)
        yield from value.lines
    elif isinstance(value, m.Context):
        yield from value.elements
    elif isinstance(value, m.Heading):
        yield m.line(value.text)


def buttons(message: m.Message) -> Iterator[m.Button]:
    for part in message.parts:
        if isinstance(part, m.Actions):
            yield from part.buttons
        elif isinstance(part, m.Paragraph) and part.button:
            yield part.button


@pytest.mark.parametrize(("name", "build"), CASES, ids=[name for name, _ in CASES])
def test_every_message_says_what_it_is_in_words(name: str, build: Callable[[], list[m.Message]]) -> None:
    for message in build():
        said = m.words(m.summary(message))
        assert m.meaningful(m.summary(message)), f"{name}: fallback says nothing: {said!r}"
        assert len(said) <= m.SUMMARY_CHARS + 40, f"{name}: fallback is not short: {said!r}"
        assert slack.message(message)["text"].strip() and teams.fallback_text(message).strip()
        assert terminal.fallback_text(message) == teams.fallback_text(message)  # one rule, every renderer
        for inline in [s for part in message.parts for s in segments(part)]:
            if m.EMOJI.search("".join(seg.text for seg in inline if isinstance(seg, m.Text))):
                assert m.meaningful(inline), f"{name}: an emoji alone carries meaning: {inline!r}"
        for button in buttons(message):
            label = button.label
            assert label.split()[0].lower() in VERBS or label.startswith(ANSWERS), f"{name}: button {label!r}"
            assert not m.EMOJI.search(label), f"{name}: button {label!r} relies on an emoji"


def test_the_fallback_rule_falls_back_to_what_the_message_shows() -> None:
    shown = m.Message(m.line(":white_check_mark:"), (m.Heading("Roundtable"), m.Paragraph(m.line("Answered by Dianah."))))
    assert m.words(m.summary(shown)) == "Answered by Dianah."
    assert m.words(m.summary(m.Message(m.line("Roundtable"), (m.Paragraph(m.line("x" * 900)),)))) == "x" * 149 + "…"
    assert not m.meaningful(m.line("✅ ")) and not m.meaningful(m.line(":eyes:")) and m.meaningful(m.line("✅ Done"))
    assert slack.message(shown)["text"] == "Answered by Dianah."


def test_help_names_the_buttons_as_they_are_labelled() -> None:
    from bot.practices.help import HELP
    labels = [b.label for b in buttons(practice_blocks.build_slip("serch 311", "search 311"))]
    assert labels == ["Run /practice search 311", "Share it as a practice anyway"]
    assert "*Run /practice …*" in HELP and f"*{labels[1]}*" in HELP


def test_home_tab_hints_send_members_to_a_channel_for_commands() -> None:
    import bot.home
    context = bot.home.HomeContext(team_id="T1", user_id="U1", now=datetime(2026, 11, 2, tzinfo=UTC))
    empty = bot.home.HomeData(mine=[], wanted=[], practices=[], roundtable=None)
    shown = "\n".join(line for part in bot.home.home_parts(empty, context) for line in terminal.part_lines(part))
    assert shown.count("in a channel") >= 2  # the Home tab takes no commands: no "type /ask here"
    assert not [line for line in shown.splitlines() if "/" in line and re.search(r"\bhere\b", line)]
