"""What happened in a conversation, in the bot's own terms: each platform's edge translates its
events into these (Slack's message subtypes are read in handlers/slack/events/messages.py), and the
question rules (bot/questions/rules.py) read only these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Said:
    """A member's message and its text as a person reads it; a reply when `thread` is set."""

    channel: str
    ref: str
    user_id: str
    text: str
    thread: str = ""


@dataclass(frozen=True)
class Posted(Said):
    """A new message. `broadcast`: a reply also sent to the channel; `public`: whether the
    conversation is, when said."""

    broadcast: bool = False
    public: bool | None = None


@dataclass(frozen=True)
class Edited(Said):
    """A member's message whose text changed."""

    public: bool | None = None


@dataclass(frozen=True)
class Removed:
    """A message deleted (or, with replies under it, left as a placeholder)."""

    channel: str
    ref: str
    public: bool | None = None


@dataclass(frozen=True)
class Reacted:
    """A reaction added to a message (`reaction` without its skin tone)."""

    channel: str
    ref: str
    reaction: str
    user_id: str


@dataclass(frozen=True)
class Seen:
    """A message the question rules pass over (a bot's post, a join), which may still say whether the
    conversation is public."""

    channel: str
    public: bool | None = None


ConversationEvent = Posted | Edited | Removed | Seen
