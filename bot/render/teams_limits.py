"""Microsoft Teams' limits for bot messages: the one place they are written down.

MESSAGE_BYTES: a bot message (the whole activity, card included, as UTF-8 JSON) may be at most
40 KB. Microsoft's current formatting page says 100 KB, older pages 40 KB; the service answers 413
`MessageSizeTooBig` beyond it, so the stricter documented figure is the one kept (it holds for both).
The others are this renderer's own caps that keep one element from filling the card.
"""

from __future__ import annotations

import json
from typing import Any

MESSAGE_BYTES = 40 * 1024
TEXT_BLOCK = 4000  # characters of one TextBlock (markup included)
BODY_BYTES = 24 * 1024  # list lines stop here (the rest is "and N more"), leaving room for the rest
ITEMS_SHOWN = 50  # lines of one list before "and N more"
BUTTON_TITLE = 75
DATA_VALUE = 2000  # a button's value carried in Action.Execute data
MAX_ACTIONS = 6  # Teams shows at most six actions in a row


def size(activity: dict[str, Any]) -> int:
    return len(json.dumps(activity, ensure_ascii=False).encode())


def activity_problems(activity: dict[str, Any]) -> list[str]:
    n = size(activity)
    return [f"{n} bytes, more than {MESSAGE_BYTES}"] if n > MESSAGE_BYTES else []
