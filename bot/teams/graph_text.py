"""A Graph chat message's HTML body (`body.contentType` html) as the text a digest's draft reads.

The draft (bot/digests/draft.py) reads messages in one shape, Slack's: text with `&`, `<`, `>`
escaped and links as `<url|label>`. So a Teams message's body is parsed (html.parser, never a
regex over markup), its text escaped, each `<a href>` with an http(s) or mailto address written
as `<url|label>`, each mention (`<at>Name</at>`) as `@Name`, an emoji as its alt text; every other
tag (images, cards, styles, scripts) leaves nothing but its text, so no markup reaches the draft,
and nothing a member typed becomes a link or a mention there.
"""

from __future__ import annotations

from html.parser import HTMLParser

BREAKS = frozenset({"br", "p", "div", "li", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
SKIPPED = frozenset({"script", "style", "head", "title", "attachment"})
SCHEMES = ("http://", "https://", "mailto:")


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _address(href: str) -> str:
    """`href` as a draft link's address ("" when it is no web or mail address): no `|`, `<`, `>` or space."""
    href = href.strip()
    if not href.lower().startswith(SCHEMES):
        return ""
    return href.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.link: tuple[str, list[str]] | None = None  # the open <a>: its address and its text
        self.mention: list[str] | None = None  # the open <at>: its text

    def _emit(self, text: str) -> None:
        if self.mention is not None:
            self.mention.append(text)
        elif self.link is not None:
            self.link[1].append(text)
        else:
            self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BREAKS:
            self._emit("\n")
        elif tag == "at" and self.mention is None:
            self.mention = []
        elif tag == "a" and self.link is None and self.mention is None:
            self.link = (_address(dict(attrs).get("href") or ""), [])
        elif tag in ("emoji", "img") and not self.skipping:
            alt = dict(attrs).get("alt") or ""
            if tag == "emoji" and alt:
                self._emit(escaped(alt))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "at" and self.mention is not None:
            name, self.mention = " ".join("".join(self.mention).split()), None
            if name:
                self._emit("@" + name)
        elif tag == "a" and self.link is not None:
            (address, parts), self.link = self.link, None
            label = " ".join("".join(parts).split())
            if not address:
                self._emit(label)
            elif not label or label in (escaped(address), escaped(address.removeprefix("mailto:"))):
                self._emit(f"<{address}>")
            else:
                self._emit(f"<{address}|{label.replace('|', '/')}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._emit(escaped(data))

    def text(self) -> str:
        if self.link is not None:
            self.handle_endtag("a")
        if self.mention is not None:
            self.handle_endtag("at")
        return "".join(self.out)


def draft_text(content: str, content_type: str = "html") -> str:
    """The body as the draft reads it (see the module's doc); plain text bodies are only escaped."""
    if content_type.lower() != "html":
        return escaped(content)
    reader = _Reader()
    reader.feed(content)
    reader.close()
    return reader.text().strip()
