"""Question tracking rules: what counts as a question, and what messages, edits, deletions,
thread replies and confirmations do to the record. Plain functions on a Session; no Slack calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.practices.rules import LIMITS, PracticeDraft
from bot.questions.events import ConversationEvent, Edited, Reacted, Removed, Seen
from bot.questions.suggestions import question_topics, significant_words
from bot.text import truncate
from bot.topics import is_known
from storage import conversations as conversation_store
from storage import questions as store
from storage.profiles import Profile
from storage.questions import ANSWERED, CLOSED, OPEN, PENDING, UNRESOLVED, Answer, Question

QUESTION_OPENERS = re.compile(
    r"(how|what|why|who|where|when|which|can|could|should|does|is|are|has\s+anyone)\b", re.IGNORECASE)
MIN_WORDS = 3  # "what?" or "anyone?" is chatter, not a question to track and nudge about
LEADING_NOISE = re.compile(r"^(?:\s|@\S+|:[\w+-]+:|[^\w\s])+")  # mentions, :emoji:, punctuation first
CONFIRM_REACTIONS = frozenset({"white_check_mark", "heavy_check_mark"})
SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text(slack_text: str) -> str:
    """Slack's message text as a person reads it: `<@U1>` -> `@U1`, `<url|label>` -> `label`,
    `<!here>` -> `@here`, entities decoded. Stored plain; escaped again whenever it is shown."""

    def readable(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@", "#")):
            return (target[0] + label.lstrip("@#")) if label else target
        if target.startswith("!"):
            return "@" + (label.lstrip("@") if label else target[1:].split("^")[0])
        return label or target

    text = SLACK_LINK.sub(readable, slack_text or "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def is_askable(text: str) -> bool:
    """Whether `/ask <text>` holds a question worth tracking: three words, or two and a `?`
    (`/ask hi` or `/ask test` is a slip, not a question for the exchange)."""
    words = len(text.split())
    return words >= 3 or (words >= 2 and text.rstrip().endswith("?"))


def is_question(text: str) -> bool:
    """Ends with `?`, or opens like one (how, what, ..., has anyone), in at least MIN_WORDS words."""
    text = text.strip()
    words = LEADING_NOISE.sub("", text)
    if len(words.split()) < MIN_WORDS:
        return False
    return text.rstrip(" !)\"'*_").endswith("?") or bool(QUESTION_OPENERS.match(words))


@dataclass
class Outcome:
    """What a message event did, so the platform's listener knows what to say."""

    kind: str  # "asked", "answered", "updated", "removed" or "ignored"
    question: Question | None = None
    answer: Answer | None = None
    new_answerer: bool = False  # the answer's author had not replied to this question before
    delete_ts: str = ""  # the bot's reply to take down with a removed question


IGNORED = Outcome("ignored")


def on_message(session: Session, team_id: str, event: ConversationEvent, now: datetime) -> Outcome:
    """Apply one message event (posted, edited or removed) to the question records."""
    if event.public is not None:
        conversation_store.record(session, team_id, event.channel, event.public, now)
    if isinstance(event, Edited):
        return _on_edit(session, team_id, event, now)
    if isinstance(event, Removed):
        return _on_delete(session, team_id, event.channel, event.ref)
    if isinstance(event, Seen):
        return IGNORED
    if event.thread and event.thread != event.ref:
        return _on_reply(session, team_id, event.channel, event.thread, event.ref, event.user_id, event.text, now)
    if event.broadcast or not is_question(event.text):
        return IGNORED
    question = store.add_question(session, team_id, event.channel, event.ref, event.user_id, event.text, now)
    return Outcome("asked", question) if question else IGNORED


def _on_reply(session: Session, team_id: str, channel: str, thread_ts: str, ts: str, user: str,
              text: str, now: datetime) -> Outcome:
    question = store.question_at(session, team_id, channel, thread_ts)
    if question is None or user == question.user_id:
        return IGNORED
    earlier = {a.user_id for a in store.answers_to(session, question)}
    if not store.add_answer(session, question, ts, user, text, now):
        return IGNORED
    if question.status == OPEN:
        question.status = PENDING
        question.updated_at = now
    answer = store.answer_at(session, team_id, channel, ts)
    return Outcome("answered", question, answer[1] if answer else None, new_answerer=user not in earlier)


def _on_edit(session: Session, team_id: str, event: Edited, now: datetime) -> Outcome:
    channel, ts, text = event.channel, event.ref, event.text
    if event.thread and event.thread != ts:
        found = store.answer_at(session, team_id, channel, ts)
        if found is None:
            return IGNORED
        found[1].text = text[: store.TEXT_LIMIT]
        return Outcome("updated", found[0], found[1])
    question = store.question_at(session, team_id, channel, ts)
    if question is None:
        if not is_question(text):
            return IGNORED
        added = store.add_question(session, team_id, channel, ts, event.user_id, text, now)
        return Outcome("asked", added) if added else IGNORED
    if not is_question(text) and question.status == OPEN:
        return _on_delete(session, team_id, channel, ts)
    question.text = text[: store.TEXT_LIMIT]
    question.updated_at = now
    return Outcome("updated", question)


