"""Microsoft Graph's part in tests, served by the Teams emulator (bot/emulator/teams.py): the channel
thread a digest reads, and the app-only Graph tokens its tenant's token endpoint gives.

`GET /v1.0/teams/{group}/channels/{channel}/messages/{id}` (a root post) and `.../replies` (paged:
at most `page_size`, or `$top`, a page, `@odata.nextLink` with a `$skiptoken` to the next), each
with a Graph token issued for the tenant the team belongs to (else 401), and only in a team where
the app has its resource-specific consent (`grant`; else 403, as Graph answers). Tests seed a
thread with `seed` (messages made by `chat_message`, Graph's chatMessage JSON); every call is
recorded in `calls` (path and query); `fail_next` answers the next ones with a status (0: the
connection is dropped).
"""

from __future__ import annotations

import secrets
import threading
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
FORBIDDEN = {"error": {"code": "Forbidden", "message": "Missing role permissions on the request."}}
NOT_FOUND = {"error": {"code": "NotFound", "message": "Resource not found."}}


def chat_message(
    ident: str,
    user_id: str,
    name: str,
    html: str,
    *,
    reactions: int = 0,
    when: str = "",
    application: bool = False,
    deleted: bool = False,
) -> dict[str, Any]:
    """A chatMessage as Graph returns it (`from.user`, or `from.application` for an app's post)."""
    sender = (
        {"application": {"id": user_id, "displayName": name}, "user": None}
        if application
        else {"user": {"id": user_id, "displayName": name, "userIdentityType": "aadUser"}}
    )
    return {
        "id": ident,
        "messageType": "message",
        "createdDateTime": when or f"2026-12-02T12:{int(ident) % 60:02d}:00Z",
        "deletedDateTime": "2026-12-02T13:00:00Z" if deleted else None,
        "from": sender,
        "body": {"contentType": "html", "content": html},
        "reactions": [{"reactionType": "like", "user": {"user": {"id": f"r{n}"}}} for n in range(reactions)],
    }


class Graph:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.page_size = 50
        self.teams: dict[str, str] = {}  # AAD group id -> tenant
        self.granted: set[str] = set()  # groups where the app has ChannelMessage.Read.Group
        self.threads: dict[tuple[str, str, str], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        self.tokens: dict[str, str] = {}  # Graph token -> tenant
        self.calls: list[str] = []
        self.fail_next: list[int] = []  # statuses to answer the next calls with (0: drop the connection)
        self._lock = threading.Lock()

    def grant(self, group_id: str, tenant: str) -> None:
        """The app is added to the team `group_id` of `tenant` and its owner consented (RSC)."""
        self.teams[group_id] = tenant
        self.granted.add(group_id)

    def seed(
        self,
        group_id: str,
        channel_id: str,
        root: dict[str, Any],
        replies: list[dict[str, Any]],
        tenant: str = "",
    ) -> None:
        if tenant:
            self.teams.setdefault(group_id, tenant)
        self.threads[(group_id, channel_id, str(root["id"]))] = (root, list(replies))

    def token(self, tenant: str) -> dict[str, Any]:
        issued = "graph-" + secrets.token_hex(12)
        with self._lock:
            self.tokens[issued] = tenant
        return {"token_type": "Bearer", "expires_in": 3600, "access_token": issued}

    def get(self, path: str, auth: str) -> tuple[int, dict[str, Any]]:
        split = urlsplit(path)
        with self._lock:
            self.calls.append(path)
            tenant = self.tokens.get(auth.removeprefix("Bearer "))
            if self.fail_next:
                return self.fail_next.pop(0), {"error": {"code": "Emulated", "message": "emulated failure"}}
        parts = [unquote(p) for p in split.path.strip("/").split("/")]
        if (
            len(parts) not in (7, 8)
            or parts[:2] != ["v1.0", "teams"]
            or parts[3] != "channels"
            or parts[5] != "messages"
        ):
            return 404, NOT_FOUND
        group, channel, root = parts[2], parts[4], parts[6]
        if tenant is None or self.teams.get(group) != tenant:
            return 401, {
                "error": {
                    "code": "InvalidAuthenticationToken",
                    "message": "Access token is missing or invalid.",
                }
            }
        if group not in self.granted:
            return 403, FORBIDDEN
        found = self.threads.get((group, channel, root))
        if found is None:
            return 404, NOT_FOUND
        message, replies = found
        if len(parts) == 7:
            return 200, message
        if parts[7] != "replies":
            return 404, NOT_FOUND
        query = parse_qs(split.query)
        size = min(self.page_size, int((query.get("$top") or ["50"])[0]))
        start = int((query.get("$skiptoken") or ["0"])[0])
        page = replies[start : start + size]
        body: dict[str, Any] = {"@odata.count": len(page), "value": page}
        if start + size < len(replies):
            body["@odata.nextLink"] = f"{self.base_url}{split.path}?$top={size}&$skiptoken={start + size}"
        return 200, body
