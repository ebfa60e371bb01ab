"""Writers that stream: a JSON document written record by record, CSV files written into a zip as read."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, Protocol

from bot.export.columns import SCHEMA_VERSION, Kind, readme

Write = Callable[[dict[str, Any]], None]
COMPRESSION = 1  # deflate level: 1 is three times as fast as the default 6 on exported text, files ~15% larger


class Writer(Protocol):
    def kind(self, kind: Kind) -> Any: ...  # a context manager giving a Write
    def close(self) -> None: ...


class JsonWriter:
    """{"schema_version": 1, "export": {...}, "records": {"practices": [...], ...}}, one record a line."""

    def __init__(self, out: IO[str], about: dict[str, Any]) -> None:
        self.out, self.first_kind = out, True
        head = json.dumps({"schema_version": SCHEMA_VERSION, "export": about}, ensure_ascii=False)
        out.write(head[:-1] + ',\n"records": {')

    @contextmanager
    def kind(self, kind: Kind) -> Iterator[Write]:
        self.out.write(("" if self.first_kind else ",") + f"\n{json.dumps(kind.name)}: [")
        self.first_kind = False
        first = True

        def write(record: dict[str, Any]) -> None:
            nonlocal first
            self.out.write(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False))
            first = False

        yield write
        self.out.write("]" if first else "\n]")

    def close(self) -> None:
        self.out.write("\n}}\n")
        self.out.flush()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets take for a formula (OWASP)


def csv_cell(value: Any) -> str:
    """A value as a CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = "; ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvZipWriter:
    """README.txt, then one `<kind>.csv` per kind, each compressed as its rows are written."""

    def __init__(self, out: IO[bytes], about: dict[str, Any]) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
        scope = "".join(f"{name}: {value}\n" for name, value in about.items())
        self.zip.writestr("README.txt", readme() + "\nThis export\n" + scope)

    @contextmanager
    def kind(self, kind: Kind) -> Iterator[Write]:
        with self.zip.open(f"{kind.name}.csv", "w", force_zip64=True) as member:
            text = io.TextIOWrapper(member, encoding="utf-8", newline="")
            rows = csv.writer(text)
            rows.writerow(kind.names)
            names = kind.names

            def write(record: dict[str, Any]) -> None:
                rows.writerow([csv_cell(record[name]) for name in names])

            yield write
            text.flush()
            text.detach()

    def close(self) -> None:
        self.zip.close()
