"""Batch rendering: six rows of a four-scene template that differ in one scene, against one
row, same settings, each from an empty cache. Target: the batch of 6 costs ≤ 2.5× one row.

    .venv/bin/python bench/batch.py [--rows 6] [--resolution 720] [--preview]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import EXAMPLE, ensure_example_assets, report, timed_cpu  # noqa: E402

from reelforge.batch import make_rows, render_batch  # noqa: E402
from reelforge.render.pipeline import RenderOptions  # noqa: E402
from reelforge.timeline.assets import DirectoryResolver  # noqa: E402

PRICES = ["$29.99", "$24.99", "€27", "£22", "¥3,900", "$19.99", "$34.99", "$39.99"]
ACCENTS = ["#0EA5E9", "#F97316", "#22C55E", "#A855F7", "#EF4444", "#EAB308", "#14B8A6"]


def template(resolution: int) -> dict[str, Any]:
    """The example's first four scenes; the fourth's title and gradient come from the row."""
    doc: dict[str, Any] = json.loads((EXAMPLE / "project.json").read_text())
    doc["scenes"] = doc["scenes"][:4]
    doc["output"]["resolution"] = resolution
    offer = doc["scenes"][3]
    offer["title"]["text"] = "Order today: {{price}}"
    offer["visual"]["colors"] = ["#0F172A", "{{accent}}"]
    doc["variables"] = {
        "price": {"type": "text", "default": "$29.99"},
        "accent": {"type": "color", "default": "#0EA5E9"},
    }
    return doc


def run(doc: dict[str, Any], rows: int, *, preview: bool, tmp: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, chunks rendered) of a batch from an empty cache."""
    records = [
        {"id": f"row{i + 1}", "price": PRICES[i % len(PRICES)], "accent": ACCENTS[i % 7]}
        for i in range(rows)
    ]
    options = RenderOptions(preview=preview, cache_dir=tmp / f"cache-{rows}")
    chunks: list[int] = []
    results, wall, cpu = timed_cpu(
        lambda: render_batch(
            copy.deepcopy(doc),
            make_rows(records, variables=doc["variables"]),
            resolver=DirectoryResolver(EXAMPLE),
            out_dir=tmp / f"out-{rows}",
            options=options,
            on_progress=lambda e: chunks.append(e.chunks_total),
        )
    )
    failed = [r.error for r in results if r.status != "succeeded"]
    assert not failed, failed
    return wall, cpu, max(chunks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6)
    parser.add_argument("--resolution", type=int, default=720)
    parser.add_argument("--preview", action="store_true")
    args = parser.parse_args()
    ensure_example_assets()
    doc = template(args.resolution)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        one_wall, one_cpu, one_chunks = run(doc, 1, preview=args.preview, tmp=Path(tmp))
        many_wall, many_cpu, many_chunks = run(doc, args.rows, preview=args.preview,
                                               tmp=Path(tmp))  # fmt: skip
    setting = "preview" if args.preview else f"{args.resolution}p30"
    report(
        f"batch: {args.rows} rows differing in one scene of four vs one row, {setting}",
        "python bench/batch.py" + (" --preview" if args.preview else ""),
        {
            "one_row_s": round(one_wall, 1),
            "one_row_cpu_s": round(one_cpu, 1),
            "one_row_chunks": one_chunks,
            "batch_s": round(many_wall, 1),
            "batch_cpu_s": round(many_cpu, 1),
            "batch_chunks": many_chunks,
            "ratio_wall": round(many_wall / one_wall, 2),
            "ratio_cpu": round(many_cpu / one_cpu, 2),
            "load_average_before": tuple(round(x, 2) for x in load_before),
            "load_average_after": tuple(round(x, 2) for x in os.getloadavg()),
        },
    )


if __name__ == "__main__":
    main()
