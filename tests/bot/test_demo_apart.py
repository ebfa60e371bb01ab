"""Demo data lives in bot/demo, and only the console imports it (issue 16): production code,
bot/payloads.py and the CLI know neither the demo nor the emulator's constants."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.harness import ROOT

ALLOWED = ("bot/console/", "bot/demo/", "bot/emulator/")


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def production_modules() -> list[Path]:
    files = [p for d in ("bot", "handlers", "storage") for p in (ROOT / d).rglob("*.py")]
    return [p for p in files if not str(p.relative_to(ROOT)).startswith(ALLOWED)]


def test_only_the_console_imports_the_demo_or_the_emulator() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path)
                                            if m.startswith(("bot.demo", "bot.emulator")))
        for path in production_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_feature_module_holds_demo_data() -> None:
    assert sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bot").rglob("demo.py")) == []
    for path in production_modules():
        assert "T0ROUNDTBL" not in path.read_text() or path.name == "payloads.py", path
