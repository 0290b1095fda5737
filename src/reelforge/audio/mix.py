"""The final audio mix: narration, video sound and music, once for the whole timeline.

Two FFmpeg passes over one streaming filter graph (nothing is held in Python memory):

1. mix → measure integrated loudness and true peak (EBU R128 / BS.1770);
2. mix → gain to the target → true-peak limiter at 4x oversampling (only when the gain would
   push peaks over the ceiling) → exact length → 16-bit WAV.

Clips are laid on a few "lanes" of non-overlapping clips, each lane one `concat` of fixed-length
segments, so an hour with hundreds of clips mixes only a handful of streams. The music is
multiplied by one gain envelope (volume, fade in, fade out, ducking under speech) that is
computed here in numpy at 1 kHz.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from reelforge.audio.music.own_track import probe_audio
from reelforge.audio.music.process import (
    atomic_output,
    ebur128_filter,
    ffmpeg_argv,
    parse_ebur128,
    run_tool,
)
from reelforge.audio.music.process import measure_loudness as measure_loudness
from reelforge.errors import MediaError, MusicError, RenderCancelled

SAMPLE_RATE = 48_000
ENVELOPE_RATE = 1_000
DUCK_DB = 12.0  # how far the music drops under speech
DUCK_ATTACK = 0.3  # seconds; the music is down by the time speech starts
DUCK_RELEASE = 0.6  # seconds after speech ends
MUSIC_FADE_IN = 2.0
MUSIC_FADE_OUT = 3.0
END_FADE = 0.05  # a master fade on the last samples, against clicks from video sound
_SILENT_LUFS = -69.0
_LIMITER_MARGIN_DB = 0.5

__all__ = ["AudioClip", "measure_loudness", "mix_timeline"]


@dataclass(frozen=True)
class AudioClip:
    """One sound on the timeline: narration (`speech`, ducks the music) or a video's sound."""

    path: Path
    start: float  # timeline seconds where it begins
    kind: Literal["speech", "video"]
    offset: float = 0.0  # seconds into the file
    duration: float | None = None  # None = to the file's end (cut at the timeline end anyway)
    gain: float = 1.0


@dataclass(frozen=True)
class _Placed:
    """A clip resolved to samples: where it starts and how much of it plays."""

    clip: AudioClip
    start: int
    length: int


def _place(clips: Sequence[AudioClip], total_samples: int) -> list[_Placed]:
    placed = []
    for clip in clips:
        if clip.duration is None:
            try:
                seconds = probe_audio(clip.path) - clip.offset
            except MusicError as exc:
                raise MediaError(f"audio clip {clip.path.name}: {exc}") from exc
        else:
            seconds = clip.duration
        start = round(clip.start * SAMPLE_RATE)
        length = min(round(seconds * SAMPLE_RATE), total_samples - start)
        if length > 0 and start >= 0 and clip.gain > 0:
            placed.append(_Placed(clip, start, length))
    return placed


def _lanes(placed: list[_Placed]) -> list[list[_Placed]]:
    """Greedy interval partitioning: each lane holds clips that do not overlap."""
    lanes: list[list[_Placed]] = []
    for item in sorted(placed, key=lambda p: (p.start, p.length)):
        for lane in lanes:
            last = lane[-1]
            if last.start + last.length <= item.start:
                lane.append(item)
                break
        else:
            lanes.append([item])
    return lanes


def _ramp(n: int, *, rising: bool) -> np.ndarray:
    """A raised-cosine ramp of n points."""
    u = (np.arange(n, dtype=np.float64) + 0.5) / max(n, 1)
    curve = 0.5 - 0.5 * np.cos(np.pi * u)
    return curve if rising else curve[::-1]


