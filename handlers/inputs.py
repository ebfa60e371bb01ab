"""Global middleware: text as members typed it, minus what no database column can hold.

A NUL character (U+0000) is valid in Slack's JSON but PostgreSQL's text columns refuse it, so a
share, a question or a modal field holding one would fail the whole unit of work. It is taken out
of every string of every payload here, once, before any listener sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest

from bot.services import Services


def without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


def register(app: App, services: Services) -> None:
    @app.middleware
    def strip_nul(req: BoltRequest, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
        cleaned = without_nul(req.body)
        if cleaned != req.body:
            req.body.clear()
            req.body.update(cleaned)
        next()
