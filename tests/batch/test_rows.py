"""Rows from CSV, JSON and JSON Lines: quoting, Unicode, ids fit for file names, results.csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reelforge.batch import RowResult, make_rows, read_rows, results_csv
from reelforge.batch.rows import safe_id
from reelforge.errors import ProjectError

VARIABLES = ("name", "price")


def test_csv_quoting_unicode_bom_and_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    text = (
        "\ufeffid,name,price\r\n"
        'a1,"Smith, Jane",9.99\r\n'
        'b2,"She said ""hi""\nthen left",\r\n'
        "\r\n"
        "日本,Zoë Ñandú 🎉,12\r\n"
    )
    path.write_bytes(text.encode("utf-8"))
    rows = read_rows(path, variables=VARIABLES)
    assert [r.id for r in rows] == ["a1", "b2", "日本"]
    assert rows[0].values == {"name": "Smith, Jane", "price": "9.99"}
    assert rows[1].values == {"name": 'She said "hi"\nthen left', "price": None}
    assert rows[2].values["name"] == "Zoë Ñandú 🎉"
    assert [r.number for r in rows] == [1, 2, 3], "blank lines are not rows"


def test_json_and_jsonl_rows(tmp_path: Path) -> None:
    records = [{"name": "Ada", "price": 3}, {"id": "x/y", "name": None}]
    (tmp_path / "rows.json").write_text(json.dumps(records))
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n"
    (tmp_path / "rows.jsonl").write_text(lines)
    for name in ("rows.json", "rows.jsonl"):
        rows = read_rows(tmp_path / name, variables=VARIABLES)
        assert [r.id for r in rows] == ["1", "x_y"]
        assert rows[0].values == {"name": "Ada", "price": 3}
        assert rows[1].values == {"name": None}, "id is not a value unless declared"


def test_id_is_a_value_when_the_template_declares_it() -> None:
    rows = make_rows([{"id": "7", "name": "A"}], variables=("id", "name"))
    assert rows[0].values == {"id": "7", "name": "A"} and rows[0].id == "7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ada", "ada"),
        ("../../etc/passwd", "etc_passwd"),
        ("  spaced out  ", "spaced_out"),
        ("a:b*c?d", "a_b_c_d"),
        ("...", "4"),
        ("", "4"),
        ("Café-Ünïcode_1.2", "Café-Ünïcode_1.2"),
    ],
)
def test_safe_ids(raw: str, expected: str) -> None:
    assert safe_id(raw, 4) == expected


@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_ids_are_unique_plain_file_names(raw_ids: list[str]) -> None:
    rows = make_rows([{"id": raw} for raw in raw_ids], variables=())
    ids = [r.id for r in rows]
    assert len(set(ids)) == len(ids)
    for row_id in ids:
        assert row_id and "/" not in row_id and "\\" not in row_id and "\x00" not in row_id
        assert not row_id.startswith(".") and Path(row_id).name == row_id


BAD_FILES = [
    ("rows.csv", "id,name,name\n1,a,b\n", "column 'name' appears twice"),
    ("rows.csv", "id,,price\n1,a,b\n", "column 2 has no name"),
    ("rows.csv", "name\na,b\n", "row 1 has 2 cells, the header 1"),
    ("rows.csv", "", "no header row"),
    ("rows.json", '{"name": "a"}', "expected a list of objects"),
    ("rows.json", "[1]", "row 1 is not an object"),
    ("rows.jsonl", '{"name": "a"}\nnope\n', "line 2: not valid JSON"),
    ("rows.xlsx", "", "expected a .csv, .json or .jsonl file"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_FILES)
def test_bad_data_files_name_the_problem(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ProjectError, match=message):
        read_rows(tmp_path / name, variables=VARIABLES)


def test_results_csv_reads_back() -> None:
    results = [
        RowResult(id="ada", status="succeeded", output="ada.mp4", seconds=1.234),
        RowResult(id="日本", status="failed", error='row 2 (日本): scenes[0].x: "bad", value'),
    ]
    table = list(csv.reader(io.StringIO(results_csv(results))))
    assert table == [
        ["id", "status", "output", "error", "seconds"],
        ["ada", "succeeded", "ada.mp4", "", "1.23"],
        ["日本", "failed", "", 'row 2 (日本): scenes[0].x: "bad", value', "0.00"],
    ]
