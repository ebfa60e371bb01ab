"""Saving a digest from Teams: *Save discussion digest* in a channel message's "More actions" menu
(the package's message action) opens the draft of its thread as a dialog, and `@Roundtable digest
save` typed as a reply in the thread answers with a button that opens it. The thread is read through
Microsoft Graph (bot/teams/graph.py, the app's RSC permission in the team) and drafted, checked and
saved by the same functions as Slack's *Save discussion digest* (bot/digests/), then posted in it.

The button carries the thread sealed for the member who asked (bot/digests/blocks.ThreadRef, the
same seal as the draft's state), so nobody else's press, and no edited button, reads a thread; the
team's Graph id (`channelData.team.aadGroupId`, kept from the activity, never stored) rides beside
it: another team's id only makes Graph refuse.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

import httpx

from bot import forms as f
from bot import messages as m
from bot.chat import ChatError
from bot.digests import blocks
from bot.digests.commands import draft_form, seal_key
from bot.digests.draft import Draft, participants
from bot.digests.rules import CANNOT_READ, CANNOT_READ_OTHER, NOT_A_THREAD
from bot.digests.threads import Thread
from bot.services import Services
from bot.teams.chat import TeamsChat
from bot.teams.graph import read_thread
from bot.teams.names import UNKNOWN
from bot.teams.wording import THREAD
from bot.teams_app.package import MESSAGE_ACTION
from handlers.teams.replies import DIGEST_DRAFT, Said, Turn, opens

log = logging.getLogger("roundtable.digests")
SAVE_DIGEST = MESSAGE_ACTION["id"]  # the message action's command id
STALE = (
    "This button drafts a digest for the member who asked for it: reply in the thread with "
    "`@Roundtable digest save` for your own."
)


def save_button(services: Services, turn: Turn) -> Said:
    """The answer to `digest save`: in a channel thread, the button that opens the draft; else why not."""
    channel, _, root = turn.conversation_id.partition(THREAD)
    if turn.conversation_type != "channel" or not root or not turn.team_group:
        return NOT_A_THREAD
    ref = blocks.ThreadRef(channel, root).encode(seal_key(services.settings), turn.user_id, turn.team_id)
    value = json.dumps({"thread": ref, "team": turn.team_group})
    return m.Message(
        m.line("Save a digest of this thread"),
        (
            m.Paragraph(
                m.line(
                    "I read the whole thread and open a draft for you to edit before it is saved and "
                    "posted here."
                )
            ),
            opens("Draft the digest", DIGEST_DRAFT, value),
        ),
    )


def draft(services: Services, turn: Turn, value: str) -> f.Form | str:
    """The button's thread read through Graph and drafted, as the form to edit; or why it cannot be."""
    try:
        data = json.loads(value)
        sealed, group = str(data["thread"]), str(data["team"])
    except (ValueError, KeyError, TypeError):
        return STALE
    ref = blocks.ThreadRef.decode(sealed, seal_key(services.settings), turn.user_id, turn.team_id)
    if ref is None:
        return STALE
    return draft_of(services, turn, ref.channel_id, ref.thread_ts, group)


def from_message(services: Services, turn: Turn, action: Any) -> f.Form | str:
    """*Save discussion digest* from a message's "More actions" menu (a message action: the
    `composeExtension/fetchTask` invoke, with the message it was used on): its thread's draft."""
    payload = getattr(action, "message_payload", None)
    root = (getattr(payload, "reply_to_id", None) or getattr(payload, "id", None) or "") if payload else ""
    in_a_channel = turn.conversation_type == "channel" and root and turn.team_group
    if getattr(action, "command_id", "") != SAVE_DIGEST or not in_a_channel:
        return NOT_A_THREAD
    return draft_of(services, turn, turn.conversation_id.partition(THREAD)[0], str(root), turn.team_group)


def draft_of(services: Services, turn: Turn, channel_id: str, root: str, group: str) -> f.Form | str:
    """The thread `root` of `channel_id` (in the team whose Graph id is `group`) read and drafted."""
    token = services.graph_token_source(turn.team_id)
    try:
        thread, names = read_thread(services.settings.teams_graph_url, token, group, channel_id, root)
    except ChatError as error:
        log.warning("could not read teams thread %s: %s", root, error.code)
        return CANNOT_READ.get(error.code, CANNOT_READ_OTHER)
    thread, names = as_teams_members(services, turn.team_id, thread, names)
    named = {user: names.get(user) or UNKNOWN for user in participants(thread.messages)}  # never an id
    return draft_form(services, turn.team_id, turn.user_id, thread, named)


def as_teams_members(
    services: Services, team_id: str, thread: Thread, names: dict[str, str]
) -> tuple[Thread, dict[str, str]]:
    """The thread with each speaker by their Teams user id (Graph gives Entra object ids), so their
    profile's role and city are found; one the roster does not give (or a roster that fails) keeps
    the object id, named all the same."""
    chat = services.chat_for(team_id)
    speakers = participants(thread.messages)
    try:
        ids = chat.teams_ids(thread.channel_id, speakers) if isinstance(chat, TeamsChat) else {}
    except (ChatError, httpx.HTTPError) as error:
        log.warning("teams roster not read: %s", type(error).__name__)
        ids = {}
    messages = [
        {**message, "user": ids.get(message["user"], message["user"])} if "user" in message else message
        for message in thread.messages
    ]
    renamed = {ids.get(user, user): name for user, name in names.items()}
    return replace(thread, messages=messages), renamed


def refused(sent: f.Submitted) -> f.Form:
    """The draft form as the member left it, to show again with the errors at their fields."""
    ref = blocks.ThreadRef.decode(sent.state) or blocks.ThreadRef("", "")
    kept = Draft(
        f.text(sent.values, "title"),
        f.text(sent.values, "body"),
        list(ref.participant_ids),
        ref.message_count,
    )
    return blocks.build_draft_form(kept, ref, True, sent.state)
