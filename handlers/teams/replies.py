"""Who is speaking in a Teams activity, and the bot's answers as Teams activities and invoke responses.

A reply passes through bot/teams/wording.py (Teams' command words) and bot/render/teams.py. A button
whose action opens a form (DIALOGS) becomes an `Action.Submit` with `msteams.type = task/fetch`, the
one way a card opens a dialog; every other button stays a universal action (`Action.Execute`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot import messages as m
from bot.practices import blocks
from bot.render import teams as render
from bot.roundup import settings
from bot.teams.names import conversation_labels
from bot.teams.wording import THREAD, Namer, conversations, for_teams, label, namer
from storage.db import Database
from storage.teams_conversations import Named

MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
SHARE, PROFILE, SCHEDULE = "practice_share", "profile_edit", "roundtable_schedule"  # the forms' kinds
ROUNDTABLE_EDIT = "roundtable_edit"  # opens the roundtable form filled (submitted as SCHEDULE, its state the id)
ROUNDUP_SETTINGS = settings.CALLBACK_ID
DIGEST_DRAFT = "digest_draft"  # opens a thread's digest draft (handlers/teams/digests.py)
DIALOGS = frozenset({SHARE, PROFILE, SCHEDULE, ROUNDTABLE_EDIT, ROUNDUP_SETTINGS, blocks.EDIT,  # open a dialog
                     DIGEST_DRAFT})
CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
Said = m.Message | m.Inline | str


@dataclass(frozen=True)
class Card:
    """A practice's card posted in the conversation: where it is kept, so it is updated in place and
    (in a public conversation) reaches the exchange like a card Slack's share posts."""

    practice_id: int
    message: m.Message


@dataclass(frozen=True)
class Turn:
    """The member and conversation an activity comes from; a tenant is a workspace (team_id)."""

    team_id: str
    user_id: str
    user_name: str
    conversation_id: str
    conversation_type: str
    conversation_name: str = ""  # the channel's or chat's name, when Teams sends it
    team_group: str = ""  # in a team's channel: the team's AAD group id (its id in Microsoft Graph)
    known: Mapping[str, str] = field(default_factory=dict)  # the labels kept for conversations a reply names

    def channel_of(self) -> Namer:
        """How a conversation is named in a reply here (bot/teams/wording.py)."""
        return namer(self.conversation_id, self.conversation_name, self.known)


def knowing(db: Database, turn: Turn, *said: Any) -> Turn:
    """`turn` knowing the labels kept for the conversations `said` names (call it on a worker thread:
    it reads the database, when `said` names any)."""
    where = conversations(*said)
    return replace(turn, known=conversation_labels(db, turn.team_id, where)) if where else turn


@dataclass(frozen=True)
class Sent:
    """What Teams called conversations in an activity: the conversation's own names (`here`), and for
    a channel event (created, renamed: sent through the team's conversation) the channel it names."""

    here: Named = Named()
    channel_id: str = ""  # another channel the activity names (a channel event), else ""
    channel: Named = Named()


def command_text(text: str | None) -> str:
    """The typed command: the bot's @mention (`<at>Roundtable</at>`) and stray markup removed."""
    return " ".join(MENTION.sub(" ", text or "").replace("&nbsp;", " ").split())


def workspace_of(activity: Any) -> str:
    conversation = activity.conversation
    return (conversation.tenant_id if conversation else "") or ""


def is_public(activity: Any) -> bool:
    """A team's standard channel, which every member of the team can read; a private or shared channel,
    a group chat or a personal chat is private, and so is anything Teams does not say (the rule of
    *Private conversations*: when the bot cannot tell, the conversation is private)."""
    conversation, data = activity.conversation, activity.channel_data
    channel = getattr(data, "channel", None) if data is not None else None
    return bool(conversation and conversation.conversation_type == "channel" and channel is not None
                and channel.type == "standard")


