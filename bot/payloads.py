"""Slack-shaped request payloads, signed exactly as Slack signs them.

Console mode feeds these to the real app; tests send them over HTTP or dispatch them in-process.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.render import slack_forms

# The workspace a request comes from unless told: the emulator plays this team (bot.emulator.TEAM_ID).
DEFAULT_TEAM = "T0ROUNDTBL"
_ids = itertools.count(1)


@dataclass(frozen=True)
class SignedRequest:
    body: str
    headers: dict[str, str | Sequence[str]]


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def signed(body: str, content_type: str, secret: str, timestamp: int | None = None,
           extra_headers: dict[str, str] | None = None) -> SignedRequest:
    headers: dict[str, str | Sequence[str]] = {
        "Content-Type": content_type, **sign(body, secret, timestamp), **(extra_headers or {})
    }
    return SignedRequest(body, headers)


def slash_command(command: str, text: str, *, user: str, channel: str = "C0GENERAL",
                  response_url: str = "", team: str = DEFAULT_TEAM) -> dict[str, str]:
    return {
        "token": "unused", "team_id": team, "team_domain": "roundtable",
        "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": user.lower(),
        "command": command, "text": text, "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}", "api_app_id": "A0ROUNDTBL",
    }


def event_callback(event: dict[str, Any], *, event_id: str | None = None,
                   team: str = DEFAULT_TEAM) -> dict[str, Any]:
    return {
        "token": "unused", "team_id": team, "api_app_id": "A0ROUNDTBL", "type": "event_callback",
        "event": event, "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "U0ROUNDBOT", "is_bot": True}],
    }


def message_event(text: str, *, user: str, channel: str = "C0GENERAL", ts: str | None = None,
                  thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    event = {"type": "message", "channel": channel, "user": user, "text": text,
             "ts": ts or f"{1_800_000_000 + next(_ids)}.000100", "channel_type": "channel", **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message_changed(message: dict[str, Any], new_text: str, *, channel: str = "C0GENERAL",
                    **changes: Any) -> dict[str, Any]:
    """Slack's event when `message` (a message_event) was edited; `changes` patch the new version."""
    edited = {k: v for k, v in message.items() if k not in ("channel", "channel_type")}
    edited.update(text=new_text, edited={"user": message.get("user", ""), "ts": _event_ts()}, **changes)
    previous = {k: v for k, v in message.items() if k not in ("channel", "channel_type")}
    return {"type": "message", "subtype": "message_changed", "hidden": True, "channel": channel,
            "channel_type": "channel", "message": edited, "previous_message": previous,
            "ts": _event_ts(), "event_ts": _event_ts()}


def message_deleted(message: dict[str, Any], *, channel: str = "C0GENERAL") -> dict[str, Any]:
    previous = {k: v for k, v in message.items() if k not in ("channel", "channel_type")}
    return {"type": "message", "subtype": "message_deleted", "hidden": True, "channel": channel,
            "channel_type": "channel", "deleted_ts": message["ts"], "previous_message": previous,
            "ts": _event_ts(), "event_ts": _event_ts()}


def reaction_added(reaction: str, *, user: str, channel: str, ts: str, item_user: str = "") -> dict[str, Any]:
    return {"type": "reaction_added", "user": user, "reaction": reaction, "item_user": item_user,
            "item": {"type": "message", "channel": channel, "ts": ts}, "event_ts": _event_ts()}


def app_home_opened(user: str, *, tab: str = "home") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": f"D{user[1:]}", "tab": tab,
            "event_ts": _event_ts()}


def _event_ts() -> str:
    return f"{1_800_000_000 + next(_ids)}.000200"


def block_action(action_id: str, value: str, *, user: str, channel: str = "C0GENERAL",
                 message_ts: str = "", message: dict[str, Any] | None = None,
                 response_url: str = "", view: dict[str, Any] | None = None,
                 team: str = DEFAULT_TEAM, ephemeral: bool = False) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": team, "domain": "roundtable"},
        "user": {"id": user, "team_id": team}, "api_app_id": "A0ROUNDTBL",
        "trigger_id": f"trigger.{next(_ids)}", "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": action_id, "value": value,
                     "type": "button", "action_ts": str(time.time())}],
    }
    if view is not None:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view.get("id", "")}
    else:
        payload["channel"] = {"id": channel}
        payload["container"] = {"type": "message", "channel_id": channel, "message_ts": message_ts,
                                "is_ephemeral": ephemeral}
        payload["message"] = message or {"ts": message_ts, "text": ""}
    return payload


def view_submission(callback_id: str, values: dict[str, dict[str, Any]], *, user: str,
                    private_metadata: str = "", team: str = DEFAULT_TEAM) -> dict[str, Any]:
    """`values` is Slack's state shape: {block_id: {action_id: {"type": ..., "value": ...}}}."""
    return {
        "type": "view_submission", "team": {"id": team, "domain": "roundtable"},
        "user": {"id": user, "team_id": team}, "api_app_id": "A0ROUNDTBL",
        "trigger_id": f"trigger.{next(_ids)}",
        "view": {"id": f"V{next(_ids):08d}", "type": "modal", "callback_id": callback_id,
                 "private_metadata": private_metadata, "state": {"values": values}},
    }


def view_state(view: dict[str, Any]) -> dict[str, Any]:
    """The `state` Slack sends back with a view nobody changed: every input as prefilled."""
    form = slack_forms.form_of(view)
    return {"values": slack_forms.state(form, form.prefilled())}


def message_shortcut(callback_id: str, message: dict[str, Any], *, user: str,
                     channel: str = "C0GENERAL", response_url: str = "",
                     team: str = DEFAULT_TEAM) -> dict[str, Any]:
    return {
        "type": "message_action", "callback_id": callback_id, "team": {"id": team},
        "user": {"id": user, "team_id": team}, "channel": {"id": channel},
        "message": message, "message_ts": message.get("ts", ""),
        "trigger_id": f"trigger.{next(_ids)}", "response_url": response_url,
    }


def encode(payload: dict[str, Any], secret: str, *, timestamp: int | None = None,
           retry_num: int | None = None) -> SignedRequest:
    """Encode a payload as Slack sends it: commands form-encoded, events JSON, interactivity
    as a form with one `payload` field."""
    extra = {}
    if retry_num is not None:
        extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
    if "command" in payload:
        return signed(urlencode(payload), "application/x-www-form-urlencoded", secret, timestamp, extra)
    if payload.get("type") == "event_callback":
        return signed(json.dumps(payload), "application/json", secret, timestamp, extra)
    body = urlencode({"payload": json.dumps(payload)})
    return signed(body, "application/x-www-form-urlencoded", secret, timestamp, extra)
