"""Practices in console mode, as the README says: the demo's two 2004 practices, found by search."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.harness import ROOT


def console(lines: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args], cwd=cwd, input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT)},
    )


def test_the_demo_practices_are_found_and_loading_twice_adds_nothing(tmp_path: Path) -> None:
    for keep in ((), ("--keep",)):
        result = console(["/practice search wireless", "/practice list", ":quit"], "--demo", *keep, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    out = result.stdout
    assert "*1 practice* for _wireless_" in out
    assert "*Wireless hotspots that drew young people downtown* · Detroit · #1" in out
    assert "*Collapsing 12 tax systems into one* · Philadelphia · #2" in out
    assert "#3" not in out  # the second run (--keep) found the demo already loaded


def test_sharing_and_adopting_in_the_console(tmp_path: Path) -> None:
    lines = ["/practice Kiosks for permits. Residents print permits at the library. #e-gov",
             ":as mayor", "/practice search permits", "/practice show 3", "1", ":quit"]
    result = console(lines, "--demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "#general [m1] Roundtable:\n== Kiosks for permits ==" in result.stdout
    assert "(message updated, m1) == Kiosks for permits ==" in result.stdout
    assert "Adopted in 1 city: Des Moines" in result.stdout
