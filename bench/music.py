"""Benchmark: music generation speed per style (60 s track) and the mix of a 5-minute timeline.

.venv/bin/python bench/music.py [--minutes 5]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.io import wavfile

from reelforge.audio.mix import AudioClip, measure_loudness, mix_timeline
from reelforge.audio.music import generate_music, list_styles


def _speech(path: Path, seconds: float, seed: int) -> None:
    rate = 22_050
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * rate)) / rate
    x = rng.standard_normal(len(t)) * np.clip(np.sin(2 * np.pi * 4 * t) * 2 + 0.6, 0, 1) ** 2
    wavfile.write(path, rate, np.round(x / np.abs(x).max() * 0.7 * 32767).astype(np.int16))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the mixed timeline")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of generated tracks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        print(f"music generation, {args.seconds:g} s track, seed 1 (cold cache):")
        for style in list_styles():
            start = time.perf_counter()
            generate_music(style.id, 1, args.seconds, cache_dir=cache)
            wall = time.perf_counter() - start
            print(f"  {style.id:10s} {wall:6.2f} s  {args.seconds / wall:6.1f}x realtime")

        total = args.minutes * 60
        scene = 10.0
        clips = []
        for i in range(int(total // scene)):
            path = Path(tmp) / f"speech{i % 20}.wav"
            if not path.exists():
                _speech(path, 7.5, i)
            clips.append(AudioClip(path, i * scene + 0.5, "speech"))
        start = time.perf_counter()
        music = generate_music("corporate", 1, total, cache_dir=cache)
        gen = time.perf_counter() - start
        start = time.perf_counter()
        out = mix_timeline(clips, total=total, out=Path(tmp) / "mix.wav", music=music)
        wall = time.perf_counter() - start
        loudness, peak = measure_loudness(out)
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\n{args.minutes:g}-minute timeline, {len(clips)} narration clips + music:")
        print(f"  music generation {gen:6.2f} s  ({total / gen:.1f}x realtime)")
        print(f"  mix              {wall:6.2f} s  ({total / wall:.1f}x realtime)")
        print(f"  result           {loudness:.1f} LUFS, true peak {peak:.1f} dBTP")
        print(f"  peak RSS         python {self_rss:.0f} MB")


if __name__ == "__main__":
    main()
