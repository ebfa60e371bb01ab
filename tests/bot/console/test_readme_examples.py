"""The README's own examples work on the demo data: each one, typed in the console, finds something."""

from __future__ import annotations

import re

from tests.bot.console.terminal import terminal
from tests.harness import ROOT

NOT_EXAMPLES = {"/practice search", "/roundup", "/ask"}  # names of commands in the text, not examples
LAST = ("/practice delete", "/roundtable cancel")  # they remove what the others use: run last
FAILED = re.compile(r"Usage:|not found|No such|no practice|Only moderators|isn't|is not|can't|cannot|"
                    r"Unknown|Nothing matched|No roundtable|Sorry|went wrong|HTTP \d", re.IGNORECASE)


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text()
    commands = "|".join(re.findall(r"- command: /([a-z]+)", (ROOT / "manifest.yml").read_text()))
    found = [m for m in re.findall(rf"`(/(?:{commands})(?: [^`\n]*)?)`", text)
             if m not in NOT_EXAMPLES and not re.search(r"[<\[]|@member", m)]
    ordered = list(dict.fromkeys(found))
    removing = [e for e in ordered if e.startswith(LAST)]  # `cancel 1 --next` before `cancel 1`
    return [e for e in ordered if not e.startswith(LAST)] + sorted(removing, key=lambda e: "--next" not in e)


def test_the_readme_has_examples_for_every_command() -> None:
    examples = readme_examples()
    for command in ("/practice", "/roundtable", "/roundup", "/digest", "/profile"):
        assert any(e.split()[0] == command for e in examples), command
    assert "/practice search hotspots downtown #wireless city:Detroit" in examples


def test_each_readme_example_finds_something_on_the_demo(database_url: str) -> None:
    with terminal(database_url, "moderator") as t:
        t.console.handle(":as moderator")
        for example in [*readme_examples(), "How did you fund the hotspots?"]:
            start = len(t.shown)
            t.console.handle(example, ask=lambda prompt: ":cancel")  # a form opened is enough
            shown = "\n".join(t.shown[start:])
            assert shown.strip(), f"{example!r} showed nothing"
            assert not FAILED.search(shown), f"{example!r} found nothing:\n{shown}"
