"""Choose each `output.quality`'s x264 preset and CRF by measurement.

Renders the photo benchmark project (bench/photo_project.py) once losslessly, then encodes that
source with each candidate exactly as chunks are encoded (`x264_argv`), and prints encode time
(wall and CPU), bitrate, and SSIM (and optionally VMAF) against the lossless source; the last
columns compare each candidate with the `high` row.

    .venv/bin/python bench/quality.py [--seconds 2] [--resolution 1080] [--vmaf]
"""

from __future__ import annotations

import argparse
import os
import re
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

CANDIDATES = [
    ("ultrafast", 28),
    ("ultrafast", 23),
    ("superfast", 20),
    ("veryfast", 18),
    ("veryfast", 20),
    ("veryfast", 22),
    ("faster", 20),
    ("medium", 18),
    ("medium", 20),
    ("slow", 18),
]


def score(encoded: Path, source: Path, metric: str) -> float:
    """Mean SSIM (all planes) or VMAF of `encoded` against `source`, from FFmpeg's log."""
    if metric == "ssim":
        graph = "[0:v][1:v]ssim"
        pattern = r"SSIM .*All:([0-9.]+)"
    else:
        graph = f"[0:v][1:v]libvmaf=n_threads={os.cpu_count()}:n_subsample=3"
        pattern = r"VMAF score: ([0-9.]+)"
    argv = ffmpeg_argv(
        "-i", str(encoded), "-i", str(source), "-lavfi", graph, "-f", "null", "-", loglevel="info"
    )  # fmt: skip
    log = run(argv)
    found = re.findall(pattern, log)
    if not found:
        raise RuntimeError(f"no {metric} in FFmpeg's log")
    return float(found[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per scene")
    parser.add_argument("--resolution", type=int, default=1080)
    parser.add_argument("--vmaf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = make_project(
            work / "project", scenes=args.scenes, seconds=args.seconds, resolution=args.resolution
        )
        project = load_project(path)
        source = work / "lossless.mp4"
        options = RenderOptions(cache_dir=work / "cache", lossless=True)
        resolver = DirectoryResolver(path.parent)
        render_project(project, resolver=resolver, out=source, options=options)
        fps = project.output.fps
        rows: dict[str, object] = {}
        measured: dict[tuple[str, int], tuple[float, float, float, float, float | None]] = {}
        for preset, crf in CANDIDATES:
            out = work / f"{preset}-{crf}.mp4"
            argv = ffmpeg_argv("-i", str(source), "-an", *x264_argv(Encoder(preset, crf), fps))
            _, wall, cpu = timed_cpu(lambda: run([*argv, "-f", "mp4", str(out)]))  # noqa: B023
            kbps = out.stat().st_size * 8 / 1000 / (args.scenes * args.seconds)
            vmaf = score(out, source, "vmaf") if args.vmaf else None
            measured[(preset, crf)] = (wall, cpu, kbps, score(out, source, "ssim"), vmaf)
        high = measured[QUALITY_PRESETS["high"]]
        for (preset, crf), (wall, cpu, kbps, ssim, vmaf) in measured.items():
            chosen = [q for q, v in QUALITY_PRESETS.items() if v == (preset, crf)]
            rows[f"{preset} crf {crf}" + (f" ({chosen[0]})" if chosen else "")] = {
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 1),
                "cpu_vs_high": round(cpu / high[1], 2),
                "kbps": round(kbps),
                "size_vs_high": round(kbps / high[2], 2),
                "ssim": round(ssim, 5),
                "ssim_db_vs_high": round(_db(ssim) - _db(high[3]), 2),
                "vmaf": None if vmaf is None else round(vmaf, 2),
            }
    report(
        f"quality presets: photo project, {args.scenes}×{args.seconds:g} s, "
        f"{args.resolution}p{project.output.fps}, load {os.getloadavg()[0]:.1f}",
        "python bench/quality.py" + (" --vmaf" if args.vmaf else ""),
        rows,
    )


def _db(ssim: float) -> float:
    import math

    return -10 * math.log10(max(1e-9, 1 - ssim))


if __name__ == "__main__":
    main()
