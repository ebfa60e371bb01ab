"""A console session as a member sees it: what they type, what comes back, the form prompts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot import demo
from bot.console import Console
from bot.emulator import SlackEmulator
from tests import harness


class Terminal:
    __test__ = False

    def __init__(self, console: Console, shown: list[str]) -> None:
        self.console = console
        self.shown = shown
        self.emulator = console.emulator

    def type(self, line: str, *answers: str | type[BaseException]) -> str:
        """Type `line` (then `answers` at the form's prompts); what the console showed for it."""
        start = len(self.shown)
        pending = list(answers)

        def ask(prompt: str) -> str:
            self.shown.append(prompt)
            if not pending:
                raise AssertionError(f"the console asked {prompt!r} and no answer was given")
            answer = pending.pop(0)
            if isinstance(answer, type):
                raise answer()
            return answer

        assert self.console.handle(line, ask=ask)
        assert not pending, f"answers left unused: {pending}"
        return "\n".join(self.shown[start:])

    @property
    def screen(self) -> str:
        return "\n".join(self.shown)


@contextmanager
def terminal(database_url: str, who: str = "cio", clock: harness.FakeClock | None = None) -> Iterator[Terminal]:
    """The demo workspace in a console on `database_url`, as `who`."""
    shown: list[str] = []
    with SlackEmulator() as emulator:
        demo.add_members(emulator)
        settings = harness.test_settings(emulator, database_url)
        user_id = demo.resolve_user(who)
        assert user_id is not None
        console = Console(settings, emulator, user_id, write=shown.append, clock=clock or harness.FakeClock())
        demo.load(console.services)
        try:
            yield Terminal(console, shown)
        finally:
            console.services.db.dispose()