def music_envelope(
    speech: Sequence[tuple[float, float]], *, total: float, volume: float, ducking: bool
) -> np.ndarray:
    """The music's gain at ENVELOPE_RATE: volume × fade in × fade out × ducking under `speech`
    (a list of (start, end) seconds)."""
    n = max(1, math.ceil(total * ENVELOPE_RATE) + 1)
    env = np.full(n, volume, dtype=np.float64)
    fade_in = max(1, round(min(MUSIC_FADE_IN, total / 4) * ENVELOPE_RATE))
    fade_out = max(1, round(min(MUSIC_FADE_OUT, total / 4) * ENVELOPE_RATE))
    env[:fade_in] *= _ramp(fade_in, rising=True)[: len(env)]
    end = round(total * ENVELOPE_RATE)
    lo = max(0, end - fade_out)
    env[lo:end] *= _ramp(fade_out, rising=False)[fade_out - (end - lo) :]
    env[end:] = 0.0
    if ducking and speech:
        depth = np.zeros(n)
        attack = round(DUCK_ATTACK * ENVELOPE_RATE)
        release = round(DUCK_RELEASE * ENVELOPE_RATE)
        for start_s, end_s in speech:
            a = round(start_s * ENVELOPE_RATE)
            b = round(end_s * ENVELOPE_RATE)
            shape = np.concatenate(
                [_ramp(attack, rising=True), np.ones(max(0, b - a)), _ramp(release, rising=False)]
            )
            first = a - attack
            lo, hi = max(0, first), min(n, first + len(shape))
            if hi > lo:
                np.maximum(depth[lo:hi], shape[lo - first : hi - first], out=depth[lo:hi])
        env *= 1.0 - (1.0 - 10 ** (-DUCK_DB / 20)) * depth
    return env.astype(np.float32)


def _filter(name: str, **options: object) -> str:
    """One filter with its options, e.g. `atrim=end_sample=480000`."""
    if not options:
        return name
    return name + "=" + ":".join(f"{key}={value}" for key, value in options.items())


@dataclass
class _Graph:
    """A `-filter_complex` graph built as chains of filters between labelled links."""

    inputs: list[list[str]]
    chains: list[tuple[list[str], list[str], str]]

    def input(self, *options: str) -> int:
        self.inputs.append(list(options))
        return len(self.inputs) - 1

    def chain(self, sources: list[str], filters: list[str], output: str) -> str:
        self.chains.append((sources, filters, output))
        return output

    def serialise(self) -> str:
        return ";\n".join(
            "".join(f"[{s}]" for s in sources) + ",".join(filters) + f"[{output}]"
            for sources, filters, output in self.chains
        )

    def argv_inputs(self) -> list[str]:
        return [arg for options in self.inputs for arg in options]


def _stereo48() -> list[str]:
    return [
        _filter("aresample", osr=SAMPLE_RATE),
        _filter("aformat", sample_fmts="fltp", sample_rates=SAMPLE_RATE, channel_layouts="stereo"),
    ]


def _exact(samples: int) -> list[str]:
    """Pad or cut to exactly `samples`, then restamp so `concat` and `amix` line up."""
    return [
        _filter("apad", whole_len=samples),
        _filter("atrim", end_sample=samples),
        _filter("asetpts", expr="N/SR/TB"),
    ]


def _build_mix(
    lanes: list[list[_Placed]], music: Path | None, envelope: Path | None, total_samples: int
) -> tuple[_Graph, str]:
    """The mixing graph; returns it and the label of the mixed (not yet normalised) stream."""
    graph = _Graph([], [])
    mixed: list[str] = []
    for li, lane in enumerate(lanes):
        segments: list[str] = []
        if lane[0].start > 0:
            segments.append(
                graph.chain([], [_filter("anullsrc", r=SAMPLE_RATE, cl="stereo"), *_stereo48(),
                                 *_exact(lane[0].start)], f"l{li}s")
            )  # fmt: skip
        for ci, item in enumerate(lane):
            nxt = lane[ci + 1].start if ci + 1 < len(lane) else total_samples
            seconds = item.length / SAMPLE_RATE + 0.1
            options = ["-ss", f"{item.clip.offset:.6f}"] if item.clip.offset > 0 else []
            index = graph.input(*options, "-t", f"{seconds:.6f}", "-i", str(item.clip.path))
            segments.append(
                graph.chain(
                    [f"{index}:a:0"],
                    [*_stereo48(), _filter("atrim", end_sample=item.length),
                     _filter("volume", volume=f"{item.clip.gain:.6f}"),
                     *_exact(nxt - item.start)],
                    f"l{li}c{ci}",
                )
            )  # fmt: skip
        if len(segments) == 1:
            mixed.append(segments[0])
        else:
            mixed.append(
                graph.chain(segments, [_filter("concat", n=len(segments), v=0, a=1)], f"lane{li}")
            )
    if music is not None and envelope is not None:
        m = graph.input("-i", str(music))
        e = graph.input("-f", "f32le", "-ar", str(ENVELOPE_RATE), "-ac", "2", "-i", str(envelope))
        graph.chain([f"{m}:a:0"], [*_stereo48(), *_exact(total_samples)], "music")
        graph.chain([f"{e}:a:0"], [*_stereo48(), *_exact(total_samples)], "envelope")
        mixed.append(graph.chain(["music", "envelope"], ["amultiply"], "ducked"))
    if not mixed:
        mixed.append(
            graph.chain([], [_filter("anullsrc", r=SAMPLE_RATE, cl="stereo"), *_stereo48()], "sil")
        )
    tail = [*_exact(total_samples)]
    end_fade = min(round(END_FADE * SAMPLE_RATE), total_samples)
    if end_fade > 0:
        tail.append(_filter("afade", t="out", ss=total_samples - end_fade, ns=end_fade))
    if len(mixed) > 1:
        tail.insert(0, _filter("amix", inputs=len(mixed), normalize=0, duration="longest",
                               dropout_transition=0))  # fmt: skip
    else:
        tail.insert(0, "anull")
    return graph, graph.chain(mixed, tail, "mix")


