"""The README's "Records and exports" lists exactly the columns the export writes."""

from __future__ import annotations

import re

from bot.export.columns import KINDS
from tests.harness import ROOT


def test_the_readme_documents_every_kind_and_column() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Records and exports", 1)[1].split("\n## ", 1)[0]
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", section, re.MULTILINE)}
    assert list(rows) == [kind.name for kind in KINDS]
    for kind in KINDS:
        assert re.findall(r"`(\w+)`", rows[kind.name]) == kind.names, kind.name
