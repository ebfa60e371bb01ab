"""Microsoft Teams as a platform: `TeamsChat`, the bot's `bot.chat.Chat` for one tenant, on the Bot
Connector's REST API, for synchronous callers (the outbox, the scheduler, approval requests).

A plain synchronous HTTP client (httpx) posts to the conversation's stored service URL
(storage/teams_conversations.py, refreshed by every verified activity) with the bot's own token
(`token`, a callable: bot/teams/tokens.py in production, the emulator's token endpoint in tests).
The SDK's `app.send` would need its event loop; the connector calls used here are four REST paths,
so the outbox stays synchronous and needs no loop thread. Messages render with bot/render/teams.py,
the command words as Teams members type them (bot/teams/wording.py), as replies in a turn do.

What differs from Slack, by design:
- post with a thread: a reply in a channel's thread (`<conversation>;messageid=<root>`); a group or
  personal chat has no threads, so the reply goes to the chat itself.
- post_private: Teams has no ephemeral messages; the member gets it in their personal (1:1) chat
  with the bot, opened with POST /v3/conversations if need be.
- find_posted: the connector has no history search; it raises NoHistory, and the outbox records a
  delivery whose outcome is unknown as "maybe posted" and never sends it again (bot/outbox.py).
- publish_home: a no-op; the `home` command and the personal tab give what Slack's Home tab gives.
- react, forms, files: Teams bots cannot react; dialogs open in-turn (the invoke's answer), not
  through a trigger; files need a consent card: all refused with ChatError, never a silent success.
- member: the connector's members API (name only; Teams gives no zone and no admin flag); teams_ids:
  its paged roster, which maps the Entra object ids Graph names people by to Teams' user ids.
Errors: 429 and 5xx are busy (ChatError with retry_after), 413 is MessageSizeTooBig (refused), a
connection that never opened is busy; one dropped after the request went out is an unknown outcome
(the httpx error is raised as is). No call is retried here: the outbox retries, durably.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from bot.chat import ChatError, DeliveryKey, Member, NoHistory, Outgoing, Workspace
from bot.forms import Form
from bot.messages import Message, Part
from bot.render import teams as render
from bot.teams.names import conversation_labels
from bot.teams.wording import conversations, for_teams, namer
from storage.db import Database
from storage.teams_conversations import conversations_of, reference, remember, tenant_service_url

log = logging.getLogger("roundtable.teams")
TIMEOUT = 10.0
ROSTERS = {"channel": 0, "groupChat": 1}  # where a member is looked up first
ROSTER_PAGE, ROSTER_PAGES = 500, 20  # the paged members API's largest page; 10,000 members read at most
_client: httpx.Client | None = None
_client_lock = threading.Lock()


def http() -> httpx.Client:
    """One connection pool per process (httpx.Client is thread-safe); never retries by itself."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(timeout=TIMEOUT)
        return _client


def connector_error(answer: httpx.Response) -> ChatError:
    try:
        body = answer.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    code = str(error.get("code") or "") if isinstance(error, dict) else ""
    status = answer.status_code
    if status == 413:
        code = "MessageSizeTooBig"
    retry_after = 0.0
    if status == 429:
        try:
            retry_after = float(answer.headers.get("Retry-After") or 1)
        except ValueError:
            retry_after = 1.0
    return ChatError(code or f"HTTP {status}", status=status, retry_after=retry_after)


