"""Rows of a batch: read from CSV, JSON or JSON Lines; their ids; the results table."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelforge.errors import ProjectError
from reelforge.files import atomic_write_bytes

ID_COLUMN = "id"
RESULT_COLUMNS = ("id", "status", "output", "error", "seconds")
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Row:
    """One row: its 1-based number, its file-safe id and its values (None: use the default)."""

    number: int
    id: str
    values: dict[str, object]

    @property
    def label(self) -> str:
        """How messages name the row: `row 3 (bob)`."""
        return f"row {self.number}" + ("" if self.id == str(self.number) else f" ({self.id})")


@dataclass(frozen=True)
class RowResult:
    """How one row's render ended. `output` is the MP4's file name in the output folder."""

    id: str
    status: str  # succeeded | failed | cancelled
    output: str = ""
    error: str = ""
    seconds: float = 0.0


def read_rows(path: Path, *, variables: Iterable[str]) -> list[Row]:
    """Read rows from `.csv` (a header row), `.json` (a list of objects) or `.jsonl`.

    Empty CSV cells and JSON nulls mean "no value". The `id` column names the row's files unless
    the template declares a variable `id`, in which case it is also that variable's value.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from spreadsheet exports is dropped
    except FileNotFoundError:
        raise ProjectError(f"--data: file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"--data: cannot read {path}: {exc}") from None
    return parse_rows(text, kind=path.suffix.lower().lstrip("."), name=path, variables=variables)


def parse_rows(text: str, *, kind: str, name: Path, variables: Iterable[str]) -> list[Row]:
    """Rows from the text of a `csv`, `json` or `jsonl` file; errors name the file `name`."""
    if kind == "csv":
        records = _csv_records(text, name)
    elif kind == "json":
        records = _json_records(text, name)
    elif kind in ("jsonl", "ndjson"):
        records = _jsonl_records(text, name)
    else:
        raise ProjectError(f"{name.name}: expected a .csv, .json or .jsonl file")
    return make_rows(records, variables=variables)


def make_rows(records: Sequence[Mapping[str, Any]], *, variables: Iterable[str]) -> list[Row]:
    """Rows from records (column → value), with unique, file-safe ids."""
    declared = set(variables)
    rows: list[Row] = []
    taken: set[str] = set()
    for number, record in enumerate(records, start=1):
        raw_id = record.get(ID_COLUMN)
        row_id = safe_id(str(raw_id) if raw_id not in (None, "") else "", number)
        if row_id in taken:
            row_id = f"{row_id}-{number}"
        taken.add(row_id)
        values = {k: v for k, v in record.items() if k != ID_COLUMN or ID_COLUMN in declared}
        rows.append(Row(number=number, id=row_id, values=values))
    return rows


def safe_id(raw: str, number: int) -> str:
    """A row id fit for a file name: letters (any script), digits, `.`, `-`, `_`; else the
    row's number."""
    cleaned = _UNSAFE.sub("_", raw.strip()).strip("._")[:80]
    return cleaned or str(number)


def _csv_records(text: str, path: Path) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = [line for line in reader if any(cell.strip() for cell in line)]
    except csv.Error as exc:
        raise ProjectError(f"{path.name}: line {reader.line_num}: {exc}") from None
    if not lines:
        raise ProjectError(f"{path.name}: no header row")
    header = [name.strip() for name in lines[0]]
    for i, name in enumerate(header):
        if not name:
            raise ProjectError(f"{path.name}: column {i + 1} has no name")
        if name in header[:i]:
            raise ProjectError(f"{path.name}: column {name!r} appears twice")
    records = []
    for number, cells in enumerate(lines[1:], start=1):
        if len(cells) > len(header):
            raise ProjectError(
                f"{path.name}: row {number} has {len(cells)} cells, the header {len(header)}"
            )
        records.append({name: (cells[i] if i < len(cells) and cells[i] != "" else None)
                        for i, name in enumerate(header)})  # fmt: skip
    return records


def _json_records(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{path.name}: not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, list):
        raise ProjectError(f"{path.name}: expected a list of objects")
    return [_record(item, path, i) for i, item in enumerate(data, start=1)]


def _jsonl_records(text: str, path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            raise ProjectError(f"{path.name}: line {line_number}: not valid JSON") from None
        records.append(_record(item, path, len(records) + 1))
    return records


def _record(item: Any, path: Path, number: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ProjectError(f"{path.name}: row {number} is not an object")
    return item


def results_csv(results: Sequence[RowResult]) -> str:
    """The results table as CSV text (id, status, output, error, seconds)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    for r in results:
        writer.writerow([r.id, r.status, r.output, r.error, f"{r.seconds:.2f}"])
    return out.getvalue()


def write_results(results: Sequence[RowResult], path: Path) -> Path:
    """Write `results.csv` atomically (UTF-8)."""
    atomic_write_bytes(path, results_csv(results).encode("utf-8"))
    return path
