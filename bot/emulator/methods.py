"""More of the Web API emulator: conversation history and DMs, and files.uploadV2's three steps.

Mixed into bot.emulator.SlackEmulator, which owns the state (`messages`, `users`, `files`) and the
lock that every `_api_*` method runs under.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

HISTORY_MAX_LIMIT = 999  # conversations.history caps `limit` here


def json_arg(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def truthy(value: Any) -> bool:
    return value in (True, "true", "1", 1)


class ConversationAndFileMethods:
    messages: dict[str, list[dict[str, Any]]]
    users: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]]
    private_channels: set[str]  # conversations.info calls these private
    shared_channels: dict[str, frozenset[str]]  # Slack Connect (bot.emulator.workspaces)
    _file_ids = itertools.count(1)

    @property
    def base_url(self) -> str:  # SlackEmulator's: where upload URLs point
        raise NotImplementedError

    def _api_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; `oldest`/`latest` exclusive unless `inclusive`; cursor pagination."""
        channel = args.get("channel", "")
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        inclusive = truthy(args.get("inclusive"))

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        messages = [m for m in reversed(self.messages.get(channel, []))
                    if within(float(m["ts"])) and m.get("thread_ts", m["ts"]) == m["ts"]]
        limit = min(int(args.get("limit") or 100), HISTORY_MAX_LIMIT)
        start = int(args.get("cursor") or 0)
        found = messages[start : start + limit]
        if not truthy(args.get("include_all_metadata")):
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        more = start + limit < len(messages)
        return {"ok": True, "messages": found, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _api_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """Channels are public unless named in `private_channels`; D... ids are direct messages."""
        channel = str(args.get("channel", ""))
        if channel.startswith("D"):
            return {"ok": True, "channel": {"id": channel, "is_im": True, "is_private": True}}
        private = channel in self.private_channels
        return {"ok": True, "channel": {"id": channel, "is_channel": not private, "is_group": private,
                                        "is_private": private, "is_im": False, "is_mpim": False,
                                        "is_ext_shared": channel in self.shared_channels}}

    def _api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if len(users) != 1 or users[0] not in self.users:
            return {"ok": False, "error": "user_not_found"}
        channel = "D" + users[0][1:]
        self.messages.setdefault(channel, [])
        return {"ok": True, "channel": {"id": channel}}

    def _api_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._file_ids):08d}"
        self.files[file_id] = {"name": args["filename"], "length": int(args["length"]), "content": None}
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}upload/{file_id}"}

    def _api_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        done = []
        for item in json_arg(args.get("files")) or []:
            stored = self.files.get(item.get("id", ""))
            if stored is None or stored["content"] is None:
                return {"ok": False, "error": "file_not_found"}
            stored.update(title=item.get("title") or stored["name"], channel=args.get("channel_id", ""),
                          initial_comment=args.get("initial_comment", ""))
            done.append({"id": item["id"], "name": stored["name"], "title": stored["title"]})
        return {"ok": True, "files": done}

    def _store_upload(self, file_id: str, content: str) -> bool:
        stored = self.files.get(file_id)
        if stored is None:
            return False
        stored["content"] = content
        return True
