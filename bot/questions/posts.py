"""What the bot says about questions, through the platform seam (`services.chat_for(team_id)`). Runs after the
ack, one unit of work per step: the database is never held open across a platform call (a 429
can wait out Retry-After)."""

from __future__ import annotations

import logging

from bot import messages as m
from bot.chat import ChatError
from bot.questions import rules as questions
from bot.questions.blocks import (
    EYES,
    build_answer_prompt,
    build_resolution,
    build_suggestion,
    build_which_reply,
    permalink,
)
from bot.questions.suggestions import find_suggestion
from bot.services import Services
from storage import questions as store
from storage.questions import UNRESOLVED, Answer, Question

log = logging.getLogger("roundtable.questions")


def suggest(services: Services, team_id: str, question_id: int, workspace_url: str = "") -> None:
    """Reply once in a new question's thread when the exchange knows something; else react :eyes:."""
    with services.db.begin() as session:
        question = store.question_by_id(session, team_id, question_id)
        if question is None or question.reply_ts:
            return
        found = find_suggestion(session, question, workspace_url)
        store.add_experts(session, question, found.experts)
    if not found:
        react(services, team_id, question.channel_id, question.ts, EYES)
        log.info("question %s tracked; nothing related found", question_id)
        return
    posted = services.chat_for(question.team_id).post(question.channel_id, build_suggestion(question, found.practices, found.experts),
                                thread=question.ts)
    with services.db.begin() as session:
        current = store.question_by_id(session, team_id, question_id)
        if current is not None:
            current.reply_ts = posted
    if current is None:  # deleted while we searched: take the orphan reply down
        take_down(services, team_id, question.channel_id, posted)
    log.info("question %s: suggested %d practices, %d experts", question_id,
             len(found.practices), len(found.experts))


def react(services: Services, team_id: str, channel: str, ts: str, name: str) -> None:
    try:
        services.chat_for(team_id).react(channel, ts, name)
    except ChatError as error:
        if error.code not in ("already_reacted", "reactions_not_supported"):  # Teams bots cannot react
            log.warning("could not react :%s: to %s: %s", name, ts, error.code)


def take_down(services: Services, team_id: str, channel: str, ts: str) -> None:
    if not ts:
        return
    try:
        services.chat_for(team_id).delete(channel, ts)
    except ChatError as error:
        if error.code != "message_not_found":
            log.warning("could not delete reply %s: %s", ts, error.code)


def replied(services: Services, outcome: questions.Outcome) -> None:
    """A reply recorded as an answer: the asker is prompted the first time each member answers a
    question still unresolved (every platform's edge calls this after the question rules)."""
    question, answer = outcome.question, outcome.answer
    if (outcome.kind == "answered" and question is not None and answer is not None and outcome.new_answerer
            and question.status in UNRESOLVED):
        prompt_asker(services, question, answer)


def prompt_asker(services: Services, question: Question, answer: Answer) -> None:
    """Tell the asker, and only them, that someone replied, with a Mark answered button."""
    try:
        services.chat_for(question.team_id).post_private(question.channel_id, question.user_id, build_answer_prompt(question, answer),
                                   thread=question.ts)
    except ChatError as error:  # e.g. the asker left the channel: the reaction still works
        log.warning("could not prompt the asker of question %s: %s", question.id, error.code)


def mark_answered(services: Services, team_id: str, question_id: int, by_user: str, *,
                  answer_ts: str = "", workspace_url: str = "") -> m.Inline | str | None:
    """Resolve a question for its asker or a moderator and confirm it in the thread.

    Returns a short line for the person when nothing was done, None when it was resolved.
    """
    with services.db.begin() as session:
        question = store.question_by_id(session, team_id, question_id)
        if question is None:
            return "That question is no longer tracked (it was deleted)."
        asker = question.user_id
    if by_user != asker and not services.is_moderator(team_id, by_user):
        return m.line("Only ", m.Mention(asker), " or a moderator can mark this question answered.")
    with services.db.begin() as session:
        question = store.question_by_id(session, team_id, question_id)
        choices = questions.replies_to_choose(session, question, answer_ts) if question is not None else []
        resolution = questions.resolve(session, question, by_user, services.clock(), answer_ts) if (
            question is not None and not choices) else None
    if choices and question is not None:
        ask_which_reply(services, question, choices, by_user)
        return "Several replies could be the answer: I asked you which one, in the thread."
    if resolution is None:
        return "This question is already marked answered."
    question, answer = resolution.question, resolution.answer
    link = permalink(workspace_url, question.channel_id, answer.ts, question.ts) if answer else ""
    services.chat_for(question.team_id).post(question.channel_id, build_resolution(question, answer, by_user, link, save_as_practice=True),
                       thread=question.ts)
    log.info("question %s %s by %s", question.id, question.status, by_user)
    return None


def ask_which_reply(services: Services, question: Question, answers: list[Answer], user_id: str) -> None:
    """Several replies could be the answer: the person confirming picks one (only they see it)."""
    try:
        services.chat_for(question.team_id).post_private(question.channel_id, user_id, build_which_reply(question, answers),
                                   thread=question.ts)
    except ChatError as error:
        log.warning("could not ask which reply answered question %s: %s", question.id, error.code)
