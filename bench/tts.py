"""Speech synthesis speed: seconds of audio per wall-clock second (× realtime).

    .venv/bin/python bench/tts.py [--speed 1.0] [--voice piper:en_US-joe-medium]

Synthesises a few paragraphs of ad narration with the real Piper voice, into a fresh cache,
one paragraph per call (as the timeline does, one scene at a time). Prints the model load
time, each paragraph's figures and the total; the target is at least 8× realtime on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

from reelforge.audio.tts import get_voice, load_voice_model, synthesize
from reelforge.spec.models import DEFAULT_VOICE_ID

PARAGRAPHS = [
    "Meet SmartBottle, the bottle that keeps your drinks cold for 24 hours and hot for 12. "
    "It's made from double-walled stainless steel, weighs just 350 grams, and fits in every "
    "cup holder we have tried.",
    "Tired of lukewarm coffee by 10 a.m.? SmartBottle's vacuum seal locks in the heat, so "
    "your first sip and your last taste the same. Dishwasher safe, leak proof, and backed by "
    "a lifetime warranty.",
    "Order today at smartbottle.com for only $29.99, that's 25% off the regular price. Free "
    "shipping on orders over $50, and a 30-day money-back guarantee if you don't love it.",
    "Join more than 1,200,000 happy customers. Dr. Maya Chen, our lead designer, says it "
    "best: the bottle you forget you're carrying is the one you never leave behind.",
]


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default=DEFAULT_VOICE_ID)
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args()

    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(f"cpus: {os.cpu_count()}  OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}")
    started = time.perf_counter()
    load_voice_model(get_voice(args.voice))
    print(f"model load: {time.perf_counter() - started:.2f} s")

    audio_total = wall_total = 0.0
    with tempfile.TemporaryDirectory() as cache:
        for number, paragraph in enumerate(PARAGRAPHS, start=1):
            started = time.perf_counter()
            speech = synthesize(
                paragraph, voice_id=args.voice, speed=args.speed, cache_dir=Path(cache)
            )
            wall = time.perf_counter() - started
            audio_total += speech.duration
            wall_total += wall
            print(
                f"paragraph {number}: {len(paragraph)} chars, {speech.duration:.2f} s audio "
                f"in {wall:.2f} s = {speech.duration / wall:.1f}x realtime"
            )
        started = time.perf_counter()
        synthesize(PARAGRAPHS[0], voice_id=args.voice, speed=args.speed, cache_dir=Path(cache))
        hit = time.perf_counter() - started
    print(
        f"total: {audio_total:.2f} s audio in {wall_total:.2f} s = "
        f"{audio_total / wall_total:.1f}x realtime (cache hit: {hit * 1000:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
