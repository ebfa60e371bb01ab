"""Console mode: talk to the real Bolt app in a terminal, on SQLite, without Slack.

Slash commands and channel messages are turned into signed, Slack-shaped payloads and dispatched
to the same app and handlers as production; what the bot sends to the Web API (run by the local
emulator) is printed as readable text, with buttons as numbered choices and forms as prompts.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App

from bot import demo, payloads
from bot.config import Settings
from bot.console import forms
from bot.console.render import Buttons, Names, render_blocks, render_call
from bot.console.threads import Threads
from bot.emulator import Call, SlackEmulator
from bot.forms import Form, Values
from bot.render import slack_forms
from bot.runtime import build_services
from bot.services import utc_now
from bot.web import bolt_request

log = logging.getLogger("roundtable.console")
CHANNEL = "C0GENERAL"
CHANNEL_NAMES = {CHANNEL: "general"}
ESCAPED_COMMANDS = {"/profile"}  # manifest.yml's should_escape: Slack sends mentions as <@U…|name>
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
COMMAND = re.compile(r":([a-zA-Z]+)(?:\s+(.*))?", re.DOTALL)  # not `:tada:`, an emoji
HELP = """Type as you would in Slack's #general:
  /practice ...             any slash command, e.g. /practice help
  anything else             a message in #general; name members as you type them: @Neff, @Derrick Miller
  1, 2, ...                 press the button with that number (any message on screen)
  :reply [m3] <text>        reply in a thread: the one in view, or message m3's
  :react [m3] <emoji>       react to the message in view (or m3), e.g. :react white_check_mark
  :digest [m3]              "Save discussion digest" on the thread in view (or m3's)
  :home                     open the bot's Home tab
  :as [name or role]        switch member (mayor, cio, moderator, @Neff...); alone: who is who
  :tick [30m|2h|1d]         move the clock forward and run the scheduler's jobs now
  :help, :quit
In a form: Enter keeps [the value shown], - clears an optional field, :cancel leaves it."""


class Console:
    def __init__(self, settings: Settings, emulator: SlackEmulator, user_id: str,
                 write: Callable[[str], None] = print, clock: Callable[[], datetime] = utc_now) -> None:
        self.emulator = emulator
        self.settings = replace(
            settings, bot_token="xoxb-console", signing_secret=secrets.token_hex(16),
            app_token="", api_url=emulator.api_url, client_id="", client_secret="",  # one workspace
            moderator_user_ids=settings.moderator_user_ids | demo.MODERATOR_IDS,
            roundup_channel=settings.roundup_channel or CHANNEL,
        )
        self.services = build_services(self.settings)
        self.offset = timedelta(0)  # :tick moves the console's clock forward
        self.services.clock = lambda: clock() + self.offset
        emulator.clock = lambda: self.services.clock().timestamp()
        from bot.app import create_app

        self.app: App = create_app(self.services, process_before_response=True)
        self.user_id = user_id
        self.write = write
        self.buttons = Buttons()
        self.threads = Threads()
        self.names = Names(member=self.display, channel=lambda c: CHANNEL_NAMES.get(c, c))
        self.seen = len(emulator.calls)
        self.commands: dict[str, Callable[[str, Callable[[str], str]], None]] = {
            "help": lambda rest, ask: self.write(HELP), "as": lambda rest, ask: self.switch(rest),
            "tick": self.tick, "reply": self.reply, "react": self.react, "digest": self.digest,
            "home": lambda rest, ask: self.dispatch(payloads.event_callback(
                payloads.app_home_opened(self.user_id)), ask),
        }

    # input -------------------------------------------------------------------------------
    def handle(self, line: str, ask: Callable[[str], str] = input) -> bool:
        """Handle one typed line; False when the person asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line.lower() in (":quit", ":q", ":exit"):
            return False
        command = COMMAND.fullmatch(line)
        if command:
            run = self.commands.get(command[1].lower())
            if run is None:
                self.write(f"Unknown console command :{command[1]}. Type :help for the list "
                           "(nothing was posted).")
            else:
                run((command[2] or "").strip(), ask)
        elif line.isdigit():
            self.press(int(line), ask)
        elif line.startswith("/"):
            name, _, text = line.partition(" ")
            self.dispatch(payloads.slash_command(
                name, demo.mentions(text, escaped=True) if name in ESCAPED_COMMANDS else text,
                user=self.user_id, channel=CHANNEL, response_url=self.emulator.response_url(name.strip("/"))),
                ask)
        else:
            self.message(line)
        return True

    def switch(self, who: str) -> None:
        if not who:
            self.write(f"You are {self.display(self.user_id)}.\n{demo.roster()}")
            return
        user_id = demo.resolve_user(who)
        if user_id is None:
            self.write(f"No member called {who!r}.\n{demo.roster()}")
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

    def _thread(self, rest: str, usage: str) -> tuple[str, str] | None:
        """`[m3] text` -> (thread ts, text): the named message's thread, else the thread in view."""
        name, text = Threads.split(rest)
        ts = self.threads.find(name) if name else self.threads.current
        if name and ts is None:
            self.write(f"No message {name} on screen: the m-numbers are shown beside channel messages.")
            return None
        if not ts:
            self.write("Post a message in the channel first.")
            return None
        if not text and usage:
            self.write(usage)
            return None
        return ts, text

    def reply(self, rest: str, ask: Callable[[str], str]) -> None:
        found = self._thread(rest, "Usage: :reply [m3] <text>")
        if found:
            self.message(found[1], thread_ts=found[0])

    def react(self, rest: str, ask: Callable[[str], str]) -> None:
        found = self._thread(rest, "Usage: :react [m3] <emoji>, e.g. :react white_check_mark")
        if found:
            self.dispatch(payloads.event_callback(payloads.reaction_added(
                found[1].strip(":"), user=self.user_id, channel=CHANNEL, ts=found[0])), ask)

    def digest(self, rest: str, ask: Callable[[str], str]) -> None:
        """The message shortcut on a thread's first message, as Slack sends it (with its reply count)."""
        found = self._thread(rest, "")
        parent = self.emulator.message(CHANNEL, found[0]) if found else None
        if found and parent is None:
            self.write("That message is gone.")
        if parent is None:
            return
        replies = sum(1 for m in self.emulator.messages.get(CHANNEL, []) if m.get("thread_ts") == parent["ts"])
        message = {**parent, "thread_ts": parent["ts"], "reply_count": replies} if replies else parent
        self.dispatch(payloads.message_shortcut("save_digest", message, user=self.user_id, channel=CHANNEL,
                                                response_url=self.emulator.response_url("shortcut")), ask)

    def message(self, text: str, thread_ts: str | None = None) -> None:
        event = payloads.message_event(demo.mentions(text), user=self.user_id, channel=CHANNEL,
                                       thread_ts=thread_ts)
        self.emulator.add_message(CHANNEL, dict(event))
        ref = self.threads.seen(event["ts"], thread_ts)
        self.write(f"(replied in m{ref}'s thread)" if thread_ts else f"(posted as m{ref})")
        self.dispatch(payloads.event_callback(event))

    def press(self, number: int, ask: Callable[[str], str]) -> None:
        choice = self.buttons.by_number.get(number)
        if choice is None:
            self.write(f"No button [{number}] on screen" + (" any more: the message was updated, press one "
                       "of its new buttons." if number <= self.buttons.count else "."))
            return
        if choice.url:
            self.write(f"(opens {choice.url} in your browser)")
            return
        message = self.emulator.message(choice.channel, choice.message_ts) if choice.message_ts else None
        self.dispatch(payloads.block_action(
            choice.action_id, choice.value, user=self.user_id, channel=choice.channel or CHANNEL,
            message_ts=choice.message_ts, message=message, ephemeral=choice.ephemeral,
            response_url=self.emulator.response_url("action")), ask)

    # dispatch ----------------------------------------------------------------------------
    def dispatch(self, payload: dict[str, Any], ask: Callable[[str], str] = input) -> dict[str, Any]:
        request = payloads.encode(payload, self.settings.signing_secret)
        response = self.app.dispatch(bolt_request(request.body, request.headers))
        body = _json_or_empty(response.body)
        if response.status >= 400:
            self.write(f"(Slack would show an error: HTTP {response.status})")
        elif (body.get("text") or body.get("blocks")) and "response_action" not in body:
            self.write("(only you) " + render_blocks(body.get("blocks"), body.get("text", ""), self.names,
                                                      self.buttons))
        self.show_new_calls(ask)
        return body

    def show_new_calls(self, ask: Callable[[str], str]) -> None:
        calls = self.emulator.calls[self.seen:]
        self.seen = len(self.emulator.calls)
        views = [c for c in calls if c.method in ("views.open", "views.update")]
        modal = views[-1] if views and (views[0].method == "views.open") else None  # a "loading" modal
        for call in calls:  # opened then updated is filled in its final form
            rendered = render_call(call, self.names, self.buttons, self._heading(call))
            if rendered is None:
                continue
            self.write(rendered)
            if call is modal:
                self.fill_modal(_view(call.args), ask)

    def _heading(self, call: Call) -> str:
        """Beside a channel post: its m-number, or the thread it went to."""
        if call.method not in ("chat.postMessage", "chat.update") or call.args.get("channel") != CHANNEL:
            return ""
        ts = str(call.args.get("ts") or (call.answer or {}).get("ts", ""))
        thread = call.args.get("thread_ts") or None
        if call.method == "chat.update":
            ref = self.threads.ref(ts)
            return f", m{ref}" if ref else ""
        ref = self.threads.seen(ts, thread)
        return f" (thread of m{ref})" if thread else f" [m{ref}]"

    def fill_modal(self, view: dict[str, Any], ask: Callable[[str], str]) -> None:
        while "submit" in view:  # a modal without a submit button only shows something
            form = slack_forms.form_of(view)
            try:
                body = forms.fill(form, ask, self.write, self._submitter(form, ask))
            except forms.FormCancelled:
                self.write("(form closed; nothing was saved)")
                return
            if body.get("response_action") not in ("update", "push") or not body.get("view"):
                return
            view = body["view"]
            self.write(render_call(Call("views.update", {"view": view}, ""), self.names, self.buttons) or "")

    def _submitter(self, form: Form, ask: Callable[[str], str]) -> forms.Submit:
        def submit(values: Values) -> dict[str, Any]:
            return self.dispatch(payloads.view_submission(
                form.kind, slack_forms.state(form, values), user=self.user_id, private_metadata=form.state), ask)

        return submit

    def display(self, user_id: str) -> str:
        member = demo.member(user_id)
        return f"{member.name} ({member.title}, {member.city})" if member else user_id


def _view(args: dict[str, Any]) -> dict[str, Any]:
    view = args.get("view")
    return json.loads(view) if isinstance(view, str) else (view or {})


def _json_or_empty(body: str) -> dict[str, Any]:
    if not body:
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        return {"text": dict(parse_qsl(body)).get("text", body)}
    return value if isinstance(value, dict) else {}
