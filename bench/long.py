"""A 60-minute project rendered in preview mode: wall time and the coordinator's peak memory.

120 scenes of 30 s (images with motion, gradients, colours; titles; product overlays;
crossfades) with generated music. Target: the coordinator (this Python process) stays under
500 MB peak RSS; FFmpeg children are reported separately.

    .venv/bin/python bench/long.py [--minutes 60]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import EXAMPLE, ensure_example_assets, report, timed  # noqa: E402

from reelforge.render.pipeline import Progress, RenderOptions, render_project  # noqa: E402
from reelforge.spec import parse_project  # noqa: E402
from reelforge.timeline.assets import DirectoryResolver  # noqa: E402


def long_document(minutes: float, scene_seconds: float = 30.0) -> dict[str, Any]:
    scenes: list[dict[str, Any]] = []
    for i in range(round(minutes * 60 / scene_seconds)):
        kind = i % 3
        visual: dict[str, Any] = [
            {"type": "image", "src": "assets/kitchen.jpg", "motion": "zoom-in"},
            {"type": "gradient", "colors": ["#0F172A", "#0EA5E9"], "angle": (i * 37) % 360},
            {"type": "image", "src": "assets/mountains.jpg", "motion": "pan-right"},
        ][kind]
        scenes.append(
            {
                "id": f"s{i}",
                "duration": scene_seconds,
                "visual": visual,
                "title": {"text": f"Chapter {i + 1}", "position": "bottom"},
                "productOverlay": {"enabled": kind == 1, "position": {"x": "right", "y": "center"}},
                "transition": {"type": "crossfade", "duration": 0.5},
            }
        )
    return {
        "title": "long",
        "output": {"resolution": 1080, "fps": 30},
        "music": {"enabled": True, "style": "ambient"},
        "product": {"image": "assets/product.png"},
        "captions": {"enabled": False},
        "scenes": scenes,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    args = parser.parse_args()
    ensure_example_assets()
    project = parse_project(long_document(args.minutes))
    last: list[Progress] = []
    with tempfile.TemporaryDirectory() as tmp:
        result, seconds = timed(
            lambda: render_project(
                project,
                resolver=DirectoryResolver(EXAMPLE),
                out=Path(tmp) / "long.mp4",
                options=RenderOptions(preview=True, cache_dir=Path(tmp) / "cache"),
                on_progress=last.append,
            )
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report(
        f"long: {args.minutes:g}-minute project, preview",
        "python bench/long.py",
        {
            "video_s": round(result.duration, 1),
            "frames": result.frames,
            "chunks": result.chunks_rendered,
            "wall_s": round(seconds, 1),
            "x_realtime": round(result.duration / seconds, 2),
            "coordinator_peak_rss_mb": round(peak_mb),
            "largest_child_rss_mb": round(child_mb),
            "progress_events": len(last),
        },
    )


if __name__ == "__main__":
    main()
