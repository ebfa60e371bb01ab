"""Card buttons from Teams: universal actions (`Action.Execute`, invoke `adaptiveCard/action`).

Each press is answered by the same rule as Slack's button (bot/...). `press` says what the presser
sees in place of the pressed card (`shown`: Teams shows an invoke's card to the member who pressed),
what everyone sees there (`everyone`: the practice card with its new adoption count, the reminder
with its RSVP names, a slip turned into the practice's card, put in place of the posted card for
all), and what to post in the conversation (`post`: a roundtable's announcement).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import messages as m
from bot.chat import ChatError
from bot.practices import adoption, blocks, cards, commands, threads
from bot.questions import blocks as question_blocks
from bot.questions.posts import mark_answered
from bot.roundtables import blocks as roundtable_blocks
from bot.roundtables import commands as roundtable_commands
from bot.roundtables.rsvp import RSVP_PATTERN
from bot.roundtables.rsvp import answer as rsvp
from bot.services import Services
from bot.text import parse_id
from handlers.teams import commands as typed
from handlers.teams.replies import Card, Said, Turn
from storage.practices import Practice

NOT_OURS = "That button is no longer available."
ASK_HERE = ("Ask the sharer here with `/ask <your question>`: the exchange tracks it until it is answered "
            "(this practice's thread is in Slack, where you cannot read it).")


@dataclass
class ButtonAnswer:
    shown: Said
    everyone: Said | None = None
    post: Said | None = None
    card: int | None = None  # the practice whose card the pressed message now is (kept, updated in place)


def practice_card(services: Services, practice_id: int, team_id: str, note: m.Inline = ()) -> m.Message | None:
    shown = cards.load(services, team_id, practice_id)
    if shown is None:
        return None
    card = blocks.build_card(shown.practice, shown.sharer, shown.cities)
    return m.Message(card.fallback, (*card.parts, *([m.Context((note,))] if note else [])))


def adopted(services: Services, turn: Turn, value: str, *, withdrawing: bool = False) -> ButtonAnswer:
    practice_id = parse_id(value)
    if withdrawing:
        said, changed = adoption.withdraw(services, turn.team_id, turn.user_id, practice_id)
        practice = adoption.reachable(services, turn.team_id, practice_id) if changed else None
        withdrawable = False
    else:
        done = adoption.adopt_practice(services, turn.team_id, turn.user_id, practice_id)
        said, changed, practice, withdrawable = done.message, done.counted, done.practice, done.withdrawable
    note = blocks.build_adopted(said, practice_id or 0, withdrawable)
    card = practice_card(services, practice.id, practice.team_id) if practice else None
    if card is None:
        return ButtonAnswer(note)
    mine = m.Message(card.fallback, (*card.parts, *note.parts))
    return ButtonAnswer(mine, card if changed else None)


def ask_about(services: Services, turn: Turn, practice_id: int | None) -> str:
    """*Ask about this*, as in Slack (bot/practices/threads.py): a thread under the card that mentions
    the sharer (in a chat, which has no threads, the chat itself), for a practice of this tenant; one
    from another platform's workspace has its thread where a Teams member cannot read it."""
    with services.db.read() as session:
        practice = session.get(Practice, practice_id) if practice_id else None
        theirs = practice is not None and practice.team_id != turn.team_id
    if theirs:
        return ASK_HERE
    return threads.start_thread(services, turn.team_id, turn.user_id, practice_id, turn.conversation_id)


