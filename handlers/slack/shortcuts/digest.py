"""*Save discussion digest* from a thread's message menu: the thread read from Slack, the draft in a form."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import conversations
from bot.chat import ChatError
from bot.digests import blocks
from bot.digests.commands import draft_form
from bot.digests.draft import participants
from bot.digests.rules import CANNOT_READ, CANNOT_READ_OTHER, NO_THREAD, thread_root
from bot.digests.threads import member_names, read_thread
from bot.messages import line
from bot.services import Services
from handlers.slack.replies import Respond, reply

log = logging.getLogger("roundtable.digests")


def save_digest(ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond, services: Services) -> None:
    ack()
    team_id = shortcut["team"]["id"]
    channel = shortcut.get("channel") or {}
    channel_id = channel.get("id", "")
    root = thread_root(shortcut.get("message") or {})
    if root is None or not channel_id:
        reply(respond, NO_THREAD)
        return
    chat = services.chat_for(team_id)
    view_id = chat.open_form(shortcut["trigger_id"], blocks.build_reading_form(blocks.ThreadRef(channel_id, root)))
    try:
        thread = read_thread(client, channel_id, root)
    except ChatError as error:
        log.warning("could not read thread %s/%s: %s", channel_id, root, error.code)
        chat.update_form(view_id, blocks.build_problem_form(line(CANNOT_READ.get(error.code, CANNOT_READ_OTHER))))
        return
    names = member_names(client, participants(thread.messages))
    public = conversations.ask_slack(client, channel_id, channel.get("name", ""))
    chat.update_form(view_id, draft_form(services, team_id, shortcut["user"]["id"], thread, names, public))
