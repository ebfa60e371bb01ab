"""The nudge: an open question nobody replied to gets one reminder in its thread per age step
(every QUESTION_NUDGE_DAYS days, at most MAX_NUDGES times), naming suggested experts.

Each step is claimed in the database before posting (a conditional UPDATE), so any number of
tickers post it once; after downtime a question gets one nudge for its current step, never one
per missed step. A failed post gives the step back for the next tick.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.chat import Chat, ChatError, DeliveryKey, NoHistory
from bot.questions.blocks import build_nudge
from bot.questions.suggestions import experts_for, related_practices
from bot.services import Services
from bot.slack import make_client
from storage import questions as store

log = logging.getLogger("roundtable.nudges")
MAX_NUDGES = 3  # after three reminders a question is left to the moderators and the Home tab
NUDGE_KIND = "nudge"  # metadata kind; the key is question id and age step
PER_CHANNEL_PER_RUN = 5  # a backlog is spread over several ticks, never a burst in one channel


def age_step(asked_at: datetime, now: datetime, days: int) -> int:
    """0 before the first `days` have passed, 1 after them, 2 after twice as long..."""
    return max(0, (now - asked_at) // timedelta(days=days))


def nudge_questions(services: Services) -> int:
    """Post the nudges that are due; returns how many were posted."""
    days, now = services.settings.question_nudge_days, services.clock()
    with services.db.begin() as session:
        teams = store.teams_with_open_questions(session)
    posted = 0
    for team_id in teams:
        try:  # the workspace's bot, no retry of its own: a resent post may post twice (look first)
            chat = services.chat_for(team_id, make_client(services.settings, retry_connection_errors=False))
        except LookupError:  # bot.installs.NotInstalled: uninstalled, its questions wait (not claimed)
            log.info("nudges for workspace %s skipped: Roundtable is not installed there", team_id)
            continue
        with services.db.begin() as session:
            due = store.due_for_nudge(session, team_id, now - timedelta(days=days), MAX_NUDGES)
        per_channel: Counter[str] = Counter()
        for question_id, channel_id, asked_at, nudged in due:
            step = min(age_step(asked_at, now, days), MAX_NUDGES)
            if step <= nudged or per_channel[channel_id] >= PER_CHANNEL_PER_RUN:
                continue
            if _nudge(services, chat, team_id, question_id, step, nudged, days):
                per_channel[channel_id] += 1
                posted += 1
    return posted


def _nudge(services: Services, chat: Chat, team_id: str, question_id: int, step: int, previous: int,
           days: int) -> bool:
    with services.db.begin() as session:
        question = store.question_by_id(session, team_id, question_id)
        if question is None or not store.claim_nudge(session, question, step):
            return False
        experts = store.experts_of(session, question)  # suggested when it was asked
        if not experts:  # nobody then: the library and the profiles may have grown since
            experts = experts_for(session, question, related_practices(session, question))
            store.add_experts(session, question, experts)
    key = DeliveryKey(team_id, NUDGE_KIND, f"{question_id}:{step}")  # a resent post may post twice: look first
    try:
        chat.post(question.channel_id, build_nudge(question, experts, step * days), thread=question.ts, key=key)
    except Exception as error:  # noqa: BLE001 - one question's failure never ends the run for the others
        refused = isinstance(error, ChatError) and error.refused
        if not refused and _posted_in_thread(chat, question.channel_id, question.ts, key):
            log.info("nudge for question %s found in its thread after %s", question_id, type(error).__name__)
            return True
        log.warning("nudge for question %s not posted (%s); retrying next tick", question_id,
                    error.code if isinstance(error, ChatError) else type(error).__name__)
        with services.db.begin() as session:
            store.release_nudge(session, question_id, step, previous)
        return False
    log.info("nudged question %s (step %d, %d experts)", question_id, step, len(experts))
    return True


def _posted_in_thread(chat: Chat, channel: str, thread_ts: str, key: DeliveryKey) -> bool:
    """Whether the nudge with this key is in the thread (its outcome was unknown). A thread that
    cannot be read now counts as not posted: a nudge repeated is better than one lost. A platform with
    no history at all (Teams) counts as posted: the same nudge would be repeated on every failure."""
    try:
        return chat.find_posted(channel, key, _since(thread_ts), thread=thread_ts) is not None
    except NoHistory:
        log.warning("nudge %s: outcome unknown and no history to check; counted as posted", key.key)
        return True
    except Exception:  # noqa: BLE001
        return False


def _since(thread_ts: str) -> datetime:
    try:
        return datetime.fromtimestamp(float(thread_ts), UTC)
    except ValueError:  # a Teams activity id is not a time
        return datetime.fromtimestamp(0, UTC)
