"""A Teams member's side of a conversation with the bot, over HTTP with signed activities: what they
type (`say`), the buttons they press (`press`: an `adaptiveCard/action` invoke) and the dialogs they
open and submit (`open_dialog`, `submit_dialog`: `task/fetch`, `task/submit`)."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.emulator.teams import TeamsEmulator
from bot.render import teams_text
from tests.bot.teams.edge import post, wait_for

PERSONAL = {"conversation": "a:personal-1", "conversation_type": "personal"}


def card_text(card: dict[str, Any]) -> str:
    """The card as a member reads it (bot/render/teams_text.py)."""
    return teams_text.card_text(card)


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for element in card.get("body", []) if element.get("type") == "ActionSet" for a in element["actions"]]


@dataclass
class Member:
    url: str
    microsoft: TeamsEmulator
    user: str = "29:user-1"
    where: dict[str, str] | None = None

    channel_type: str = "standard"  # in a channel: a team's standard channel (private and shared ones are private)
    channel_name: str = ""  # in a channel: its name, as Teams sends it in channelData (when it does)
    team: dict[str, str] | None = None  # in a channel: channelData.team ({"id", "name"}), when Teams sends it
    chat_name: str = ""  # in a group chat: conversation.name, when the chat has one
    mention: bool = True  # in a channel: the message @mentions the bot (RSC brings the others too)

    def _activity(self, **extra: Any) -> dict[str, Any]:
        base = self.microsoft.message("", user=self.user, mention=self.mention, **(self.where or PERSONAL))
        if base["conversation"]["conversationType"] == "channel":
            base["channelData"]["channel"] = {"id": base["conversation"]["id"], "type": self.channel_type,
                                              **({"name": self.channel_name} if self.channel_name else {})}
            if self.team is not None:
                base["channelData"]["team"] = {**base["channelData"].get("team", {}), **self.team}
        if self.chat_name:
            base["conversation"]["name"] = self.chat_name
        return {**base, **extra}

    def say(self, text: str) -> dict[str, Any]:
        """Type `text`; the card the bot answered with in the conversation."""
        before = len(self.microsoft.sent)
        activity = self._activity(text=text)
        assert post(self.url, activity, self.microsoft.sign(activity)) == 200
        sent = wait_for(lambda: self.microsoft.sent[before:])
        return sent[-1]["body"]["attachments"][0]["content"]

    def invoke(self, name: str, value: dict[str, Any], **extra: Any) -> dict[str, Any]:
        activity = self._activity(type="invoke", name=name, value=value, **extra)
        activity.pop("text", None)
        request = urllib.request.Request(self.url, json.dumps(activity).encode(), {
            "content-type": "application/json", "authorization": f"Bearer {self.microsoft.sign(activity)}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            return json.loads(response.read() or b"{}")

    def press(self, button: dict[str, Any], on: str = "") -> dict[str, Any]:
        """Press a universal action (on the posted message `on`); the card that replaces the pressed one."""
        assert button["type"] == "Action.Execute"
        answer = self.invoke("adaptiveCard/action", {"action": {"type": "Action.Execute", "verb": button["verb"],
                                                                "data": button["data"]}, "trigger": "manual"},
                             **({"replyToId": on} if on else {}))
        assert answer["statusCode"] == 200 and answer["type"] == "application/vnd.microsoft.card.adaptive"
        return answer["value"]

    def open_dialog(self, button: dict[str, Any]) -> dict[str, Any]:
        """Press a button that opens a dialog; the task module response."""
        assert button["type"] == "Action.Submit" and button["data"]["msteams"] == {"type": "task/fetch"}
        return self.invoke("task/fetch", {"data": button["data"]})

    def submit_dialog(self, dialog: dict[str, Any], **values: str) -> dict[str, Any]:
        """Fill the dialog's fields (`values` over what it prefills) and press its submit."""
        form = dialog["task"]["value"]["card"]["content"]
        filled = {e["id"]: e.get("value", "") for e in form["body"] if "id" in e}
        return self.invoke("task/submit", {"data": {**filled, **values, **form["actions"][0]["data"]}})
