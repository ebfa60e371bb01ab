"""A one-line share that is probably a mistyped command or too short to be a practice.

`/practice serch wireless` must not become a practice posted to the channel: the member is asked
whether they meant `/practice search wireless`, and may still share it as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBCOMMANDS = ("search", "list", "mine", "show", "edit", "delete", "help")
MIN_TITLE_WORDS = 2  # "wifi" or "test" is not a practice anyone can learn from
MIN_TEXT_CHARS = 12


@dataclass(frozen=True)
class Slip:
    """What the member probably meant; `command` is empty when only the length was wrong."""

    typed: str
    command: str = ""  # the corrected text after `/practice`, e.g. "search wireless"


def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def near_subcommand(word: str) -> str | None:
    """The subcommand `word` is a near miss of (`serch`, `delte`, `lsit`, `Search:`), or None."""
    word = word.lower().rstrip(":,.")
    if word in SUBCOMMANDS:
        return word
    for subcommand in SUBCOMMANDS:
        if abs(len(word) - len(subcommand)) > 1 or word.startswith(subcommand):
            continue  # too far, or a word of its own: lists, shows, mined, deleted
        if len(subcommand) > 4:  # search, delete: up to two slips
            if distance(word, subcommand) <= 2:
                return subcommand
        # list, show, edit, help, mine: a letter dropped, doubled or swapped, never replaced
        # (snow, host, held and line are words a title starts with); the letters compared first,
        # the edit distance only then (every share's first word is checked against all of them)
        elif (len(word) != len(subcommand) or sorted(word) == sorted(subcommand)) and distance(word, subcommand) == 1:
            return subcommand
    return None


def find_slip(text: str) -> Slip | None:
    """Why this one-line share should not be published as typed, or None when it is a share
    (or has no words at all, which the title check answers)."""
    text = text.strip()
    first, _, rest = text.partition(" ")
    if "\n" not in text and (subcommand := near_subcommand(first)):
        return Slip(text, f"{subcommand} {rest.strip()}".strip())
    words = [w for w in text.split() if not w.startswith("#")]
    if words and (len(words) < MIN_TITLE_WORDS or len(" ".join(words)) < MIN_TEXT_CHARS):
        return Slip(text)
    return None
