"""The roundtable form (schedule or edit) submitted: saved by bot/roundtables/saving.py, then the
channel is told (a new roundtable, or a new time) and the moderator privately."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.chat import Chat, ChatError
from bot.messages import Inline, Message
from bot.render import slack_forms
from bot.roundtables import blocks, saving
from bot.services import Services
from handlers.slack.replies import team_id_of, user_id_of
from handlers.slack.roundtables import NOT_IN_CHANNEL, learn_channel, post_to_channel


def tell(chat: Chat, channel: str, user_id: str, text: Inline) -> None:
    """A note only `user_id` sees: ephemeral in the channel, or a DM when the bot is not there."""
    try:
        chat.post_private(channel, user_id, Message(text))
    except ChatError:
        chat.send_direct(user_id, Message(text))


def roundtable_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                    services: Services) -> None:
    team_id, user_id = team_id_of(body), user_id_of(body)
    saved = saving.save_form(services, team_id, user_id, slack_forms.submitted(view))
    roundtable, start = saved.roundtable, saved.start
    if roundtable is None or start is None:
        ack(**slack_forms.errors(saved.errors))
        return
    ack()
    home, channel = roundtable.team_id, roundtable.channel_id  # a shared channel's home (Slack Connect)
    learn_channel(services, client, home, channel)
    chat = services.chat_for(team_id)  # the member's own workspace tells them
    if not saved.edited and not post_to_channel(services, home, channel, blocks.announcement(roundtable, start, user_id)):
        chat.send_direct(user_id, {"text": NOT_IN_CHANNEL.format(channel=channel)})
        return
    tell(chat, channel, user_id, blocks.scheduled_text(roundtable, start, "Saved" if saved.edited else "Scheduled"))
    if saved.moved:
        post_to_channel(services, home, channel, blocks.moved(roundtable, saved.before, start))
