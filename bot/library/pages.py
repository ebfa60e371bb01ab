"""The library's pages: Jinja2 templates (autoescaped: everything a member wrote is text), rendered
from plain values, no JavaScript."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.dates import day_text
from bot.topics import topic_label


def when(value: datetime) -> str:
    return day_text(value)


def query(**values: str) -> str:
    """`?q=...&topic=...`: a stable URL for a search or a filter (empty values left out)."""
    kept = {k: v for k, v in values.items() if v}
    return "?" + urlencode(kept) if kept else ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("bot.library", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(topic=topic_label, when=when)
    env.globals.update(query=query)
    return env


def render(template: str, **values: Any) -> bytes:
    return environment().get_template(template).render(**values).encode()
