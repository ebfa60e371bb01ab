"""The bot's own wording, as a Teams member reads it: the same sentences Slack's replies use, with
the command words as typed in Teams (`practice search`, not `/practice search`: a Teams bot command
has no slash) and the bot's short mrkdwn (`*bold*`, `` `code` ``) read into neutral segments.

A conversation (a `ChannelRef`) is named, never shown by its raw `19:...` id: by the name the bot
knows for it ("Team › Channel", a group chat's name: `label`; Teams sent it with this activity, or
with an earlier one, storage/teams_conversations.py), else "this channel" / "this chat" where the
message is read, "another channel" / "another chat" elsewhere (`conversation_name`). A name is
member text: it becomes a Text segment, escaped by the renderer, never a mention or a link.

Only the bot's wording passes through `in_paragraphs`; a member's text inside a composed Message is a Text
segment already, and `as_typed` only drops the slash before our own command words in it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot import messages as m

COMMANDS = ("practice", "ask", "roundtable", "roundup", "digest", "profile")
SLASHED = re.compile(r"(?<![\w/<])/(" + "|".join(COMMANDS) + r")\b")
MARKS = re.compile(r"`([^`\n]+)`|\*([^*\n]+)\*")
TEAM_CHANNEL = re.compile(r"@thread\.(tacv2|skype)$")  # a team's channel; a group chat is `@thread.v2`
THREAD = ";messageid="  # a channel thread's conversation id: `<channel>;messageid=<root post>`
Namer = Callable[[str], str]
INVITE = "/invite @Roundtable"  # Slack's way to bring the bot into a channel
INVITE_ASK = re.compile(r"([Ii])nvite me(?: to the channel| there)? with $")  # the words before it
ADD_TO_TEAM = "dd Roundtable to the team"  # Teams' way (after "A" or "a")


SEPARATOR = " › "  # between a team's name and its channel's
UNNAMED = {"channel": "a channel", "groupChat": "a group chat"}  # a conversation Teams has not named


def label(name: str, team_name: str = "") -> str:
    """A conversation as its members know it: "Team › Channel", a group chat's name; "" when unnamed."""
    if name and team_name:
        return f"{team_name}{SEPARATOR}{name}"
    return name or (f"a channel of {team_name}" if team_name else "")


def offered(conversations: Iterable[tuple[str, str, str, str]], here: str) -> list[tuple[str, str]]:
    """Conversations (id, type, name, team name) as a choice names them, `here` first: each by its
    label, else "a channel" / "a group chat" (numbered when there are two), never by its id."""
    here = here.partition(THREAD)[0]
    out: list[tuple[str, str]] = []
    seen: Counter[str] = Counter()
    for channel_id, kind, name, team_name in sorted(conversations, key=lambda c: c[0] != here):
        if THREAD in channel_id:  # a thread (kept before 0018) is its channel
            continue
        named = label(name, team_name)
        shown = named or UNNAMED.get(kind, "a conversation")
        seen[shown] += 1
        shown += f" ({seen[shown]})" if seen[shown] > 1 else ""  # two unnamed chats are still two choices
        if channel_id == here:
            shown = f"{named} (this conversation)" if named else "This conversation"
        out.append((channel_id, shown))
    return out


def conversation_name(channel_id: str, here: str = "", name: str = "", known: Mapping[str, str] | None = None) -> str:
    """What a reader calls `channel_id`, read in the conversation `here` (known there as `name`); ""
    for `here`: wherever it is posted (a proactive post names the conversation it goes to). `known`:
    the labels the bot keeps, by conversation id."""
    channel_id = channel_id.partition(THREAD)[0]
    is_here = not here or channel_id == here.partition(THREAD)[0]
    if is_here and name:
        return name
    if kept := (known or {}).get(channel_id):
        return kept
    kind = "channel" if TEAM_CHANNEL.search(channel_id) else "chat"
    return f"this {kind}" if is_here else f"another {kind}"


def namer(here: str = "", name: str = "", known: Mapping[str, str] | None = None) -> Namer:
    return lambda channel_id: conversation_name(channel_id, here, name, known)


