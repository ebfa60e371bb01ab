"""Card buttons from Teams: universal actions (`Action.Execute`, invoke `adaptiveCard/action`).

Each press is answered by the same rule as Slack's button (bot/...); the card returned replaces the
pressed card in place: the practice card with its new adoption count, the reminder with its RSVP
names, the delete prompt with what was done. `press` returns (the card's replacement, something to
post in the conversation or None).
"""

from __future__ import annotations

from typing import Any

from bot import messages as m
from bot.practices import blocks, cards, commands
from bot.practices.adoption import adopt_practice
from bot.roundtables import blocks as roundtable_blocks
from bot.roundtables import commands as roundtable_commands
from bot.roundtables.rsvp import RSVP_PATTERN
from bot.roundtables.rsvp import answer as rsvp
from bot.services import Services
from bot.text import parse_id
from handlers.teams import commands as typed
from handlers.teams.replies import Said, Turn

NOT_OURS = "That button is no longer available."


def adopted(services: Services, turn: Turn, value: str) -> Said:
    done = adopt_practice(services, turn.team_id, turn.user_id, parse_id(value))
    note = blocks.build_adopted(done.message, done.practice.id if done.practice else 0, False)
    shown = cards.load(services, done.practice.team_id, done.practice.id) if done.practice else None
    if shown is None:
        return note
    card = blocks.build_card(shown.practice, shown.sharer, shown.cities)
    return m.Message(card.fallback, (*card.parts, m.Context((note.fallback,))))


def press(services: Services, turn: Turn, verb: str, value: str) -> tuple[Said, Said | None]:
    moderator = services.is_moderator
    if verb == blocks.ADOPT:
        return adopted(services, turn, value), None
    if verb == blocks.DETAILS:
        practice_id = parse_id(value)
        shown = cards.load(services, turn.team_id, practice_id) if practice_id else None
        return (blocks.build_show(shown.practice, shown.sharer, shown.cities) if shown else NOT_OURS), None
    if verb == blocks.DELETE:
        return commands.delete(services, turn.team_id, turn.user_id, value, confirmed=True), None
    if verb == blocks.SLIP_RUN:
        return typed.practice(services, turn, value), None
    if verb == blocks.SLIP_SHARE:
        return typed.practice(services, turn, value) if value else NOT_OURS, None
    if RSVP_PATTERN.match(verb):
        answered = rsvp(services, turn.team_id, turn.user_id, turn.user_name or turn.user_id, verb, value)
        if answered is None:
            return NOT_OURS, None
        return (answered.message or answered.problem), None
    if verb in (roundtable_blocks.SCHEDULE_CONFIRM, roundtable_blocks.CANCEL_CONFIRM, roundtable_blocks.SCHEDULE_DISCARD):
        if not moderator(turn.team_id, turn.user_id):
            return typed.ROUNDTABLE_REFUSAL, None
        if verb == roundtable_blocks.SCHEDULE_DISCARD:
            return "Discarded: nothing was scheduled.", None
        if verb == roundtable_blocks.CANCEL_CONFIRM:
            done = roundtable_commands.cancel(services, turn.team_id, value, confirmed=True)
            return done.reply, (m.Message(done.notice) if done.notice else None)
        scheduled = roundtable_commands.confirm_schedule(services, turn.team_id, turn.user_id, value)
        if scheduled.roundtable is None or scheduled.start is None:
            return scheduled.reply, None
        return scheduled.reply, roundtable_blocks.announcement(scheduled.roundtable, scheduled.start, turn.user_id)
    return NOT_OURS, None


def verb_and_value(activity: Any) -> tuple[str, str]:
    action = activity.value.action if activity.value else None
    data = action.data if action is not None and isinstance(action.data, dict) else {}
    verb = (action.verb if action is not None else "") or str(data.get("action") or "")
    return verb, str(data.get("value") or "")
