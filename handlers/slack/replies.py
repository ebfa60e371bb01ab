"""What a Slack listener reads from a payload (who, where, which button) and how it answers
privately: a line of text, a line of segments or a whole message, rendered for Slack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import messages as m
from bot.render import slack

Respond = Callable[..., object]
Said = m.Message | m.Inline | str


def reply_args(said: Said) -> dict[str, Any]:
    """respond() arguments for a reply: Slack's text, or a whole rendered message."""
    if isinstance(said, m.Message):
        return slack.message(said)
    return {"text": said if isinstance(said, str) else slack.mrkdwn(said)}


def reply(respond: Respond, said: Said, **extra: Any) -> None:
    """An ephemeral answer for the member who typed or pressed (`replace_original` as `extra`)."""
    respond(response_type="ephemeral", **reply_args(said), **extra)


def note(respond: Respond, said: Said) -> None:
    """An ephemeral answer under a button's message, which stays as it was."""
    reply(respond, said, replace_original=False)


def team_id_of(body: dict[str, Any]) -> str:
    return body["team"]["id"]


def user_id_of(body: dict[str, Any]) -> str:
    return body["user"]["id"]


def button_value(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("value", "")).strip()


def channel_of(body: dict[str, Any]) -> str:
    """Where a button was pressed: its message's channel, or the container's."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""


def as_command(body: dict[str, Any]) -> dict[str, Any]:
    """A button press under one of our replies, as the command fields the command listeners read."""
    return {"team_id": team_id_of(body), "user_id": user_id_of(body), "trigger_id": body["trigger_id"],
            "channel_id": channel_of(body), "channel_name": (body.get("channel") or {}).get("name", "")}
