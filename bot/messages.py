"""A message in neutral terms: what it says, its parts, people, times, links and buttons.

Features compose a `Message` once; each platform renders it (bot/render/slack.py for Block Kit,
bot/render/text.py for the terminal; an Adaptive Cards renderer plugs in beside them). Nothing
here is markup: a `Text` holds what a member or the bot wrote, as a reader should see it, and
escaping it for a platform is the renderer's job. Limits here are meaning ("a title in a list
shows at most 120 characters"); a platform's hard limits are its renderer's.

`to_data` / `from_data` turn a message into JSON-ready data and back, so storage keeps content
rather than any platform's markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

Style = Literal["", "bold", "italic", "code"]
DateShown = Literal["short", "short_pretty", "long_pretty"]  # Jan 2, 2026 / Jan 2nd / Friday, January 2nd


@dataclass(frozen=True)
class Text:
    """Words shown as they are (never read as markup). `cut`: show at most that many characters,
    ending with an ellipsis when longer; white space is folded when `fold` is set."""

    text: str
    style: Style = ""
    cut: int = 0
    fold: bool = False

    def shown(self) -> str:
        text = " ".join(self.text.split()) if self.fold else self.text
        if self.cut and len(text) > self.cut:
            return text[: max(0, self.cut - 1)].rstrip() + "…"
        return text


@dataclass(frozen=True)
class Mention:
    user_id: str  # a member, by their id on the platform (Slack's U..., a Teams AAD object id later)


@dataclass(frozen=True)
class ChannelRef:
    """A channel (Slack) or a conversation (Teams) by its id."""

    channel_id: str


@dataclass(frozen=True)
class Link:
    """A web link; a renderer shows only the label when the URL is not one it can link safely."""

    url: str
    label: Text


@dataclass(frozen=True)
class LocalTime:
    """An instant that each reader sees in their own time zone; `fallback` where that cannot be."""

    at: datetime
    fallback: str
    date: DateShown = "short_pretty"
    time: bool = True


@dataclass(frozen=True)
class Styled:
    """A style over several segments: `*@maria asks:*`."""

    style: Style
    inner: tuple[Text | Mention | ChannelRef | Link | LocalTime, ...]


Segment = Text | Mention | ChannelRef | Link | LocalTime | Styled
Inline = tuple[Segment, ...]


def plain(text: str, **how: Any) -> Text:
    return Text(text, **how)


def bold(text: str, **how: Any) -> Text:
    return Text(text, "bold", **how)


def italic(text: str, **how: Any) -> Text:
    return Text(text, "italic", **how)


def code(text: str) -> Text:
    return Text(text, "code")


def line(*pieces: Segment | str) -> Inline:
    """Segments from pieces, a bare string being plain text."""
    return tuple(Text(p) if isinstance(p, str) else p for p in pieces)


def joined(lines: list[Inline] | tuple[Inline, ...], separator: str = "\n") -> Inline:
    out: list[Segment] = []
    for n, piece in enumerate(lines):
        if n:
            out.append(Text(separator))
        out.extend(piece)
    return tuple(out)


def listed(items: list[Segment] | tuple[Segment, ...], last: str = " and ") -> Inline:
    """`a`, `a and b`, `a, b and c` (or `a, b, c` with last=", ")."""
    out: list[Segment] = []
    for n, item in enumerate(items):
        if n:
            out.append(Text(last if n == len(items) - 1 else ", "))
        out.append(item)
    return tuple(out)


@dataclass(frozen=True)
class Confirm:
    """A dialog that asks before a button acts."""

    title: str
    text: Inline
    yes: str
    no: str
    style: Literal["", "primary", "danger"] = ""


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # what pressing it does: the listener's action id
    value: str = ""
    style: Literal["", "primary", "danger"] = ""
    confirm: Confirm | None = None


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    button: Button | None = None  # beside the text
    quote: Inline = ()  # quoted under the text (what someone said)
    whole: bool = False  # never cut: a platform that limits its blocks spreads it over several


@dataclass(frozen=True)
class Heading:
    """A title line: plain words, never markup."""

    text: str


@dataclass(frozen=True)
class Items:
    """A titled list that counts what it does not show: the renderer drops lines that do not fit
    its platform and says "and N more", with `hint` (where to see them all)."""

    heading: str
    lines: tuple[Inline, ...]
    more: int = 0  # items that exist beyond `lines`
    hint: Inline = ()


@dataclass(frozen=True)
class Context:
    """Small print under or above the content: figures, who and when."""

    elements: tuple[Inline, ...]


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Actions:
    buttons: tuple[Button, ...]
    id: str = ""  # a stable name for the row, when listeners look for it


Part = Heading | Paragraph | Items | Context | Divider | Actions


@dataclass(frozen=True)
class Message:
    """`fallback` is the notification and screen-reader text (what the message says, short; renderers
    show `summary(message)`, which falls back to the parts when it says nothing); `parts` the message."""

    fallback: Inline
    parts: tuple[Part, ...] = field(default_factory=tuple)
    unfurl: bool | None = None  # previews of the links in it (None: the platform's default)


SUMMARY_CHARS = 150  # a notification or a screen reader's first words: what the message says, short
EMOJI = re.compile(r":[a-z0-9_+'-]+(?:::[a-z0-9_-]+)?:|[\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\ufe0f\u200d]|"
                   r"[\U0001f000-\U0001faff]")
UNSAID = frozenset({"", "roundtable", "message", "notification"})  # says nothing about what the message says


def words(inline: Inline) -> str:
    """What a reader hears from segments: their words, with emoji (:eyes:, ✅) and marks left out."""
    def words_of(segment: Segment) -> str:
        if isinstance(segment, Text):
            return segment.shown()
        if isinstance(segment, Mention | ChannelRef):
            return "someone" if isinstance(segment, Mention) else "a channel"
        if isinstance(segment, Link):
            return segment.label.shown()
        if isinstance(segment, LocalTime):
            return segment.fallback
        return "".join(words_of(s) for s in segment.inner)
    return " ".join(EMOJI.sub(" ", "".join(words_of(s) for s in inline)).split())


def meaningful(inline: Inline) -> bool:
    """Some words beside any emoji, and more than the bot's name."""
    return words(inline).strip(" .,:;!?-–—*_").lower() not in UNSAID


