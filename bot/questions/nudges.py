"""The nudge: an open question nobody replied to gets one reminder in its thread per age step
(every QUESTION_NUDGE_DAYS days, at most MAX_NUDGES times), naming suggested experts.

Each step is claimed in the database before posting (a conditional UPDATE), so any number of
tickers post it once; after downtime a question gets one nudge for its current step, never one
per missed step. A failed post gives the step back for the next tick.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digests.threads import read_thread
from bot.outbox import METADATA_EVENT, metadata_for
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
        try:  # the workspace's bot, no retry of its own: a resent post may post twice
            client = services.client_for(team_id, make_client(services.settings, retry_connection_errors=False))
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
            if _nudge(services, client, team_id, question_id, step, nudged, days):
                per_channel[channel_id] += 1
                posted += 1
    return posted


def _nudge(services: Services, client: WebClient, team_id: str, question_id: int, step: int, previous: int,
           days: int) -> bool:
    with services.db.begin() as session:
        question = store.question_by_id(session, team_id, question_id)
        if question is None or not store.claim_nudge(session, question, step):
            return False
        experts = store.experts_of(session, question)  # suggested when it was asked
        if not experts:  # nobody then: the library and the profiles may have grown since
            experts = experts_for(session, question, related_practices(session, question))
            store.add_experts(session, question, experts)
    text, blocks = build_nudge(question, experts, step * days)
    key = f"{question_id}:{step}"
    try:
        client.chat_postMessage(channel=question.channel_id, thread_ts=question.ts, text=text, blocks=blocks,
                                unfurl_links=False, unfurl_media=False,
                                metadata=metadata_for(NUDGE_KIND, key, team_id))
    except Exception as error:  # noqa: BLE001 - one question's failure never ends the run for the others
        refused = isinstance(error, SlackApiError) and error.response.status_code < 500
        if not refused and _posted_in_thread(client, question.channel_id, question.ts, key):
            log.info("nudge for question %s found in its thread after %s", question_id, type(error).__name__)
            return True
        log.warning("nudge for question %s not posted (%s); retrying next tick", question_id,
                    error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__)
        with services.db.begin() as session:
            store.release_nudge(session, question_id, step, previous)
        return False
    log.info("nudged question %s (step %d, %d experts)", question_id, step, len(experts))
    return True


def _posted_in_thread(client: WebClient, channel: str, thread_ts: str, key: str) -> bool:
    """Whether the nudge with this key is in the thread (its outcome was unknown). A thread that
    cannot be read counts as not posted: a nudge repeated is better than one lost."""
    try:
        thread = read_thread(client, channel, thread_ts)
    except Exception:  # noqa: BLE001
        return False
    for message in thread.messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get("kind") == NUDGE_KIND \
                and payload.get("key") == key:
            return True
    return False
