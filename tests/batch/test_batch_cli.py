"""`reelforge batch` as a real process: frames differ exactly where rows differ; bad rows fail
alone with one line; shared scenes render once for the batch."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from helpers import color_scene, decode_frames, document, video_info, write_doc
from test_cli import cli

FPS = 15  # preview


def _template(tmp_path: Path, media_dir: Path) -> Path:
    (tmp_path / "photo.jpg").symlink_to(media_dir / "photo.jpg")
    doc = document(
        color_scene("#00AA00"),
        color_scene("{{accent}}", title={"text": "Hello {{name}}", "position": "top"}),
        {"duration": 1, "visual": {"type": "image", "src": "{{photo}}"}},
        variables={
            "name": {"type": "text"},
            "accent": {"type": "color", "default": "#FF0000"},
            "photo": {"type": "image", "default": "photo.jpg"},
        },
    )
    return write_doc(tmp_path / "template.json", doc)


def test_rows_differ_exactly_where_their_values_do(tmp_path: Path, media_dir: Path) -> None:
    template = _template(tmp_path, media_dir)
    (tmp_path / "rows.csv").write_text(
        "id,name,accent,photo\n"
        "ada,Ada,#0000FF,\n"
        'bob,"Bob, ""B"" Ø",,\n'
        "lost,Lin,,nothere.jpg\n"
        "anon,,#00FF00,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run = cli("batch", template, "--data", "rows.csv", "-o", out, "--preview",
              "--chunk-seconds", "1", cwd=tmp_path)  # fmt: skip
    assert run.returncode == 1, run.stderr
    errors = run.stderr.strip().splitlines()
    assert errors == [
        "reelforge: error: row 3 (lost): scenes[2].visual.src: file not found: nothere.jpg",
        "reelforge: error: row 4 (anon): scenes[1].title.text: variable 'name' has no value",
    ]
    with (out / "results.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [(r["id"], r["status"], r["output"]) for r in table] == [
        ("ada", "succeeded", "ada.mp4"),
        ("bob", "succeeded", "bob.mp4"),
        ("lost", "failed", ""),
        ("anon", "failed", ""),
    ]
    assert table[2]["error"] == errors[0].removeprefix("reelforge: error: ")
    for name in ("ada", "bob"):
        for suffix in (".mp4", ".srt", ".vtt", ".poster.jpg"):
            assert (out / f"{name}{suffix}").is_file()
        info = video_info(out / f"{name}.mp4")
        assert (info["width"], info["height"], info["frames"]) == (854, 480, 3 * FPS)
    ada, bob = decode_frames(out / "ada.mp4"), decode_frames(out / "bob.mp4")
    for i in [*range(0, FPS), *range(2 * FPS, 3 * FPS)]:  # scenes 1 and 3: no row value
        assert np.array_equal(ada[i], bob[i]), f"frame {i} should be identical"
    for i in range(FPS, 2 * FPS):  # scene 2: its colour and title come from the row
        corner_ada, corner_bob = ada[i][-20, 20], bob[i][-20, 20]
        assert corner_ada[2] > 200 and corner_ada[0] < 40, corner_ada  # blue
        assert corner_bob[0] > 200 and corner_bob[2] < 40, corner_bob  # the default red
    # scenes 1 and 3 were rendered once for the batch: 3 chunks for ada, 1 more for bob
    chunks = list((tmp_path / "cache" / "chunks").rglob("*.mp4"))
    assert len(chunks) == 4, chunks


def test_bad_template_or_data_file_is_one_line(tmp_path: Path, media_dir: Path) -> None:
    template = _template(tmp_path, media_dir)
    (tmp_path / "rows.csv").write_text("name,colour\nA,#000000\n")
    run = cli("batch", template, "--data", "rows.csv", "-o", "out", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "reelforge: error: row 1: variable 'colour' is not declared by the template"
    ]
    broken = write_doc(tmp_path / "broken.json", document(color_scene("{{nope}}")) | {
        "variables": {"name": {"type": "text"}}})  # fmt: skip
    run = cli("batch", broken, "--data", "rows.csv", "-o", "out", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "reelforge: error: scenes[0].visual.color: variable 'nope' is not declared in variables"
    )
