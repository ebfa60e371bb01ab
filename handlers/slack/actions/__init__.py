"""Buttons, one listener each (Approve / Decline only where there is an exchange to join)."""

from slack_bolt import App

from bot import exchange_requests
from bot.practices import blocks as practice_blocks
from bot.questions.blocks import MARK_ANSWERED, SAVE_AS_PRACTICE
from bot.roundtables import blocks as roundtable_blocks
from bot.roundtables.rsvp import RSVP_PATTERN
from handlers.slack.actions import exchange, practice, question, roundtable
from handlers.slack.errors import guarded


def register(app: App, *, exchange_requests_on: bool = False) -> None:
    app.action(practice_blocks.ADOPT)(guarded(practice.adopt))
    app.action(practice_blocks.WITHDRAW)(guarded(practice.withdraw))
    app.action(practice_blocks.ASK)(guarded(practice.ask_about))
    app.action(practice_blocks.DETAILS)(guarded(practice.details))
    app.action(practice_blocks.EDIT)(guarded(practice.edit))
    app.action(practice_blocks.PUBLISH)(guarded(practice.publish))
    app.action(practice_blocks.DELETE)(guarded(practice.delete_confirmed))
    app.action(practice_blocks.SLIP_RUN)(guarded(practice.run_suggested))
    app.action(practice_blocks.SLIP_SHARE)(guarded(practice.share_as_typed))
    app.action(roundtable_blocks.SCHEDULE_CONFIRM)(guarded(roundtable.confirm_schedule))
    app.action(roundtable_blocks.SCHEDULE_DISCARD)(guarded(roundtable.discard_schedule))
    app.action(roundtable_blocks.CANCEL_CONFIRM)(guarded(roundtable.confirm_cancel))
    app.action(RSVP_PATTERN)(guarded(roundtable.answer_rsvp))
    app.action(MARK_ANSWERED)(guarded(question.mark_answered))
    app.action(SAVE_AS_PRACTICE)(guarded(question.save_as_practice))
    if exchange_requests_on:
        app.action(exchange_requests.APPROVE)(guarded(exchange.approve))
        app.action(exchange_requests.DECLINE)(guarded(exchange.decline))
