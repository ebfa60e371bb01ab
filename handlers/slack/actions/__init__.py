"""Buttons, one listener each (Approve / Decline only where there is an exchange to join)."""

from slack_bolt import App

from bot import exchange_requests
from bot.practices import blocks as practice_blocks
from bot.questions.blocks import MARK_ANSWERED, SAVE_AS_PRACTICE
from bot.roundtables import blocks as roundtable_blocks
from bot.roundtables.rsvp import RSVP_PATTERN
from handlers.slack.actions import exchange, practice, question, roundtable
from handlers.slack.errors import guarded

LISTENERS = (
    (practice_blocks.ADOPT, practice.adopt),
    (practice_blocks.WITHDRAW, practice.withdraw),
    (practice_blocks.ASK, practice.ask_about),
    (practice_blocks.DETAILS, practice.details),
    (practice_blocks.EDIT, practice.edit),
    (practice_blocks.PUBLISH, practice.publish),
    (practice_blocks.DELETE, practice.delete_confirmed),
    (practice_blocks.SLIP_RUN, practice.run_suggested),
    (practice_blocks.SLIP_SHARE, practice.share_as_typed),
    (roundtable_blocks.SCHEDULE_CONFIRM, roundtable.confirm_schedule),
    (roundtable_blocks.SCHEDULE_DISCARD, roundtable.discard_schedule),
    (roundtable_blocks.CANCEL_CONFIRM, roundtable.confirm_cancel),
    (RSVP_PATTERN, roundtable.answer_rsvp),
    (MARK_ANSWERED, question.mark_answered),
    (SAVE_AS_PRACTICE, question.save_as_practice),
)
EXCHANGE_LISTENERS = ((exchange_requests.APPROVE, exchange.approve), (exchange_requests.DECLINE, exchange.decline))


def register(app: App, *, exchange_requests_on: bool = False) -> None:
    for action_id, listener in (*LISTENERS, *(EXCHANGE_LISTENERS if exchange_requests_on else ())):
        app.action(action_id)(guarded(listener))
