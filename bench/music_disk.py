"""Peak temporary disk of generating one long music track, streamed vs raw synthesis.

Tracks of at least STREAMED_SYNTHESIS_SECONDS are synthesised through a pipe into a lossless
WavPack file; `--raw` forces the former path (FluidSynth → raw float file → WAV) to compare.

    .venv/bin/python bench/music_disk.py [MINUTES] [--raw]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import math
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import report  # noqa: E402

import reelforge.audio.music.generator as generator  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("minutes", type=float, nargs="?", default=60.0)
    parser.add_argument("--raw", action="store_true", help="the raw-file synthesis path")
    parser.add_argument("--style", default="corporate")
    args = parser.parse_args()
    generator.STREAMED_SYNTHESIS_SECONDS = math.inf if args.raw else 0.0
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        peak, done = [0], threading.Event()

        def poll() -> None:
            while not done.is_set():
                total = 0
                for root, _, files in os.walk(cache):
                    for name in files:
                        with contextlib.suppress(OSError):  # removed while we looked
                            total += os.path.getsize(os.path.join(root, name))
                peak[0] = max(peak[0], total)
                time.sleep(0.02)

        watcher = threading.Thread(target=poll)
        watcher.start()
        cpu0, start = os.times(), time.perf_counter()
        out = generator.generate_music(args.style, 1, args.minutes * 60, cache_dir=cache)
        wall, cpu1 = time.perf_counter() - start, os.times()
        done.set()
        watcher.join()
        size = out.stat().st_size
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    report(
        f"music temp disk: {args.minutes:g} min {args.style}, {'raw' if args.raw else 'streamed'}",
        "python bench/music_disk.py" + f" {args.minutes:g}" + (" --raw" if args.raw else ""),
        {
            "wall_s": round(wall, 1),
            "cpu_s": round(sum(cpu1[:4]) - sum(cpu0[:4]), 1),
            "output_mb": round(size / 1e6, 1),
            "peak_mb": round(peak[0] / 1e6, 1),
            "temp_beyond_output_mb": round((peak[0] - size) / 1e6, 1),
            "sha256": digest,
        },
    )


if __name__ == "__main__":
    main()