class TeamsChat:
    """`bot.chat.Chat` for one Teams tenant (the workspace whose team_id is the tenant id)."""

    def __init__(self, tenant_id: str, app_id: str, db: Database, token: Callable[[], str],
                 clock: Callable[[], datetime], name_of: Callable[[str], str] | None = None) -> None:
        self.tenant_id, self.app_id, self.db, self.token, self.clock = tenant_id, app_id, db, token, clock
        self.name_of = name_of  # a mentioned member's name (bot/teams/names.py); else the members API
        self._names: dict[str, str] = {}

    # the connector

    def _call(self, method: str, service_url: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = service_url.rstrip("/") + path
        headers = {"authorization": f"Bearer {self.token()}"}
        try:
            answer = http().request(method, url, json=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:  # never sent: safe to try later
            raise ChatError(f"connector unreachable: {type(error).__name__}", status=503) from error
        if answer.status_code >= 400:
            raise connector_error(answer)
        try:
            found = answer.json() if answer.content else {}
        except ValueError:
            found = {}
        return found if isinstance(found, dict) else {}

    def _service_url(self, conversation_id: str) -> str:
        return self._reference(conversation_id)[0]

    def _reference(self, conversation_id: str) -> tuple[str, str]:
        """The stored conversation's service URL and type (channel, groupChat, personal)."""
        with self.db.read() as session:
            found = reference(session, conversation_id.split(";", 1)[0])
            if found is not None and found.tenant_id == self.tenant_id:
                return found.service_url, found.conversation_type
        raise ChatError("conversation_not_found", status=404)

    def _tenant_url(self) -> str:
        with self.db.read() as session:
            url = tenant_service_url(session, self.tenant_id)
        if not url:
            raise ChatError("tenant_not_seen", status=404)  # no activity from it yet: nowhere to call
        return url

    def _activity(self, message: Outgoing, channel: str) -> dict[str, Any]:
        if not isinstance(message, Message):
            raise ChatError("not_composed", status=400)  # a Slack payload: only SlackChat takes those
        # the command words as typed in Teams, conversations named as read in `channel`
        known = conversation_labels(self.db, self.tenant_id, conversations(message))
        return render.activity(for_teams(message, namer(channel, known=known)), self._name_of)

    def _name_of(self, user_id: str) -> str:
        if self.name_of is not None:
            return self.name_of(user_id)
        if user_id not in self._names:
            found = self.member(user_id)
            self._names[user_id] = (found.name if found else "") or "a member"
        return self._names[user_id]

    # bot.chat.Chat

    def post(self, channel: str, message: Outgoing, *, thread: str = "", key: DeliveryKey | None = None) -> str:
        service_url, kind = self._reference(channel)
        threaded = thread and kind == "channel"  # a channel's thread; a chat has none: the chat itself
        conversation = f"{channel};messageid={thread}" if threaded else channel
        path = f"/v3/conversations/{quote(conversation, safe='')}/activities"
        posted = self._call("POST", service_url, path, self._activity(message, channel))
        if key is not None:
            log.debug("posted %s/%s as activity %s", key.kind, key.key, posted.get("id"))
        return str(posted.get("id") or "")

    def update(self, channel: str, ref: str, message: Outgoing) -> None:
        body = {**self._activity(message, channel), "id": ref}
        self._call("PUT", self._service_url(channel),
                   f"/v3/conversations/{quote(channel, safe='')}/activities/{quote(ref, safe='')}", body)

    def delete(self, channel: str, ref: str) -> None:
        try:
            self._call("DELETE", self._service_url(channel),
                       f"/v3/conversations/{quote(channel, safe='')}/activities/{quote(ref, safe='')}")
        except ChatError as error:
            if error.status == 404:
                raise ChatError("message_not_found", status=404) from error
            raise

    def post_private(self, channel: str, user_id: str, message: Outgoing, *, thread: str = "") -> None:
        self.send_direct(user_id, message)  # Teams has no ephemeral: the member's 1:1 chat

    def react(self, channel: str, ref: str, name: str) -> None:
        raise ChatError("reactions_not_supported", status=400)

    def direct_channel(self, user_id: str) -> str:
        url = self._tenant_url()
        body = {"bot": {"id": f"28:{self.app_id}"}, "members": [{"id": user_id}], "isGroup": False,
                "tenantId": self.tenant_id, "channelData": {"tenant": {"id": self.tenant_id}}}
        created = self._call("POST", url, "/v3/conversations", body)
        conversation = str(created.get("id") or "")
        if not conversation:
            raise ChatError("no_conversation", status=502)
        with self.db.begin() as session:
            remember(session, conversation, self.tenant_id, str(created.get("serviceUrl") or url), "personal",
                     self.clock())
        return conversation

    def send_direct(self, user_id: str, message: Outgoing) -> str:
        return self.post(self.direct_channel(user_id), message)

    def permalink(self, channel: str, ref: str) -> str:
        return ""

    def find_posted(self, channel: str, key: DeliveryKey, since: datetime, *, thread: str = "") -> str | None:
        raise NoHistory()

    def member(self, user_id: str) -> Member | None:
        try:
            url = self._tenant_url()
            with self.db.read() as session:  # a channel's roster is a team's; a personal chat has one member
                known = sorted(conversations_of(session, self.tenant_id), key=lambda c: ROSTERS.get(c.conversation_type, 2))
                conversation = known[0].conversation_id
            found = self._call("GET", url, f"/v3/conversations/{quote(conversation, safe='')}/members/"
                                           f"{quote(user_id, safe='')}")
        except (ChatError, httpx.HTTPError, IndexError) as error:
            log.warning("teams member %s unknown: %s", user_id, type(error).__name__)
            return None
        return Member(user_id, str(found.get("name") or found.get("givenName") or ""))

    def teams_ids(self, conversation_id: str, object_ids: list[str]) -> dict[str, str]:
        """Teams' user ids of the members whose Entra object ids are `object_ids` (Graph names people by
        those), from the conversation's roster, page by page until all are found."""
        wanted, found, token = set(object_ids), {}, ""
        service_url, channel = self._service_url(conversation_id), conversation_id.partition(";")[0]
        for _ in range(ROSTER_PAGES):
            query = f"?pageSize={ROSTER_PAGE}" + (f"&continuationToken={quote(token, safe='')}" if token else "")
            path = f"/v3/conversations/{quote(channel, safe='')}/pagedmembers{query}"
            page = self._call("GET", service_url, path)
            for member in page.get("members") or []:
                if isinstance(member, dict) and member.get("aadObjectId") in wanted and member.get("id"):
                    found[str(member["aadObjectId"])] = str(member["id"])
            token = str(page.get("continuationToken") or "")
            if not token or wanted <= found.keys():
                break
        return found

    def workspace(self) -> Workspace:
        return Workspace(self.tenant_id)

    def open_form(self, trigger: str, form: Form) -> str:
        raise ChatError("forms_open_in_turn", status=400)

    def update_form(self, form_id: str, form: Form) -> None:
        raise ChatError("forms_open_in_turn", status=400)

    def publish_home(self, user_id: str, parts: tuple[Part, ...]) -> None:
        return None  # no Home tab to push to: the `home` command and the personal tab show it

    def send_file(self, user_id: str, filename: str, content: str, title: str, comment: str) -> None:
        raise ChatError("files_not_supported", status=400)