def practice_press(services: Services, turn: Turn, verb: str, value: str) -> ButtonAnswer:
    if verb in (blocks.ADOPT, blocks.WITHDRAW):
        return adopted(services, turn, value, withdrawing=verb == blocks.WITHDRAW)
    if verb == blocks.DETAILS:
        return ButtonAnswer(commands.show(services, turn.team_id, turn.user_id, value))
    if verb == blocks.DELETE:
        return ButtonAnswer(commands.delete(services, turn.team_id, turn.user_id, value, confirmed=True))
    if verb == blocks.PUBLISH:
        said = commands.publish(services, turn.team_id, turn.user_id, value)
        card = practice_card(services, parse_id(value) or 0, turn.team_id)
        return ButtonAnswer(m.Message(card.fallback, (*card.parts, m.Context((m.line(said),)))) if card else said, card)
    if verb == blocks.ASK:
        return ButtonAnswer(ask_about(services, turn, parse_id(value)))
    if verb == blocks.SLIP_SHARE:  # the slip posted in the conversation becomes the practice's card
        shared = typed.share_line(services, turn, value, as_typed=True) if value else NOT_OURS
        if isinstance(shared, Card):
            return ButtonAnswer(shared.message, shared.message, card=shared.practice_id)
        return ButtonAnswer(shared)
    said = typed.practice(services, turn, value) if value else NOT_OURS  # SLIP_RUN
    return ButtonAnswer(said.message if isinstance(said, Card) else said)


def roundtable_press(services: Services, turn: Turn, verb: str, value: str) -> ButtonAnswer:
    if RSVP_PATTERN.match(verb):
        answered = rsvp(services, turn.team_id, turn.user_id, turn.user_name or turn.user_id, verb, value)
        if answered is None:
            return ButtonAnswer(NOT_OURS)
        return ButtonAnswer(answered.message, answered.message) if answered.message else ButtonAnswer(answered.problem)
    if not services.is_moderator(turn.team_id, turn.user_id):
        return ButtonAnswer(roundtable_commands.REFUSAL)
    if verb == roundtable_blocks.SCHEDULE_DISCARD:
        return ButtonAnswer("Discarded: nothing was scheduled.")
    if verb == roundtable_blocks.CANCEL_CONFIRM:
        done = roundtable_commands.cancel(services, turn.team_id, value, confirmed=True)
        return ButtonAnswer(done.reply, post=m.Message(done.notice) if done.notice else None)
    scheduled = roundtable_commands.confirm_schedule(services, turn.team_id, turn.user_id, value)
    if scheduled.roundtable is None or scheduled.start is None:
        return ButtonAnswer(scheduled.reply)
    return ButtonAnswer(scheduled.reply, post=roundtable_blocks.announcement(scheduled.roundtable, scheduled.start,
                                                                       turn.user_id))


def question_press(services: Services, turn: Turn, value: str) -> ButtonAnswer:
    parsed = question_blocks.parse_button_value(value)
    if parsed is None:
        return ButtonAnswer(NOT_OURS)
    try:
        refusal = mark_answered(services, turn.team_id, parsed[0], turn.user_id, answer_ts=parsed[1])
    except (ChatError, LookupError):  # resolved; its thread's confirmation waits for Teams' Chat (no Slack install)
        refusal = None
    return ButtonAnswer(refusal or "Marked answered. Thank you!")


PRACTICE_VERBS = frozenset({blocks.ADOPT, blocks.WITHDRAW, blocks.DETAILS, blocks.DELETE, blocks.PUBLISH, blocks.ASK,
                            blocks.SLIP_RUN, blocks.SLIP_SHARE})
ROUNDTABLE_VERBS = frozenset({roundtable_blocks.SCHEDULE_CONFIRM, roundtable_blocks.SCHEDULE_DISCARD,
                              roundtable_blocks.CANCEL_CONFIRM})


def press(services: Services, turn: Turn, verb: str, value: str) -> ButtonAnswer:
    if verb in PRACTICE_VERBS:
        return practice_press(services, turn, verb, value)
    if verb in ROUNDTABLE_VERBS or RSVP_PATTERN.match(verb):
        return roundtable_press(services, turn, verb, value)
    if verb == question_blocks.MARK_ANSWERED:
        return question_press(services, turn, value)
    return ButtonAnswer(NOT_OURS)


def verb_and_value(activity: Any) -> tuple[str, str]:
    action = activity.value.action if activity.value else None
    data = action.data if action is not None and isinstance(action.data, dict) else {}
    verb = (action.verb if action is not None else "") or str(data.get("action") or "")
    return verb, str(data.get("value") or "")
