"""Members as the platform knows them: the name shown beside what they shared."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.chat import Chat
from bot.slack import SlackChat


def member_name(platform: WebClient | Chat, user_id: str) -> str:
    """The member's display name (or real name); "" when the platform cannot tell us."""
    chat = SlackChat(platform) if isinstance(platform, WebClient) else platform
    member = chat.member(user_id)
    return member.name if member is not None else ""
