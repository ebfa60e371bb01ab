"""Properties of the Teams renderer: any composed message, whatever members typed, becomes an
activity within Teams' size limit in which a member's text is never markup, a mention, a link or a
DATE/TIME function."""

from __future__ import annotations

import re

from hypothesis import event, given

from bot import messages as m
from bot.render import teams
from bot.render.teams_limits import activity_problems
from tests.faults.strategies import modest
from tests.faults.test_properties_render import messages

FUNCTION = re.compile(r"\{\{(DATE\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, SHORT\)|TIME\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\))\}\}")
LINK = re.compile(r"(?<!\\)(?:\\\\)*\]\(([^)]*)\)")


def texts(value: object) -> list[str]:
    if isinstance(value, dict):
        own = [value["text"]] if value.get("type") == "TextBlock" else []
        return own + [t for k, v in value.items() if k != "msteams" for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def links(message: m.Message) -> set[str]:
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, m.Link):
            found.add(value.url)
        elif isinstance(value, tuple):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    walk(message.parts)
    return found


@modest
@given(messages)
def test_any_composed_message_fits_teams_and_member_text_stays_text(message: m.Message) -> None:
    activity = teams.activity(message)
    whole = teams._build(message, str, len(message.parts))  # every part, before fitting (measured only)
    event("past 40 KB with every part" if activity_problems(whole) else "fits with every part")
    assert activity_problems(activity) == []
    card = activity["attachments"][0]["content"]
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    entities = [e["text"] for e in activity["entities"]]
    assert card["msteams"]["entities"] == activity["entities"]
    safe = {url for url in links(message) if teams.SAFE_URL.fullmatch(url)}
    for text in texts(card["body"]):
        rest = text
        for entity in entities:
            rest = rest.replace(entity, "")
        assert "<" not in rest and ">" not in rest  # only the mentions' <at> tags are tags
        assert "{{" not in FUNCTION.sub("", rest)  # only local times are template functions
        assert set(LINK.findall(rest)) <= safe  # only the message's own http(s) links are links


def test_a_huge_list_is_cut_with_and_n_more_within_the_limit() -> None:
    lines = tuple(m.line("x" * 900 + " *not bold*") for _ in range(200))
    message = m.Message(m.line("list"), (m.Items("Practices", lines),) * 3)
    activity = teams.activity(message)
    assert activity_problems(activity) == []
    shown = texts(activity["attachments"][0]["content"]["body"])
    assert any(t.startswith("and ") and t.endswith(" more") for t in shown)
    assert all("*not bold*" not in t for t in shown) and any(r"\*not bold\*" in t for t in shown)
