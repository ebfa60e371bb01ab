"""Reading a Teams channel thread through Microsoft Graph, for a digest (bot/digests/).

With the app's resource-specific consent in a team (`ChannelMessage.Read.Group`, asked for in the
app package, granted by a team owner when the app is added), the bot reads a thread app-only:
`GET /v1.0/teams/{team's AAD group id}/channels/{channel}/messages/{root}` (the root post) and
`.../messages/{root}/replies` (50 a page, following `@odata.nextLink`), with the tenant's Graph
token (bot/teams/tokens.py), capped at the same MAX_THREAD_MESSAGES as Slack's thread. Each
message is put in the one shape the draft reads (bot/digests/draft.py: `user`, `ts`, `text`,
`reactions`), its HTML body as text (bot/teams/graph_text.py); the bot's own posts and system
events are marked as not a member's (`bot_id`), deleted ones left out, and every speaker is named
by the display name Graph gives (`from.user.displayName`), never by an id.

A refusal is a ChatError: 403 (no consent in that team: `no_consent`), 404 (`thread_not_found`),
another answer (`HTTP <status>`), or a connection that failed (`dropped`); nothing is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from bot.chat import ChatError
from bot.digests.threads import MAX_THREAD_MESSAGES, Thread
from bot.teams.graph_text import draft_text

log = logging.getLogger("roundtable.teams")
PAGE_SIZE = 50  # Graph's largest $top for replies
TIMEOUT = 15.0
GRAPH_APP = "graph-app"  # `bot_id` of a message no member wrote (an app's, a system event)


def _get(url: str, token: Callable[[], str]) -> dict[str, Any]:
    try:
        answer = httpx.get(url, headers={"authorization": f"Bearer {token()}"}, timeout=TIMEOUT)
    except httpx.HTTPError as error:
        raise ChatError(f"graph unreachable: {type(error).__name__}", status=0, dropped=True) from error
    if answer.status_code == 403:
        raise ChatError("no_consent", status=403)
    if answer.status_code == 404:
        raise ChatError("thread_not_found", status=404)
    if answer.status_code != 200:
        raise ChatError(f"HTTP {answer.status_code}", status=answer.status_code)
    try:
        body = answer.json()
    except ValueError as error:
        raise ChatError("graph_bad_answer", status=502) from error
    if not isinstance(body, dict):
        raise ChatError("graph_bad_answer", status=502)
    return body


def read_thread(
    graph_url: str,
    token: Callable[[], str],
    group_id: str,
    channel_id: str,
    root_id: str,
    max_messages: int = MAX_THREAD_MESSAGES,
) -> tuple[Thread, dict[str, str]]:
    """The thread (root first, then its replies in the order they were written) and the speakers'
    display names by user id. Links Graph gives to follow are followed only on `graph_url` itself,
    where the token belongs."""
    base = (
        f"{graph_url}/v1.0/teams/{quote(group_id, safe='')}/channels/{quote(channel_id, safe='')}"
        f"/messages/{quote(root_id, safe='')}"
    )
    items = [_get(base, token)]
    url, more = f"{base}/replies?$top={PAGE_SIZE}", False
    while url:
        page = _get(url, token)
        items.extend(item for item in page.get("value") or [] if isinstance(item, dict))
        url = str(page.get("@odata.nextLink") or "")
        if url and not url.startswith(graph_url + "/"):
            log.warning("graph gave a next page elsewhere: not followed")
            raise ChatError("graph_bad_answer", status=502)
        if url and len(items) >= max_messages:
            more = True
            break
    root, replies = (
        items[0],
        sorted(
            items[1:], key=lambda item: (str(item.get("createdDateTime") or ""), str(item.get("id") or ""))
        ),
    )
    messages, names = [], {}
    for item in [root, *replies]:
        message = as_message(item, names)
        if message is not None:
            messages.append(message)
    if messages and messages[0]["ts"] == _ts(root):
        messages[0]["reply_count"] = len(messages) - 1
    complete = not more and len(messages) <= max_messages
    return Thread(channel_id, root_id, messages[:max_messages], complete), names


def _ts(item: dict[str, Any]) -> str:
    """A Graph message id (milliseconds since the epoch) as the draft's ordered `ts`."""
    ident = str(item.get("id") or "")
    return ident if ident.isdigit() else "0"


def as_message(item: dict[str, Any], names: dict[str, str]) -> dict[str, Any] | None:
    """One Graph chatMessage in the draft's shape; None for a deleted one. Its speaker's display
    name goes into `names`."""
    if item.get("deletedDateTime"):
        return None
    body = item.get("body") or {}
    text = draft_text(str(body.get("content") or ""), str(body.get("contentType") or "html"))
    message: dict[str, Any] = {"ts": _ts(item), "text": text}
    sender = item.get("from") or {}
    user = sender.get("user") if isinstance(sender, dict) else None
    if item.get("messageType", "message") == "message" and isinstance(user, dict) and user.get("id"):
        message["user"] = str(user["id"])
        if user.get("displayName"):
            names.setdefault(message["user"], str(user["displayName"]))
    else:
        message["bot_id"] = GRAPH_APP
    reactions = [r for r in item.get("reactions") or [] if isinstance(r, dict)]
    if reactions:
        message["reactions"] = [{"name": "reaction", "count": len(reactions)}]
    return message
