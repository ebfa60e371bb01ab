"""The Web API emulator's chat methods: posting, ephemeral posts, permalinks, deletes, reactions,
updates, thread replies, user lookups and views.

Mixed into bot.emulator.SlackEmulator, which owns the state (`messages`, `threads`, `users`) and the
lock that every `_api_*` method runs under.
"""

from __future__ import annotations

import itertools
from typing import Any

from bot.emulator.methods import json_arg as _json_arg
from bot.emulator.workspaces import HOST_BOT

BOT_USER_ID, BOT_ID = HOST_BOT
REPLIES_PAGE_SIZE = 50  # small enough that a long thread needs several conversations.replies pages


class ChatMethods:
    messages: dict[str, list[dict[str, Any]]]
    threads: dict[tuple[str, str], list[dict[str, Any]]]
    users: dict[str, dict[str, Any]]
    _views: itertools.count[int]

    def _next_ts(self) -> str:
        raise NotImplementedError

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (args.get("text") or args.get("blocks")):
            return {"ok": False, "error": "no_text"}
        blocks = _json_arg(args.get("blocks"))
        if isinstance(blocks, list) and len(blocks) > 50:
            return {"ok": False, "error": "invalid_blocks"}
        message = {
            "type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": self._next_ts(),
            "text": args.get("text", ""), "blocks": blocks or [],
            "metadata": _json_arg(args.get("metadata")),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_found"}
        if not (args.get("text") or args.get("blocks")):
            return {"ok": False, "error": "no_text"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("message_ts", "")
        message = next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        link = f"https://roundtable.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        if message.get("thread_ts", ts) != ts:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _api_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        message = self.message(channel, ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if message.get("user") != BOT_USER_ID:
            return {"ok": False, "error": "cant_delete_message"}
        self.messages[channel].remove(message)
        return {"ok": True, "channel": channel, "ts": ts}

    def _api_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts, name = args.get("channel", ""), args.get("timestamp", ""), args.get("name", "")
        if not (channel and ts):
            return {"ok": False, "error": "no_item_specified"}
        if not name:
            return {"ok": False, "error": "invalid_name"}
        message = self.message(channel, ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        reactions = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if BOT_USER_ID in reaction["users"]:
            return {"ok": False, "error": "already_reacted"}
        reaction["users"].append(BOT_USER_ID)
        reaction["count"] += 1
        return {"ok": True}

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                message.update(text=args.get("text", ""), blocks=_json_arg(args.get("blocks")) or [])
                return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _api_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (args.get("channel", ""), args.get("ts", ""))
        thread = self.threads.get(key)
        if thread is None:
            posted = self.messages.get(key[0], [])
            thread = [m for m in posted if m["ts"] == key[1] or m.get("thread_ts") == key[1]]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        limit = min(int(args.get("limit") or REPLIES_PAGE_SIZE), REPLIES_PAGE_SIZE)
        start = int(args.get("cursor") or 0)
        page = thread[start : start + limit]
        more = start + limit < len(thread)
        return {
            "ok": True, "messages": page, "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args.get("user", "")
        user = self.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = _json_arg(args.get("view")) or {}
        return {"ok": True, "view": {**view, "id": f"V{next(self._views):08d}"}}

    _api_views_push = _api_views_open
    _api_views_update = _api_views_open
    _api_views_publish = _api_views_open