def names_sent(activity: Any) -> Sent:
    """The names Teams sent with `activity`: a channel's `channelData.channel.name` and
    `channelData.team.name` (and the team's id), a group chat's `conversation.name`; none is guessed
    but "General", the name of a team's default channel (whose id is the team's) sent without one."""
    conversation, data = activity.conversation, activity.channel_data
    if conversation is None:
        return Sent()
    here = (conversation.id or "").partition(THREAD)[0]
    if conversation.conversation_type != "channel":
        return Sent(Named((conversation.name or "") if conversation.conversation_type == "groupChat" else ""))
    channel, team = getattr(data, "channel", None), getattr(data, "team", None)
    channel_id = ((channel.id if channel else "") or here).partition(THREAD)[0]
    team_name, team_ref = ((team.name or "", team.id or "") if team is not None else ("", ""))

    def default(conversation_id: str) -> str:
        return "General" if team_ref and team_ref == conversation_id else ""

    if channel_id != here:  # a channel event: the channel it names is not the conversation it came through
        return Sent(Named("", team_name, default(here), team_ref), channel_id,
                    Named((channel.name if channel else "") or "", team_name, default(channel_id), team_ref))
    return Sent(Named((channel.name if channel else "") or "", team_name, default(here), team_ref))


def thread_root(activity: Any) -> str:
    """The root post of the channel thread `activity` replies in, else "": Teams can name a new post's
    conversation `<channel>;messageid=<its own id>`, which is no reply."""
    conversation_id = (activity.conversation.id if activity.conversation else "") or ""
    _, marker, root = conversation_id.partition(THREAD)
    return root if marker and root != activity.id else ""


def turn_of(activity: Any) -> Turn:
    """Who speaks where; a new channel post's own `;messageid=` is dropped (its conversation is the channel)."""
    conversation, sender = activity.conversation, activity.from_
    conversation_id = (conversation.id if conversation else "") or ""
    if not thread_root(activity):
        conversation_id = conversation_id.partition(THREAD)[0]
    here = names_sent(activity).here
    name = label(here.name, here.team_name) if here.name else ""
    team = getattr(activity.channel_data, "team", None) if activity.channel_data is not None else None
    return Turn(workspace_of(activity), sender.id if sender else "", (sender.name if sender else "") or "",
                conversation_id, (conversation.conversation_type if conversation else "") or "", name,
                (getattr(team, "aad_group_id", None) or "") if team is not None else "")


def mentions_bot(activity: Any) -> bool:
    """The message @mentions the bot (a mention entity naming the recipient): in a channel, where the
    app's RSC permission brings every message, only such a message is a command."""
    check = getattr(activity, "is_recipient_mentioned", None)
    return bool(check()) if callable(check) else False


def _dialog_actions(actions: list[dict[str, Any]]) -> None:
    for n, action in enumerate(actions):
        if action.get("type") == "Action.Execute" and action.get("verb") in DIALOGS:
            actions[n] = {"type": "Action.Submit", "title": action["title"],
                          "data": {"msteams": {"type": "task/fetch"}, **action["data"]}}


def activity(said: Said, name_of: Callable[[str], str] = str, channel_of: Namer | None = None) -> dict[str, Any]:
    """A message activity for `said`, within Teams' limits (`name_of`: a mentioned member's name,
    `channel_of`: a conversation's, as read where it is sent)."""
    out = render.activity(for_teams(said, channel_of or namer()), name_of)
    for element in out["attachments"][0]["content"]["body"]:
        if element.get("type") == "ActionSet":
            _dialog_actions(element["actions"])
    return out


def card(said: Said, names: Mapping[str, str] | None = None, channel_of: Namer | None = None) -> dict[str, Any]:
    known = names or {}
    return activity(said, lambda user_id: known.get(user_id, "a member"), channel_of)["attachments"][0]["content"]


def replaced(said: Said, names: Mapping[str, str] | None = None, channel_of: Namer | None = None) -> dict[str, Any]:
    """The `adaptiveCard/action` response that replaces the pressed card with `said` (mentioned
    members by their `names`)."""
    return {"statusCode": 200, "type": CARD_RESPONSE, "value": card(said, names, channel_of)}


def opens(label: str, kind: str, value: str = "") -> m.Actions:
    """A button that opens the dialog `kind` (prefilled from `value`)."""
    return m.Actions((m.Button(label, kind, value, "primary"),))
