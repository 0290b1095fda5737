"""Benchmark: how loud the music sits under the voice, between sentences and at the very end.

.venv/bin/python bench/music_levels.py

Narrates three scenes with the bundled Piper voice (the last one's narration ends 3 s before
the video does), builds the render's music and ducking envelope, and measures the two stems
as the mix adds them (before the one loudness gain that normalises the mix): speech loudness,
music loudness while speech plays, in the pauses between sentences, after the narration ends,
and in the last second (all BS.1770 via pyloudnorm; a window's loudness is its mean-square
level, K-weighted).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pyloudnorm  # type: ignore[import-untyped]

from reelforge.audio.mix import SAMPLE_RATE, music_envelope, speech_spans
from reelforge.audio.music import generate_music
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.render.pipeline import RenderOptions, default_narrator, resolve_project
from reelforge.render.soundtrack import soundtrack_clips
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver

NARRATIONS = [
    "Meet SmartBottle. Cold for twenty-four hours. Hot all morning.",
    "Take it up the mountain. It keeps your water ice cold, all day long.",
    "Order today.",
]


def _decode(path: Path, seconds: float) -> np.ndarray:
    raw = path.with_suffix(".f32")
    run(ffmpeg_argv("-i", str(path), "-t", f"{seconds:.6f}", "-ac", "1", "-ar",
                    str(SAMPLE_RATE), "-f", "f32le", str(raw)))  # fmt: skip
    return np.fromfile(raw, dtype="<f4").astype(np.float64)


def _lufs(meter: pyloudnorm.Meter, x: np.ndarray) -> float:
    """K-weighted mean-square level of `x` in LUFS (no gating: the windows are short)."""
    if len(x) < SAMPLE_RATE // 10:
        return float("nan")
    filtered = x.copy()
    for stage in meter._filters.values():
        filtered = stage.apply_filter(filtered)
    return float(-0.691 + 10 * np.log10(np.mean(filtered**2) + 1e-20))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--style", default="upbeat")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    scenes = [
        {"narration": text, "visual": {"type": "color", "color": "#101010"}} for text in NARRATIONS
    ]
    scenes[-1]["duration"] = 4.0
    doc = {
        "output": {"aspect": "16:9", "resolution": 360, "fps": 30},
        "music": {"enabled": True, "style": args.style, "seed": args.seed},
        "scenes": scenes,
    }
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        timeline = resolve_project(parse_project(doc), resolver=DirectoryResolver(cache),
                                   options=RenderOptions(cache_dir=cache),
                                   narrator=default_narrator(cache))  # fmt: skip
        total = timeline.duration
        n = round(total * SAMPLE_RATE)
        assert timeline.music is not None
        speech = np.zeros(n)
        clips = soundtrack_clips(timeline)
        for clip in clips:
            samples = _decode(clip.path, total - clip.start)
            a = round(clip.start * SAMPLE_RATE)
            speech[a : a + len(samples)] += samples[: n - a]
        track = _decode(generate_music(timeline.music.style, timeline.music.seed, total,
                                       cache_dir=cache), total)  # fmt: skip
        spans = speech_spans(clips, total)
        env = music_envelope(spans, total=total, volume=timeline.music.volume, ducking=True)
        gain = np.interp(np.arange(n) / SAMPLE_RATE, np.arange(len(env)) / 1000.0, env)
        music = track[:n] * gain
        meter = pyloudnorm.Meter(SAMPLE_RATE)
        during = np.zeros(n, dtype=bool)
        for a, b in spans:
            during[round(a * SAMPLE_RATE) : round(b * SAMPLE_RATE)] = True
        last_word = max(b for _, b in spans)
        pauses = np.zeros(n, dtype=bool)
        for (_, b), (a, _) in zip(spans, spans[1:], strict=False):
            pauses[round(b * SAMPLE_RATE) : round(a * SAMPLE_RATE)] = True
        after = np.zeros(n, dtype=bool)
        after[round((last_word + 0.5) * SAMPLE_RATE) : n - SAMPLE_RATE] = True
        voice = _lufs(meter, speech[during])
        rows = {
            "music during speech": _lufs(meter, music[during]),
            "music in pauses between sentences": _lufs(meter, music[pauses]),
            "music after the narration": _lufs(meter, music[after]),
            "music in the last second": _lufs(meter, music[n - SAMPLE_RATE :]),
            "music in the last 0.25 s": _lufs(meter, music[n - SAMPLE_RATE // 4 :]),
        }
        print(f"{args.style} (seed {args.seed}), video {total:.2f} s, narration ends at "
              f"{last_word:.2f} s, {len(spans)} spoken spans, "
              f"pauses {pauses.sum() / SAMPLE_RATE:.2f} s")  # fmt: skip
        print(f"  speech while speaking                 {voice:6.1f} LUFS")
        for name, value in rows.items():
            print(f"  {name:37s} {value:6.1f} LUFS  ({value - voice:+.1f} LU vs speech)")


if __name__ == "__main__":
    main()