def _on_delete(session: Session, team_id: str, channel: str, ts: str) -> Outcome:
    question = store.question_at(session, team_id, channel, ts)
    if question is not None:
        session.execute(delete(Question).where(Question.id == question.id))
        return Outcome("removed", question, delete_ts=question.reply_ts)
    found = store.answer_at(session, team_id, channel, ts)
    if found is None:
        return IGNORED
    question, answer = found
    session.execute(delete(Answer).where(Answer.id == answer.id))
    if question.answer_ts == ts:
        question.answer_ts = ""
    if question.status == PENDING and not store.answers_to(session, question):
        question.status = OPEN
    return Outcome("updated", question)


@dataclass
class Resolution:
    question: Question
    answer: Answer | None  # the accepted answer; None when closed without one


def clear_answer(answers: list[Answer]) -> Answer | None:
    """The reply that answered, when it is clear without asking: the only reply, or the only one
    that is not itself a question (a moderator's "Did that work?" is a follow-up, not an answer)."""
    if len(answers) == 1:
        return answers[0]
    statements = [a for a in answers if not is_question(a.text)]
    return statements[0] if len(statements) == 1 else None


def replies_to_choose(session: Session, question: Question, answer_ts: str) -> list[Answer]:
    """The replies the asker must choose between (empty when the answer is known or clear)."""
    if answer_ts or question.status not in UNRESOLVED:
        return []
    answers = store.answers_to(session, question)
    return answers if answers and clear_answer(answers) is None else []


def resolve(session: Session, question: Question, by_user: str, now: datetime,
            answer_ts: str = "") -> Resolution | None:
    """Mark a question answered (with the given reply, else the one that clearly answered) or
    closed without an answer when nobody replied. None when it was already resolved, or when
    several replies could be the answer (`replies_to_choose` asks). Permissions are the caller's."""
    if question.status not in UNRESOLVED:
        return None
    answers = store.answers_to(session, question)
    answer = next((a for a in answers if a.ts == answer_ts), None) if answer_ts else None
    if answer is None and answers and not answer_ts:
        answer = clear_answer(answers)
        if answer is None:
            return None
    question.status = ANSWERED if answer else CLOSED
    question.answer_ts = answer.ts if answer else ""
    question.closed_by = by_user
    question.closed_at = question.updated_at = now
    return Resolution(question, answer)


def reaction_target(session: Session, team_id: str, event: Reacted) -> tuple[Question, str] | None:
    """The question a confirming reaction is about, and the answer ts it picks ("" = the latest)."""
    if event.reaction not in CONFIRM_REACTIONS:
        return None
    question = store.question_at(session, team_id, event.channel, event.ref)
    if question is not None:
        return question, ""
    found = store.answer_at(session, team_id, event.channel, event.ref)
    return (found[0], found[1].ts) if found else None


def practice_draft(session: Session, team_id: str, question_id: int, user_id: str) -> PracticeDraft | None:
    """The share modal's draft for "Save as practice": the question as the problem, the accepted
    answer as what was done, the city of whoever answered, the topics the question names."""
    question = store.question_by_id(session, team_id, question_id)
    if question is None:
        return None
    answer = accepted_answer(session, question)
    profile = session.get(Profile, (team_id, answer.user_id if answer else user_id))  # the answerer's city
    words = significant_words(question.text)
    return PracticeDraft(
        title=truncate(question.text.split("\n")[0], LIMITS["title"]),
        city=profile.city if profile else "",
        problem=truncate(question.text, LIMITS["problem"]),
        solution=truncate(answer.text, LIMITS["solution"]) if answer else "",
        topics=sorted(t for t in question_topics(words) if is_known(t)),
    )


def accepted_answer(session: Session, question: Question) -> Answer | None:
    if not question.answer_ts:
        return None
    return next((a for a in store.answers_to(session, question) if a.ts == question.answer_ts), None)


@dataclass(frozen=True)
class Credit:
    """Who a practice saved from a question is by: the member who answered is its sharer."""

    user_id: str
    asked_by: str
    saved_by: str


def credit(session: Session, team_id: str, question_id: int, saver: str) -> Credit:
    """The credit for a practice saved from question `question_id` by `saver` (the saver alone
    when the question has no accepted answer or is gone)."""
    question = store.question_by_id(session, team_id, question_id)
    answer = accepted_answer(session, question) if question is not None else None
    return Credit(user_id=answer.user_id if answer else saver,
                  asked_by=question.user_id if question is not None else "", saved_by=saver)
