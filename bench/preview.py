"""Live preview: time to the first HLS segment, to the whole playlist, and after a one-scene edit.

A 60 s project of 12 photo scenes, each with camera motion, a product overlay, narration and a
crossfade into the next, with generated music. Narration and music are synthesised (cached)
before timing; the mix, chunks, layers and segments are not. Targets on 2 cores: first
segment ≤ 2 s, whole preview ≤ 6 s, after one scene's edit ≤ 2.5 s. Also times
`reelforge render --preview` of the same project (a fresh process, cold chunk cache).

    .venv/bin/python bench/preview.py [--scenes 12] [--scene-seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import EXAMPLE, cpu_seconds, ensure_example_assets, report  # noqa: E402

MOTIONS = ["zoom-in", "pan-right", "zoom-out", "pan-left"]
PHOTOS = ["assets/kitchen.jpg", "assets/mountains.jpg"]
SENTENCES = [
    "Meet SmartBottle.",
    "Cold for a day.",
    "Hot for twelve hours.",
    "Fits every bag.",
    "Made of steel.",
    "Tracks how much you drink.",
]


def preview_document(scenes: int, scene_seconds: float) -> dict[str, Any]:
    xs, ys = ["left", "center", "right"], ["top", "center", "bottom"]
    return {
        "title": "preview bench",
        "output": {"resolution": 1080, "fps": 30},
        "music": {"enabled": True, "style": "corporate"},
        "product": {"image": "assets/product.png"},
        "captions": {"enabled": False},
        "scenes": [
            {
                "id": f"s{i}",
                "duration": scene_seconds,
                "narration": SENTENCES[i % len(SENTENCES)],
                "visual": {"type": "image", "src": PHOTOS[i % 2], "motion": MOTIONS[i % 4]},
                "title": {"text": f"Scene {i + 1}", "position": "bottom"},
                "productOverlay": {
                    "enabled": True,
                    "position": {"x": xs[i % 3], "y": ys[(i // 3) % 3]},
                    "scale": 0.3,
                    "animation": "slide",
                },
                "transition": {"type": "crossfade", "duration": 0.5},
            }
            for i in range(scenes)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--scene-seconds", type=float, default=5.0)
    args = parser.parse_args()
    ensure_example_assets()
    doc = preview_document(args.scenes, args.scene_seconds)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        project_file = EXAMPLE / f".bench-preview-{os.getpid()}.json"
        project_file.write_text(json.dumps(doc))
        try:
            rows = _measure(doc, cache, project_file, Path(tmp))
        finally:
            project_file.unlink(missing_ok=True)
    rows["load_average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report(
        f"preview: {args.scenes} photo scenes, {args.scenes * args.scene_seconds:g} s",
        "python bench/preview.py",
        rows,
    )


def _warm_inputs(doc: dict[str, Any], cache: Path) -> None:
    """Synthesise narration and music into `cache` in a child process, then drop everything
    else it made, so the timed runs start with only the spoken and generated inputs."""
    code = f"""
import json, pathlib
from reelforge.audio.music import generate_music
from reelforge.render.pipeline import RenderOptions, resolve_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
cache = pathlib.Path({str(cache)!r})
options = RenderOptions(preview=True, cache_dir=cache)
project = parse_project(json.loads({json.dumps(json.dumps(doc))}))
timeline = resolve_project(project, resolver=DirectoryResolver(pathlib.Path({str(EXAMPLE)!r})),
                           options=options)
generate_music(timeline.music.style, timeline.music.seed, timeline.duration, cache_dir=cache)
"""
    subprocess.run([sys.executable, "-c", code], check=True)
    for name in ("chunks", "layers", "mixes", "aac", "preview", "frames"):
        shutil.rmtree(cache / name, ignore_errors=True)


def _measure(doc: dict[str, Any], cache: Path, project_file: Path, tmp: Path) -> dict[str, object]:
    _warm_inputs(doc, cache)
    cli_cache = tmp / "cli-cache"
    shutil.copytree(cache, cli_cache)
    cli = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reelforge.cli", "render", str(project_file), "--preview",
         "-o", str(tmp / "cli.mp4"), "--cache-dir", str(cli_cache)],
        check=True, capture_output=True,
    )  # fmt: skip
    cli_seconds = time.perf_counter() - cli

    # Timed from here, in this fresh process (its imports count, as a server's first preview).
    start, cpu_start = time.perf_counter(), cpu_seconds()
    from reelforge.api.preview import PreviewService
    from reelforge.spec import parse_project
    from reelforge.timeline.assets import DirectoryResolver

    service = PreviewService()
    resolver = DirectoryResolver(EXAMPLE)

    def build(revision: int) -> tuple[float, float, float, list[str]]:
        t0 = time.perf_counter() if revision > 1 else start
        cpu = cpu_seconds() if revision > 1 else cpu_start
        run = service.build(
            project_id="bench",
            revision=revision,
            project=parse_project(doc),
            resolver=resolver,
            cache_dir=cache,
        )
        run.wait(1, 120)
        first = time.perf_counter() - t0
        run.wait(None, 300)
        if run.error is not None:
            raise run.error
        done = time.perf_counter() - t0
        return first, done, cpu_seconds() - cpu, [key for key, _ in run.segments]

    first, complete, cpu, before = build(1)
    middle = doc["scenes"][len(doc["scenes"]) // 2]
    middle["productOverlay"]["position"] = {"x": "center", "y": "center"}
    edit_first, edit_complete, edit_cpu, after = build(2)
    service.stop()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    return {
        "first_segment_s": round(first, 2),
        "complete_s": round(complete, 2),
        "complete_cpu_s": round(cpu, 2),
        "segments": len(before),
        "after_edit_first_segment_s": round(edit_first, 2),
        "after_edit_complete_s": round(edit_complete, 2),
        "after_edit_cpu_s": round(edit_cpu, 2),
        "segments_changed": changed,
        "cli_render_preview_s": round(cli_seconds, 2),
    }


if __name__ == "__main__":
    main()
