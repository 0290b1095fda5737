"""Render speed of the example project at 1080p30 against the encode floor.

The encode floor is the time x264 takes to re-encode the finished video with the renderer's own
settings (decode + encode, no compositing). ratio = render time ÷ encode floor; target ≤ 1.25.
Speech and music are synthesised once before timing, so the figure is about video rendering.

    .venv/bin/python bench/render.py [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import EXAMPLE, ensure_example_assets, report, timed_cpu  # noqa: E402

from reelforge.config import ffmpeg_exe  # noqa: E402
from reelforge.ffmpeg import run  # noqa: E402
from reelforge.render.chunks import Encoder  # noqa: E402
from reelforge.render.pipeline import RenderOptions, render_project  # noqa: E402
from reelforge.spec import load_project  # noqa: E402
from reelforge.timeline.assets import DirectoryResolver  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--chunk-seconds", type=float, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    ensure_example_assets()
    project = load_project(EXAMPLE / "project.json")
    resolver = DirectoryResolver(EXAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cache = work / "cache"

        def render(preview: bool, name: str) -> tuple[float, float]:
            shutil.rmtree(cache / "chunks", ignore_errors=True)
            shutil.rmtree(cache / "layers", ignore_errors=True)
            options = RenderOptions(
                preview=preview,
                cache_dir=cache,
                workers=args.workers,
                chunk_seconds=args.chunk_seconds,
            )
            _, wall, cpu = timed_cpu(
                lambda: render_project(project, resolver=resolver, out=work / name, options=options)
            )
            return wall, cpu

        render(False, "warm.mp4")  # speech, music and the mix land in the cache
        enc = Encoder()
        argv = [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(work / "warm.mp4"),
            "-an",
            "-c:v",
            "libx264",
            "-preset",
            enc.preset,
            "-crf",
            str(enc.crf),
            "-pix_fmt",
            "yuv420p",
            "-g",
            "60",
            "-f",
            "mp4",
            str(work / "floor.mp4"),
        ]
        runs, floors = [], []
        for _ in range(args.repeat):  # interleaved, best of N: the machine may be shared
            runs.append(render(False, "full.mp4"))
            floors.append(timed_cpu(lambda: run(argv))[1:])
        preview = min(render(True, "preview.mp4")[0] for _ in range(args.repeat))
    full, full_cpu = min(r[0] for r in runs), min(r[1] for r in runs)
    floor, floor_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
    command = "python bench/render.py" + (f" --workers {args.workers}" if args.workers else "")
    report(
        "render: example project, 1080p30",
        command,
        {
            "render_s": round(full, 2),
            "encode_floor_s": round(floor, 2),
            "ratio": round(full / floor, 2),
            "render_cpu_s": round(full_cpu, 1),
            "encode_floor_cpu_s": round(floor_cpu, 1),
            "cpu_ratio": round(full_cpu / floor_cpu, 2),
            "preview_s": round(preview, 2),
        },
    )


if __name__ == "__main__":
    main()