def _shorter(inline: Inline, room: int) -> Inline:
    out: list[Segment] = []
    for segment in inline:
        if room <= 0:
            break
        if isinstance(segment, Text):
            out.append(Text(segment.text, segment.style, min(segment.cut or room, room), segment.fold))
            room -= len(out[-1].shown())
        else:
            out.append(segment)
            room -= len(words((segment,))) or 1
    return tuple(out)


def summary(message: Message) -> Inline:
    """The one fallback rule every renderer uses (notification and screen-reader text): the message's
    own `fallback` when it says something, else its first heading or paragraph that does; at most
    SUMMARY_CHARS characters of text."""
    candidates: list[Inline] = [message.fallback]
    for part in message.parts:
        if isinstance(part, Heading | Paragraph | Items):
            said = part.heading if isinstance(part, Items) else part.text
            candidates.append(line(said) if isinstance(said, str) else said)
    chosen = next((c for c in candidates if meaningful(c)), ())
    return _shorter(chosen, SUMMARY_CHARS)


def mentions(message: Message) -> list[str]:
    """The members a message mentions, in order, once each."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mention):
            found.append(value.user_id)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for f in fields(value):
                walk(getattr(value, f.name))

    walk(message.parts)
    return list(dict.fromkeys(found))


KINDS: dict[str, type] = {cls.__name__: cls for cls in (
    Text, Mention, ChannelRef, Link, LocalTime, Styled, Confirm, Button, Heading, Paragraph, Items, Context, Divider, Actions,
    Message)}


def to_data(value: Any) -> Any:
    """JSON-ready data: every object tagged with its kind, instants as ISO 8601."""
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, datetime):
        return {"kind": "instant", "iso": value.isoformat()}
    if type(value).__name__ in KINDS and hasattr(value, "__dataclass_fields__"):
        return {"kind": type(value).__name__, **{f.name: to_data(getattr(value, f.name)) for f in fields(value)}}
    return value


def from_data(data: Any) -> Any:
    """The inverse of `to_data`; raises ValueError on anything it did not write."""
    if isinstance(data, list):
        return tuple(from_data(v) for v in data)
    if not isinstance(data, dict):
        return data
    kind = data.get("kind")
    if kind == "instant":
        return datetime.fromisoformat(data["iso"])
    cls = KINDS.get(str(kind))
    if cls is None:
        raise ValueError(f"not a message part: {kind!r}")
    return cls(**{k: from_data(v) for k, v in data.items() if k != "kind"})
