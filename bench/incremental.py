"""Incremental re-render: a 10-minute project rendered in full, then again after editing one
scene's title. Target: re-render time ≤ 0.10 × the full render.

    .venv/bin/python bench/incremental.py [--minutes 10] [--resolution 720]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import EXAMPLE, ensure_example_assets, report, timed  # noqa: E402
from long import long_document  # noqa: E402

from reelforge.render.pipeline import RenderOptions, render_project  # noqa: E402
from reelforge.spec import parse_project  # noqa: E402
from reelforge.timeline.assets import DirectoryResolver  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--resolution", type=int, default=720)
    args = parser.parse_args()
    ensure_example_assets()
    doc = long_document(args.minutes, scene_seconds=15.0)
    doc["output"]["resolution"] = args.resolution
    with tempfile.TemporaryDirectory() as tmp:
        options = RenderOptions(cache_dir=Path(tmp) / "cache")
        resolver = DirectoryResolver(EXAMPLE)

        def render(name: str) -> tuple[int, float]:
            result, seconds = timed(
                lambda: render_project(
                    parse_project(doc), resolver=resolver, out=Path(tmp) / name, options=options
                )
            )
            return result.chunks_rendered, seconds

        full_chunks, full = render("full.mp4")
        doc["scenes"][len(doc["scenes"]) // 2]["title"]["text"] = "Edited title"
        edit_chunks, edit = render("edit.mp4")
    report(
        f"incremental: {args.minutes:g}-minute project at {args.resolution}p30",
        "python bench/incremental.py",
        {
            "full_s": round(full, 1),
            "full_chunks": full_chunks,
            "after_one_edit_s": round(edit, 2),
            "chunks_rerendered": edit_chunks,
            "ratio": round(edit / full, 3),
        },
    )


if __name__ == "__main__":
    main()
