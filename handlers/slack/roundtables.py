"""What Slack's roundtable listeners share: whether a channel is public (asked of Slack), and posts
in a roundtable's channel that may fail when the bot is not in it."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot import conversations
from bot.chat import ChatError
from bot.messages import Message
from bot.services import Services
from storage import conversations as conversation_store

log = logging.getLogger("roundtable.roundtables")

NOT_IN_CHANNEL = ("I could not post in <#{channel}>: invite me there with `/invite @Roundtable`, "
                  "or the reminders cannot be posted.")


def learn_channel(services: Services, client: WebClient, team_id: str, channel_id: str, channel_name: str = "") -> None:
    """Whether a roundtable's channel is public (bot.conversations): private ones stay out of lists."""
    public = conversations.ask_slack(client, channel_id, channel_name)
    with services.db.begin() as session:
        conversation_store.record(session, team_id, channel_id, public, services.clock())


def post_to_channel(services: Services, team_id: str, channel: str, message: Message) -> bool:
    try:
        services.chat_for(team_id).post(channel, message)
        return True
    except ChatError as error:
        log.warning("could not post to %s: %s", channel, error.code)
        return False
