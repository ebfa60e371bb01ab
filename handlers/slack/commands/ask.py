"""/ask <question>: posted in the channel as the member's, tracked until it is answered."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import connect, conversations
from bot.chat import ChatError
from bot.questions import asking
from bot.questions import posts as question_posts
from bot.questions.blocks import build_asked
from bot.questions.rules import plain_text
from bot.services import Services
from handlers.slack.home import workspace_url
from handlers.slack.replies import Respond, reply

NOT_IN_CHANNEL = ("I can't post in this conversation. Invite me with `/invite @Roundtable`, "
                  "or ask in a channel I'm in.")


def ask(ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext, services: Services) -> None:
    ack()
    text = plain_text(command.get("text", ""))
    if refusal := asking.refusal(text):
        reply(respond, refusal)
        return
    user_id, channel = command["user_id"], command["channel_id"]
    team_id = connect.home_team(services, command["team_id"], channel)  # a shared channel's home (Slack Connect)
    try:
        posted = services.chat_for(team_id).post(channel, build_asked(user_id, text))
    except ChatError as error:
        if error.code not in ("not_in_channel", "channel_not_found", "is_archived"):
            raise
        reply(respond, NOT_IN_CHANNEL)
        return
    public = conversations.ask_slack(services.client_for(team_id), channel, command.get("channel_name", ""))
    question = asking.track(services, team_id, channel, posted, user_id, text, public)
    if question is not None:
        question_posts.suggest(services, team_id, question.id, workspace_url(context))
