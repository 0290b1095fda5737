"""Render a few stills of the example project into docs/frames/ for the README.

Usage: python scripts/docs_frames.py [--out docs/frames]

Makes the example's media if it is missing (scripts/make_example_assets.py), then renders the
middle of each scene at 360p (16:9), and two scenes at 9:16, as small JPEGs (under 1 MB in all).
The narration is timed by the word-count estimate, so no voice is needed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from reelforge.render.pipeline import RenderOptions, render_still, resolve_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "smartbottle"
PORTRAIT_SCENES = (0, 3)
BUDGET = 1_000_000  # bytes, all frames together


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "frames")
    args = parser.parse_args()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_example_assets.py"),
                    str(EXAMPLE / "assets")], check=True)  # fmt: skip
    document = json.loads((EXAMPLE / "project.json").read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for aspect, scenes in (("16:9", None), ("9:16", PORTRAIT_SCENES)):
            doc = {**document, "output": {"aspect": aspect, "resolution": 360, "fps": 30}}
            project = parse_project(doc)
            resolver = DirectoryResolver(EXAMPLE)
            cache = Path(tmp) / "cache"
            timeline = resolve_project(project, resolver=resolver,
                                       options=RenderOptions(cache_dir=cache),
                                       narrator=EstimateNarrator())  # fmt: skip
            for index, scene in enumerate(timeline.scenes):
                if scenes is not None and index not in scenes:
                    continue
                # late in the scene: the product has come in, a caption is on screen
                at = (scene.start_frame + 0.6 * scene.frames) / timeline.fps
                png = Path(tmp) / f"{index}.png"
                render_still(project, resolver=resolver, at=at, out=png, cache_dir=cache,
                             narrator=EstimateNarrator())  # fmt: skip
                name = "portrait" if aspect == "9:16" else "landscape"
                jpg = args.out / f"smartbottle-{name}-{index + 1}.jpg"
                with Image.open(png) as img:
                    img.convert("RGB").save(jpg, quality=82, optimize=True)
                written.append(jpg)
    total = sum(p.stat().st_size for p in written)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1000:.0f} kB")
    print(f"{len(written)} frames, {total / 1000:.0f} kB in all")
    if total > BUDGET:
        raise SystemExit(f"the frames take {total} bytes, over the {BUDGET} byte budget")


if __name__ == "__main__":
    main()