def conversations(*values: Any) -> set[str]:
    """Every conversation the composed values name (their `ChannelRef`s), without a thread's marker."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, m.ChannelRef):
            found.add(value.channel_id.partition(THREAD)[0])
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))

    walk(values)
    return found


def as_typed(text: str) -> str:
    """`/practice help` -> `practice help`: a Slack command word as a Teams member types it."""
    return SLASHED.sub(r"\1", text)


def inline(text: str) -> m.Inline:
    """The bot's own one-line wording (Slack mrkdwn's `code` and *bold* only) as segments."""
    out: list[m.Segment] = []
    at = 0
    for match in MARKS.finditer(text):
        if match.start() > at:
            out.append(m.Text(as_typed(text[at:match.start()])))
        out.append(m.code(as_typed(match[1])) if match[1] is not None else m.bold(as_typed(match[2])))
        at = match.end()
    if at < len(text):
        out.append(m.Text(as_typed(text[at:])))
    return tuple(out)


def in_paragraphs(text: str) -> m.Message:
    """A reply in words: each line its own paragraph."""
    lines = [line for line in text.split("\n") if line.strip()] or [text]
    return m.Message(inline(lines[0]), tuple(m.Paragraph(inline(line)) for line in lines))


def _without_invite(inline: tuple[Any, ...]) -> tuple[Any, ...]:
    """Slack's "invite me with `/invite @Roundtable`" as what a Teams member does: add the app to the
    team ("Invite me to #c with `/invite @Roundtable`": "Invite me to c (add Roundtable to the team)")."""
    def is_invite(segment: Any) -> bool:
        return isinstance(segment, m.Text) and segment.style == "code" and segment.text == INVITE

    if not any(is_invite(segment) for segment in inline):
        return inline
    out: list[Any] = []
    for segment in inline:
        if not is_invite(segment):
            out.append(segment)
            continue
        before = out.pop() if out and isinstance(out[-1], m.Text) else m.Text("")
        asked = INVITE_ASK.search(before.text)
        if asked is not None:
            capital = "A" if asked[1] == "I" else "a"
            out += [dataclasses.replace(before, text=before.text[:asked.start()]), m.Text(capital + ADD_TO_TEAM)]
        elif before.text.endswith(" with "):
            out += [dataclasses.replace(before, text=before.text.removesuffix("with ")), m.Text(f"(a{ADD_TO_TEAM})")]
        else:
            out += [before, m.Text("a" + ADD_TO_TEAM)]
    return tuple(s for s in out if not (isinstance(s, m.Text) and not s.text))


def _opens(before: list[Any]) -> bool:
    """Whether what follows `before` (the segments so far) begins a sentence."""
    last = before[-1] if before else None
    return last is None or (isinstance(last, m.Text) and last.text[-1:].isspace()
                            and last.text.rstrip()[-1:] in (".", "?", "!"))


def _walk(value: Any, channel_of: Namer) -> Any:
    if isinstance(value, m.ChannelRef):
        return m.Text(channel_of(value.channel_id))
    if isinstance(value, m.Text):
        return dataclasses.replace(value, text=as_typed(value.text)) if "/" in value.text else value
    if isinstance(value, m.Button):
        return dataclasses.replace(value, label=as_typed(value.label), confirm=_walk(value.confirm, channel_of))
    if isinstance(value, tuple):
        out: list[Any] = []
        for v in _without_invite(value):
            out.append(_walk(v, channel_of))
            if isinstance(v, m.ChannelRef) and out[-1].text.startswith(("this ", "another ")) and _opens(out[:-1]):
                out[-1] = m.Text(out[-1].text.capitalize())  # "Budget? This channel will be told."
        return tuple(out)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _walk(getattr(value, f.name), channel_of)
                                             for f in dataclasses.fields(value) if f.init})
    return value


def in_teams_terms(value: Any, channel_of: Namer = conversation_name) -> Any:
    """Any composed value (a form's parts too) with Teams' command words and conversations named."""
    return _walk(value, channel_of)


def for_teams(message: m.Message | m.Inline | str, channel_of: Namer = conversation_name) -> m.Message:
    """Any reply (a composed Message, a line, or words) with Teams' command words, and conversations
    named by `channel_of` (`namer`)."""
    if isinstance(message, str):
        message = in_paragraphs(message)
    elif isinstance(message, tuple):
        message = m.Message(message, (m.Paragraph(message),))
    if not message.parts:  # a one-line post (Slack shows its text): the card says it too
        message = m.Message(message.fallback, (m.Paragraph(message.fallback),), message.unfurl)
    return _walk(message, channel_of)
