"""Render speed against the encode floor at the same x264 settings, for each quality preset.

The project (bench/photo_project.py) has camera motion on a photo, a product overlay and a
crossfade in every scene: by default 12 scenes, 60 s, 1080p30. The encode floor is the time x264
takes to re-encode the finished video with the very settings of that preset's chunks (decode +
encode, no compositing). ratio = render time ÷ encode floor; target ≤ 1.15 at `standard`.
Speech and music are synthesised and mixed once before timing, so the figure is about video.

    .venv/bin/python bench/render.py [--scenes 12] [--seconds 5] [--resolution 1080]
                                     [--quality draft standard high] [--repeat 2] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import report, timed_cpu  # noqa: E402
from photo_project import make_project  # noqa: E402

from reelforge.ffmpeg import ffmpeg_argv, run  # noqa: E402
from reelforge.render.chunks import QUALITY_PRESETS, Encoder  # noqa: E402
from reelforge.render.compile import x264_argv  # noqa: E402
from reelforge.render.pipeline import RenderOptions, render_project  # noqa: E402
from reelforge.spec import load_project  # noqa: E402
from reelforge.timeline.assets import DirectoryResolver  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per scene")
    parser.add_argument("--resolution", type=int, default=1080)
    parser.add_argument("--quality", nargs="+", default=list(QUALITY_PRESETS))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--chunk-seconds", type=float, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]
    rows: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = make_project(
            work / "project", scenes=args.scenes, seconds=args.seconds, resolution=args.resolution
        )
        project = load_project(path)
        resolver = DirectoryResolver(path.parent)
        cache = work / "cache"

        def render(quality: str, out: Path) -> tuple[float, float]:
            shutil.rmtree(cache / "chunks", ignore_errors=True)
            shutil.rmtree(cache / "layers", ignore_errors=True)
            options = RenderOptions(
                quality=quality,
                cache_dir=cache,
                workers=args.workers,
                chunk_seconds=args.chunk_seconds,
            )
            _, wall, cpu = timed_cpu(
                lambda: render_project(project, resolver=resolver, out=out, options=options)
            )
            return wall, cpu

        render("draft", work / "warm.mp4")  # speech, music, the mix and its AAC land in the cache
        for quality in args.quality:
            out = work / f"{quality}.mp4"
            encoder = Encoder.for_render(preview=False, quality=quality)
            floor_argv = ffmpeg_argv(
                "-i", str(out), "-an", *x264_argv(encoder, project.output.fps),
                "-f", "mp4", str(work / "floor.mp4"),
            )  # fmt: skip
            runs, floors = [], []
            for _ in range(args.repeat):  # interleaved, best of N: the machine is shared
                runs.append(render(quality, out))
                floors.append(timed_cpu(lambda: run(floor_argv))[1:])  # noqa: B023
                loads.append(os.getloadavg()[0])
            wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            floor, floor_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
            rows[f"{quality} ({encoder.preset}, crf {encoder.crf})"] = {
                "render_s": round(wall, 2),
                "encode_floor_s": round(floor, 2),
                "ratio": round(wall / floor, 3),
                "render_cpu_s": round(cpu, 1),
                "encode_floor_cpu_s": round(floor_cpu, 1),
                "cpu_ratio": round(cpu / floor_cpu, 3),
            }
    rows["load_average"] = f"{min(loads):.1f}–{max(loads):.1f}"
    command = (
        f"python bench/render.py --scenes {args.scenes} --seconds {args.seconds:g} "
        f"--resolution {args.resolution} --repeat {args.repeat}"
        + (f" --workers {args.workers}" if args.workers else "")
    )
    total = args.scenes * args.seconds
    report(f"render: photo project, {total:g} s, {args.resolution}p30", command, rows)


if __name__ == "__main__":
    main()
