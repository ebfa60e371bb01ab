"""Console mode: talk to the real Bolt app in a terminal, on the SQLite default, without Slack.

Slash commands and channel messages are turned into signed, Slack-shaped payloads and dispatched
to the same app and handlers as production; what the bot sends to the Web API (run by the local
emulator) is printed as readable text, with buttons as numbered choices.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest

from bot import demo, payloads
from bot.config import Settings
from bot.console.render import Choice, render_blocks, render_call
from bot.emulator import Call, SlackEmulator
from bot.runtime import build_services
from bot.services import utc_now

CHANNEL = "C0GENERAL"
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
HELP = """Type as you would in Slack's #general:
  /practice ...        any slash command, e.g. /practice help
  anything else        a message in #general
  1, 2, ...            press the numbered button
  :reply <text>        reply in the thread of the last channel message
  :digest              "Save discussion digest" on the last channel message's thread
  :react <emoji>       react to the last channel message, e.g. :react white_check_mark
  :home                open the bot's Home tab
  :as <role or id>     switch member: mayor, cio, moderator, or a user id
  :tick [30m|2h|1d]    move the clock forward and run the scheduler's jobs now
  :help, :quit"""


class Console:
    def __init__(self, settings: Settings, emulator: SlackEmulator, user_id: str,
                 write: Callable[[str], None] = print) -> None:
        self.emulator = emulator
        self.settings = replace(
            settings, bot_token="xoxb-console", signing_secret=secrets.token_hex(16),
            app_token="", api_url=emulator.api_url, client_id="", client_secret="",  # one workspace
            moderator_user_ids=settings.moderator_user_ids | demo.MODERATOR_IDS,
            roundup_channel=settings.roundup_channel or CHANNEL,
        )
        self.services = build_services(self.settings)
        self.offset = timedelta(0)  # :tick moves the console's clock forward
        self.services.clock = lambda: utc_now() + self.offset
        emulator.clock = lambda: self.services.clock().timestamp()
        from bot.app import create_app

        self.app: App = create_app(self.services, process_before_response=True)
        self.user_id = user_id
        self.write = write
        self.choices: list[Choice] = []
        self.last_ts = ""
        self.seen = len(emulator.calls)

    # input -------------------------------------------------------------------------------
    def handle(self, line: str, ask: Callable[[str], str] = input) -> bool:
        """Handle one typed line; False when the person asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        if line == ":help":
            self.write(HELP)
        elif line.startswith(":as"):
            self.switch(line[3:].strip())
        elif line.startswith(":tick"):
            self.tick(line[5:].strip(), ask)
        elif line.startswith(":reply "):
            self.message(line[7:], thread_ts=self.last_ts)
        elif line == ":digest":
            self.shortcut("save_digest", ask)
        elif line.startswith(":react "):
            self.dispatch(payloads.event_callback(payloads.reaction_added(
                line[7:].strip().strip(":"), user=self.user_id, channel=CHANNEL, ts=self.last_ts)))
        elif line == ":home":
            self.dispatch(payloads.event_callback(payloads.app_home_opened(self.user_id)))
        elif line.isdigit():
            self.press(int(line), ask)
        elif line.startswith("/"):
            command, _, text = line.partition(" ")
            self.dispatch(payloads.slash_command(
                command, text, user=self.user_id, channel=CHANNEL,
                response_url=self.emulator.response_url(command.strip("/"))), ask)
            self.last_ts = self.latest_top_level() or self.last_ts  # e.g. the question /ask posted
        else:
            self.message(line)
        return True

    def switch(self, who: str) -> None:
        user_id = demo.resolve_user(who)
        if user_id is None:
            self.write("Unknown member. Try mayor, cio, moderator, or one of: "
                       + ", ".join(m.user_id for m in demo.MEMBERS))
            return
        self.user_id = user_id
        self.write(f"You are now {self.display(user_id)}.")

    def tick(self, step: str, ask: Callable[[str], str]) -> None:
        """Time travel for trying out scheduled posts: the clock moves, then every job runs once."""
        from bot.scheduler import JOBS

        match = re.fullmatch(r"(\d+)([mhd])", step) if step else None
        if step and match is None:
            self.write("Usage: :tick, :tick 30m, :tick 2h or :tick 1d")
            return
        if match:
            self.offset += timedelta(**{UNITS[match[2]]: int(match[1])})
        now = self.services.clock()
        self.write(f"(clock: {now:%Y-%m-%d %H:%M} UTC)")
        for job in JOBS:
            job.run(self.services)
        self.show_new_calls(ask)

    def message(self, text: str, thread_ts: str | None = None) -> None:
        event = payloads.message_event(text, user=self.user_id, channel=CHANNEL, thread_ts=thread_ts)
        self.emulator.messages.setdefault(CHANNEL, []).append(dict(event))
        if not thread_ts:
            self.last_ts = event["ts"]
        self.dispatch(payloads.event_callback(event))

    def shortcut(self, callback_id: str, ask: Callable[[str], str]) -> None:
        """A message shortcut on the last channel message, as Slack sends it (with its reply count)."""
        posted = self.emulator.messages.get(CHANNEL, [])
        parent = next((m for m in posted if m["ts"] == self.last_ts), None)
        if parent is None:
            self.write("Post a message in the channel first (and :reply to it).")
            return
        replies = sum(1 for m in posted if m.get("thread_ts") == self.last_ts)
        message = {**parent, "thread_ts": parent["ts"], "reply_count": replies} if replies else parent
        self.dispatch(payloads.message_shortcut(callback_id, message, user=self.user_id, channel=CHANNEL,
                                                response_url=self.emulator.response_url("shortcut")), ask)

    def latest_top_level(self) -> str:
        top = [m for m in self.emulator.messages.get(CHANNEL, []) if not m.get("thread_ts")]
        return top[-1]["ts"] if top else ""

    def press(self, number: int, ask: Callable[[str], str]) -> None:
        if not 1 <= number <= len(self.choices):
            self.write("No such choice.")
            return
        choice = self.choices[number - 1]
        self.dispatch(payloads.block_action(
            choice.action_id, choice.value, user=self.user_id, channel=choice.channel or CHANNEL,
            message_ts=choice.message_ts, response_url=self.emulator.response_url("action")), ask)

    # dispatch ----------------------------------------------------------------------------
    def dispatch(self, payload: dict[str, Any], ask: Callable[[str], str] = input) -> dict[str, Any]:
        request = payloads.encode(payload, self.settings.signing_secret)
        response = self.app.dispatch(BoltRequest(body=request.body, headers=request.headers))
        body = _json_or_empty(response.body)
        if response.status >= 400:
            self.write(f"(Slack would show an error: HTTP {response.status})")
        elif body.get("text") or body.get("blocks"):
            self.show_lines(["(only you) " + render_blocks(body.get("blocks"), body.get("text", ""))])
        self.show_new_calls(ask)
        return body

    def show_new_calls(self, ask: Callable[[str], str]) -> None:
        calls = self.emulator.calls[self.seen:]
        self.seen = len(self.emulator.calls)
        views = [c for c in calls if c.method in ("views.open", "views.update")]
        modal = views[-1] if views and (views[0].method == "views.open") else None  # a "loading" modal
        for call in calls:  # opened then updated is filled in its final form
            rendered = render_call(call, self.display)
            if rendered is None:
                continue
            self.choices = rendered.choices or self.choices
            self.show_lines([rendered.text])
            if call is modal and _submittable(call):
                self.fill_modal(call, ask)

    def fill_modal(self, call: Call, ask: Callable[[str], str]) -> None:
        from bot.console.render import modal_inputs

        view = json.loads(call.args["view"]) if isinstance(call.args.get("view"), str) else call.args["view"]
        if "submit" not in view:  # a modal that only shows something: Slack offers no submit button
            return
        values: dict[str, dict[str, Any]] = {}
        for field in modal_inputs(view):
            answer = ask(f"{field.label}{' (optional)' if field.optional else ''}{field.hint}: ")
            values.setdefault(field.block_id, {})[field.action_id] = field.state(answer)
        body = self.dispatch(payloads.view_submission(
            view.get("callback_id", ""), values, user=self.user_id,
            private_metadata=view.get("private_metadata", "")), ask)
        for block_id, error in (body.get("errors") or {}).items():
            self.write(f"  ! {block_id}: {error}")
        updated = render_call(Call("views.update", {"view": body["view"]}, ""), self.display) if (
            body.get("response_action") == "update" and body.get("view")) else None
        if updated is not None:
            self.write(updated.text)

    def show_lines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def display(self, user_id: str) -> str:
        member = demo.member(user_id)
        return f"{member.name} ({member.title}, {member.city})" if member else user_id


def _submittable(call: Call) -> bool:
    """A modal without a submit button (a notice, a "loading" view) cannot be submitted in Slack."""
    view = json.loads(call.args["view"]) if isinstance(call.args.get("view"), str) else call.args.get("view", {})
    return "submit" in view or any(b.get("type") == "input" for b in view.get("blocks", []))


def _json_or_empty(body: str) -> dict[str, Any]:
    if not body:
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        return {"text": dict(parse_qsl(body)).get("text", body)}
    return value if isinstance(value, dict) else {}


def run_console(settings: Settings, *, as_user: str, demo_data: bool) -> int:
    user_id = demo.resolve_user(as_user)
    if user_id is None:
        print(f"roundtable: --as {as_user!r} is not mayor, cio, moderator or a demo member id", file=sys.stderr)
        return 2
    with SlackEmulator() as emulator:
        demo.add_members(emulator)
        console = Console(settings, emulator, user_id)
        if demo_data:
            demo.load(console.services)
        print("Roundtable console. You are", console.display(user_id) + ". Type :help for help.")
        while True:
            try:
                line = input("> ")
            except EOFError:
                print()
                return 0
            if not console.handle(line):
                return 0
