"""The platform seam: what the bot asks of a chat platform, in neutral terms.

Rules, jobs and the outbox call a `Chat`; each platform implements it once (Slack: `SlackChat`
in bot/slack.py, around slack-sdk's WebClient; the in-memory one for tests is the Web API
emulator behind it). A Microsoft Teams front end adds a `TeamsChat` that renders with an
Adaptive Cards renderer and keeps conversation references where Slack keeps channel ids.

Messages go in composed (bot/messages.py) and forms as `bot.forms.Form`; features not yet composed
hand a platform payload (`dict`, Slack's chat.postMessage arguments), which only `SlackChat` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.forms import Form
from bot.messages import Message, Part

Outgoing = Message | dict[str, Any]


@dataclass(frozen=True)
class Workspace:
    team_id: str  # Slack's team, a Teams tenant later
    url: str = ""  # where links to its messages start (https://NAME.slack.com/)


@dataclass(frozen=True)
class DeliveryKey:
    """Rides with an outbox post, so a post whose outcome is unknown can be found again."""

    team_id: str
    kind: str
    key: str


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str = ""  # the display name, or the real name
    timezone: str = ""  # IANA zone, when the platform knows it
    is_admin: bool = False  # an administrator or owner of the workspace


class ChatError(Exception):
    """The platform refused or could not take a call. `code` is the platform's reason
    (`not_in_channel`, `ratelimited`, `HTTP 503`); `busy` says trying later may work.

    `dropped`: the connection failed (refused, reset, timed out) before an answer came, so the
    call may or may not have taken effect; `status` is then 0."""

    def __init__(self, code: str, *, status: int = 200, retry_after: float = 0.0, dropped: bool = False) -> None:
        super().__init__(code)
        self.code, self.status, self.retry_after, self.dropped = code, status, retry_after, dropped

    @property
    def busy(self) -> bool:
        return self.dropped or self.status == 429 or self.status >= 500

    @property
    def refused(self) -> bool:
        """The platform answered and said no: nothing was done, and the same call would fail again."""
        return not self.busy


class Chat(Protocol):
    """Every call raises ChatError when the platform refuses it or cannot be reached; from `post`,
    a `dropped` ChatError (or any other exception) means the outcome is unknown."""

    def post(self, channel: str, message: Outgoing, *, thread: str = "", key: DeliveryKey | None = None) -> str:
        """Post in a channel (or a thread of it); returns the message's reference (Slack's ts)."""
        ...

    def update(self, channel: str, ref: str, message: Outgoing) -> None:
        ...

    def post_private(self, channel: str, user_id: str, message: Outgoing, *, thread: str = "") -> None:
        """Shown to one member only, in a channel (Slack's ephemeral message)."""
        ...

    def delete(self, channel: str, ref: str) -> None:
        """Take one of the bot's own posts down; ChatError("message_not_found") if it is gone."""
        ...

    def react(self, channel: str, ref: str, name: str) -> None:
        """Add a reaction (an emoji name such as `eyes`) to a message."""
        ...

    def send_direct(self, user_id: str, message: Outgoing) -> str:
        ...

    def permalink(self, channel: str, ref: str) -> str:
        """A link to a posted message ("" when the platform gives none)."""
        ...

    def direct_channel(self, user_id: str) -> str:
        """The id of the bot's direct conversation with a member (opened if need be)."""
        ...

    def find_posted(self, channel: str, key: DeliveryKey, since: datetime, *, thread: str = "") -> str | None:
        """The reference of the post made with `key` at or after `since` (in `thread`, when given),
        if it is there."""
        ...

    def member(self, user_id: str) -> Member | None:
        """None when the platform cannot say (unknown member, platform unreachable)."""
        ...

    def workspace(self) -> Workspace:
        """The workspace the bot's credentials belong to."""
        ...

    def open_form(self, trigger: str, form: Form) -> str:
        """Open a form for the member whose action gave `trigger`; returns the form's id."""
        ...

    def update_form(self, form_id: str, form: Form) -> None:
        ...

    def publish_home(self, user_id: str, parts: tuple[Part, ...]) -> None:
        """The member's own page of the app (Slack's Home tab)."""
        ...

    def send_file(self, user_id: str, filename: str, content: str, title: str, comment: str) -> None:
        """A file in the member's direct conversation with the bot."""
        ...


class NoHistory(ChatError):
    """`find_posted` on a platform whose history the bot cannot read (Teams' Bot Connector): whether a
    post whose outcome was unknown went through cannot be told, so it is never sent again."""

    def __init__(self) -> None:
        super().__init__("no_history", status=501)

    @property
    def busy(self) -> bool:
        return False
