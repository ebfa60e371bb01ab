"""`python -m bot console --teams`: the console plays a Teams member of the console's workspace.

What is typed goes to the bot the way Teams sends it: a message activity signed by the Teams
emulator (bot/emulator/teams.py: keys, token check, Bot Connector), posted over HTTP to the Teams
SDK's `/api/messages` on 127.0.0.1, through the same handlers (handlers/teams/) as in production.
What the bot sends to the connector is shown as text (bot/render/teams_text.py); buttons are numbered:
a number presses it (a universal action, or a dialog asked field by field, as the Slack console does).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import jwt
import uvicorn

from bot.config import Settings
from bot.console import Console
from bot.emulator import TEAM_ID
from bot.emulator.teams import TeamsEmulator
from bot.render.teams_text import card_text
from bot.teams.app import TeamsASGI, build_teams_app

APP_ID = "00000000-0000-0000-0000-0000000c0501"
CONVERSATION = {"conversation": "a:console", "conversation_type": "personal"}
WAIT = 10.0  # seconds the console waits for the bot's answer


def own_token(*_: Any, **__: Any) -> str:
    """The bot's own token, JWT-shaped as the SDK requires (the connector here is the emulator)."""
    return jwt.encode({"aud": "https://api.botframework.com", "exp": int(time.time()) + 3600}, "c" * 32)


class TeamsConsole:
    """A Teams member (`user_id`, of the console's workspace) talking to the bot through the emulator."""

    def __init__(self, console: Console, microsoft: TeamsEmulator, user_id: str, name: str,
                 write: Callable[[str], None] = print) -> None:
        self.console, self.microsoft, self.user_id, self.name, self.write = console, microsoft, user_id, name, write
        settings: Settings = replace(console.settings, teams_app_id=APP_ID, teams_app_password="console",
                                     teams_openid_metadata_url=microsoft.openid_metadata_url)
        from handlers.teams import register

        self.teams = build_teams_app(settings, token=own_token)
        register(self.teams, console.services)
        self.server = uvicorn.Server(uvicorn.Config(TeamsASGI(self.teams), host="127.0.0.1", port=0,
                                                    lifespan="off", log_level="warning"))
        self.buttons: list[dict[str, Any]] = []

    def __enter__(self) -> TeamsConsole:
        threading.Thread(target=self.server.run, daemon=True).start()
        deadline = time.monotonic() + WAIT
        while not (self.server.started and self.server.servers) and time.monotonic() < deadline:
            time.sleep(0.02)  # the console's own server starting: nothing to poll but its flag
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/messages"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True

    def _activity(self, **extra: Any) -> dict[str, Any]:
        base = self.microsoft.message("", user=self.user_id, tenant=TEAM_ID, **CONVERSATION)
        base["from"]["name"] = self.name
        return {**base, **extra}

    def _post(self, activity: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(self.url, json.dumps(activity).encode(), {
            "content-type": "application/json", "authorization": f"Bearer {self.microsoft.sign(activity)}"})
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            body = response.read()
        return json.loads(body) if body else {}

    def show(self, card: dict[str, Any]) -> None:
        """The card as text, each button numbered (numbers keep growing, so older buttons stay pressable)."""
        lines = card_text({**card, "body": [e for e in card.get("body") or [] if e.get("type") != "ActionSet"]})
        pressable = [a for e in card.get("body") or [] if e.get("type") == "ActionSet" for a in e["actions"]]
        choices = []
        for action in pressable:
            self.buttons.append(action)
            choices.append(f"[{len(self.buttons)}] {action.get('title', '')}")
        self.write(lines + ("\n" + "  ".join(choices) if choices else ""))

    def say(self, text: str) -> None:
        before = len(self.microsoft.sent)
        self._post(self._activity(text=text))
        for sent in self.microsoft.sent[before:]:
            for attachment in (sent.get("body") or {}).get("attachments") or []:
                self.show(attachment["content"])

    def press(self, number: int, ask: Callable[[str], str] = input) -> None:
        if not 0 < number <= len(self.buttons):
            self.write(f"There is no button {number}.")
            return
        button = self.buttons[number - 1]
        if button["type"] == "Action.Execute":
            before = len(self.microsoft.sent)
            answer = self._post(self._activity(type="invoke", name="adaptiveCard/action", value={
                "action": {"type": "Action.Execute", "verb": button["verb"], "data": button["data"]}}))
            for sent in self.microsoft.sent[before:]:
                for attachment in (sent.get("body") or {}).get("attachments") or []:
                    self.show(attachment["content"])
            if isinstance(answer.get("value"), dict):
                self.show(answer["value"])
            return
        task = self._post(self._activity(type="invoke", name="task/fetch", value={"data": button["data"]}))["task"]
        while task["type"] == "continue":
            form = task["value"]["card"]["content"]
            values = self.fill(form, ask)
            if values is None:
                self.write("(closed: nothing was saved)")
                return
            task = self._post(self._activity(type="invoke", name="task/submit", value={
                "data": {**values, **form["actions"][0]["data"]}}))["task"]
        self.write(str(task.get("value", "")))

    def fill(self, form: dict[str, Any], ask: Callable[[str], str]) -> dict[str, str] | None:
        """Each field asked in turn: Enter keeps the value shown, `-` clears it, `:cancel` closes."""
        values: dict[str, str] = {}
        for element in form.get("body") or []:
            if not str(element.get("type", "")).startswith("Input."):
                if element.get("color") == "Attention":
                    self.write("  ! " + card_text({"body": [element]}))
                continue
            shown = card_text({"body": [element]})
            typed = ask(f"{shown} > ").strip()
            if typed == ":cancel":
                return None
            values[element["id"]] = "" if typed == "-" else typed or str(element.get("value", ""))
        return values

    def handle(self, line: str, ask: Callable[[str], str] = input) -> bool:
        """One line typed; False to leave."""
        line = line.strip()
        if line in (":quit", ":exit"):
            return False
        if line.isdigit():
            self.press(int(line), ask)
        elif line:
            self.say(line)
        return True


def run_teams(console: Console, user_id: str, read: Callable[[str], str] = input) -> int:
    """The console's loop, as a Teams member: type commands as in Teams (`practice search wireless`)."""
    with TeamsEmulator(APP_ID) as microsoft, TeamsConsole(console, microsoft, user_id, console.display(user_id)) as teams:
        teams.write("In Teams: type the commands without a slash (practice help, roundtable list, home); "
                    "a number presses that button; :quit leaves.")
        while True:
            try:
                line = read("teams> ")
            except (EOFError, KeyboardInterrupt):
                teams.write("")
                return 0
            if not teams.handle(line, read):
                return 0
