"""Generated background music: compose, render with FluidSynth, level, cache."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from reelforge.audio.music.compose import compose
from reelforge.audio.music.midi import write_midi
from reelforge.audio.music.stem import (
    SAMPLE_RATE,
    DecodedReader,
    RawReader,
    StemReader,
    level_gain,
    measure_raw,
    write_stem,
)
from reelforge.audio.music.styles import get_style
from reelforge.audio.music.synth import find_soundfont, render_midi, render_midi_lossless
from reelforge.errors import MusicError

# Bump when the composer, the synthesis or the finishing changes what a (style, seed) sounds like.
GENERATOR_VERSION = 2  # 2: a 1 s fade-out, so the music is heard to the very end
SAMPLE_SECONDS = 8.0
SAMPLE_SEED = 1


def music_cache_key(style: str, seed: int, samples: int) -> str:
    """The cache key of a generated track."""
    soundfont = find_soundfont()
    ident = {
        "generator": GENERATOR_VERSION,
        "style": style,
        "seed": seed,
        "samples": samples,
        "soundfont": [soundfont.name, soundfont.stat().st_size],
    }
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:32]
    return f"{style}-{seed}-{digest}"


# Tracks at least this long are synthesised through a pipe into a lossless file (see below).
STREAMED_SYNTHESIS_SECONDS = 600.0


def _fade_out_seconds(seconds: float) -> float:
    return min(1.0, seconds / 4)


def generate_music(style: str, seed: int, seconds: float, *, cache_dir: Path) -> Path:
    """A track of `style` for this `seed`: a 48 kHz stereo WAV of exactly round(seconds*48000)
    samples, cached under cache_dir/"music". Same seed, same PCM; a new seed, a new variation.
    """
    chosen = get_style(style)
    samples = round(seconds * SAMPLE_RATE)
    if samples < SAMPLE_RATE // 2:
        raise MusicError(f"music must last at least 0.5 s (asked for {seconds:g} s)")
    out = cache_dir / "music" / f"{music_cache_key(style, seed, samples)}.wav"
    if out.is_file():
        return out
    piece = compose(chosen, seed, samples / SAMPLE_RATE)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="music-", dir=out.parent) as work:
        midi = Path(work) / "piece.mid"
        write_midi(midi, piece.parts, bpm=piece.bpm)
        source: StemReader
        if seconds >= STREAMED_SYNTHESIS_SECONDS:
            # FluidSynth's float PCM goes through a pipe into a lossless WavPack file: 30 % less
            # temporary disk than the raw file (1.4 GB an hour), the same samples, but about
            # 30 % more time, so only for long tracks.
            synthesised = Path(work) / "piece.wv"
            loudness, peak = render_midi_lossless(midi, synthesised)
            source = DecodedReader(synthesised)
        else:
            raw = Path(work) / "piece.f32"
            render_midi(midi, raw)
            loudness, peak = measure_raw(raw)
            source = RawReader(raw)
        write_stem(source, out, samples=samples, gain=level_gain(loudness, peak),
                   fade_out=_fade_out_seconds(seconds), name=f"{style} music")  # fmt: skip
    return out


def style_sample(style: str, *, cache_dir: Path) -> Path:
    """A short (~8 s) sample clip of a style, for the editor's style picker."""
    return generate_music(style, SAMPLE_SEED, SAMPLE_SECONDS, cache_dir=cache_dir)
