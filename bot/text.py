"""Text rules for everything the bot says in Slack."""

from __future__ import annotations

import re
from collections.abc import Callable

# mrkdwn emphasis around words: *bold*, _italic_, ~strike~, `code` (not a lone * or snake_case).
EMPHASIS = re.compile(r"(?<![\w*_~`])([*_~`])(?=\S)(.+?)(?<=\S)\1(?![\w*_~`])")


def escape(text: str) -> str:
    """Escape user text for mrkdwn: `<!everyone>` or `<http://x|label>` arrive as text, never as
    a ping or a disguised link. Slack asks for exactly these three and nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unformatted(text: str) -> str:
    """Text with mrkdwn emphasis marks taken off, as a terminal shows it."""
    return EMPHASIS.sub(lambda m: m.group(2), text)


def truncate(text: str, limit: int, more: str = "…") -> str:
    """Cut `text` to at most `limit` characters, ending with `more` when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(more))].rstrip() + more


def fit(text: str, limit: int, more: str = "…") -> str:
    """User text escaped for mrkdwn and cut so that the escaped form, with `more` (mrkdwn of our
    own, e.g. a pointer to the rest) when it was cut, is at most `limit` characters. Never cuts
    an entity in half."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    return escaped_prefix(text, limit - len(more), escape).rstrip() + more


def escaped_prefix(text: str, budget: int, escape_char: Callable[[str], str]) -> str:
    """The longest start of `text` whose escaped form (character by character) fits `budget`:
    an entity is kept whole or not at all."""
    kept, size = [], 0
    for char in text:
        piece = escape_char(char)
        if size + len(piece) > budget:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept)


MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's 64-bit ints overflow past 2**63 - 1 too


def parse_id(text: str) -> int | None:
    """A row number as members type it (`12`, `#12`) or as a button carries it; None for anything
    else: non-ASCII digits (`²`, `٣`), signs, zero, or numbers no id column holds."""
    digits = text.strip().removeprefix("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(MAX_ID)):
        return None
    number = int(digits)
    return number if 0 < number <= MAX_ID else None


def split_subcommand(text: str) -> tuple[str, str]:
    """`"search open data"` -> `("search", "open data")`; the subcommand is lower-cased."""
    word, _, rest = text.strip().partition(" ")
    return word.lower(), rest.strip()