def _run_graph(graph: _Graph, extra: list[str], output: list[str], work: Path,
               cancel: threading.Event | None) -> str:  # fmt: skip
    """Run the graph with `extra` filters after the mix; returns FFmpeg's stderr tail."""
    script = work / f"graph{len(list(work.iterdir()))}.txt"
    text = graph.serialise()
    if extra:
        text += ";\n[mix]" + ",".join(extra) + "[out]"
    else:
        text += ";\n[mix]anull[out]"
    script.write_text(text, encoding="utf-8")
    argv = ffmpeg_argv(*graph.argv_inputs(), "-/filter_complex", str(script), "-map", "[out]",
                       *output)  # fmt: skip
    return run_tool(argv, cancel=cancel)


def mix_timeline(
    clips: Sequence[AudioClip],
    *,
    total: float,
    out: Path,
    music: Path | None = None,
    music_volume: float = 0.15,
    ducking: bool = True,
    target_lufs: float = -14.0,
    true_peak_db: float = -1.0,
    cancel: threading.Event | None = None,
) -> Path:
    """Mix the timeline's audio into `out`: a 48 kHz stereo 16-bit WAV of exactly
    round(total*48000) samples, at `target_lufs` integrated with true peaks ≤ `true_peak_db`.

    `music` is an already fitted track (generate_music / fit_track) or None; a `music_volume`
    of 0 means no music. Silence stays silence (it is not normalised).
    """
    if cancel is not None and cancel.is_set():
        raise RenderCancelled("the render was cancelled")
    if not 0.0 <= music_volume <= 1.0:
        raise MusicError(f"music volume must be between 0 and 1, not {music_volume:g}",
                         field="music.volume")  # fmt: skip
    total_samples = round(total * SAMPLE_RATE)
    if total_samples <= 0:
        raise MediaError(f"the timeline must be longer than 0 s (got {total:g} s)")
    placed = _place(clips, total_samples)
    use_music = music is not None and music_volume > 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".mix-", dir=out.parent) as tmp:
        work = Path(tmp)
        envelope: Path | None = None
        if use_music:
            speech = [
                (p.start / SAMPLE_RATE, (p.start + p.length) / SAMPLE_RATE)
                for p in placed
                if p.clip.kind == "speech"
            ]
            env = music_envelope(speech, total=total, volume=music_volume, ducking=ducking)
            envelope = work / "envelope.f32"
            np.repeat(env[:, None], 2, axis=1).astype("<f4").tofile(envelope)
        graph, _ = _build_mix(_lanes(placed), music if use_music else None, envelope,
                              total_samples)  # fmt: skip

        loudness, peak = parse_ebur128(
            _run_graph(graph, [ebur128_filter(true_peak=True)], ["-f", "null", "-"], work, cancel)
        )
        final: list[str] = []
        if loudness > _SILENT_LUFS:
            gain_db = target_lufs - loudness
            final.append(_filter("volume", volume=f"{gain_db:.4f}dB"))
            if peak + gain_db > true_peak_db - 0.1:
                final += _true_peak_limiter(true_peak_db - _LIMITER_MARGIN_DB)
        final += _exact(total_samples)
        with atomic_output(out) as target:
            _run_graph(graph, final, ["-c:a", "pcm_s16le", "-f", "wav", str(target)], work,
                       cancel)  # fmt: skip
    return out


def _true_peak_limiter(ceiling_db: float) -> list[str]:
    """A lookahead limiter run at 4x the sample rate, so it catches inter-sample peaks."""
    return [
        _filter("aresample", osr=4 * SAMPLE_RATE),
        _filter("alimiter", limit=f"{10 ** (ceiling_db / 20):.6f}", attack=5, release=80,
                level=0, latency=1),
        _filter("aresample", osr=SAMPLE_RATE),
    ]  # fmt: skip
