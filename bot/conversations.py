"""Telling a public channel from a private one, so private conversations stay in them.

The rule (README, "Private conversations"): only public channels feed the exchange-wide
surfaces. What the bot learns is stored by storage.conversations, which every such surface
reads. Sources, most trusted first: an event's `channel_type` ("channel" is public; "group",
"im" and "mpim" are not); `conversations.info` (`is_channel` and not `is_private`); a slash
command's `channel_name` only ever marks a conversation private ("privategroup",
"directmessage", "mpdm"), since a name alone cannot prove one public. Unknown means private.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

log = logging.getLogger("roundtable.conversations")
PUBLIC_TYPES = frozenset({"channel"})
PRIVATE_TYPES = frozenset({"group", "im", "mpim"})
PRIVATE_NAMES = frozenset({"privategroup", "directmessage", "mpdm"})


def from_event(event: dict[str, Any]) -> bool | None:
    """True for a public channel, False for a private one, None when the event does not say."""
    kind = event.get("channel_type")
    if kind in PUBLIC_TYPES:
        return True
    if kind in PRIVATE_TYPES:
        return False
    return None


def from_info(channel: dict[str, Any]) -> bool:
    flags = ("is_private", "is_im", "is_mpim", "is_group")
    return channel.get("is_channel") is True and not any(channel.get(flag) for flag in flags)


def ask_slack(client: WebClient, channel_id: str, channel_name: str = "") -> bool:
    """Whether the channel is public, asking conversations.info; any doubt answers False."""
    if channel_name in PRIVATE_NAMES or not channel_id:
        return False
    try:
        return from_info(client.conversations_info(channel=channel_id).get("channel") or {})
    except Exception as error:  # noqa: BLE001 - cannot tell: private, as the rule says
        log.info("conversations.info %s failed (%s): treated as private", channel_id, type(error).__name__)
        return False
