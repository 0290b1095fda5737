"""The final audio mix: narration, video sound and music, once for the whole timeline.

FFmpeg passes over one streaming filter graph (nothing is held in Python memory):

1. mix → measure integrated loudness and true peak (EBU R128 / BS.1770);
2. mix → gain to the target → exact length → 16-bit WAV; or, when that gain would push peaks
   over the ceiling, gain → true-peak limiter at 4x oversampling → exact length → 16-bit WAV,
   measured as it is written, and written again (at most twice more) with the gain corrected
   for the loudness the limiter took away.

Clips are laid on a few "lanes" of non-overlapping clips, each lane one `concat` of fixed-length
segments, so an hour with hundreds of clips mixes only a handful of streams. A looping clip (a
looped video's sound) repeats its file's first `loop` seconds, decoded once. The music is
multiplied by one gain envelope (volume, fade in, fade out, ducking under speech and under
video sound where it is audible) that is computed here in numpy at 1 kHz.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from reelforge.audio.loudness import ebur128_filter, measure_loudness, parse_ebur128
from reelforge.audio.music.own_track import probe_audio
from reelforge.errors import MediaError, MusicError, RenderCancelled
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output
from reelforge.graph import Filter, FilterGraph

SAMPLE_RATE = 48_000
ENVELOPE_RATE = 1_000
# Levels (figures in docs/benchmarks.md, bench/music_levels.py): the music stem is levelled to
# -20 LUFS and speech peaks at -1 dBFS (about -19 LUFS while speaking); at the default volume
# 0.15 the music sits about 7 LU under the voice between sentences and 16 LU under it while
# the voice speaks, then the whole mix is normalised.
MUSIC_BOOST_DB = 14.0  # gain on top of `volume`, so the default 0.15 is heard
DUCK_DB = 10.0  # how far the music drops under speech
DUCK_ATTACK = 0.12  # seconds; the music is down by the time speech starts
DUCK_RELEASE = 0.25  # seconds after speech ends: it rises again in a sentence's pause
DUCK_BRIDGE = 0.08  # seconds: spoken spans closer than this count as one
MUSIC_FADE_IN = 1.0
# No fade-out here: the fitted track (generate_music / fit_track) already fades over its last
# seconds, and the music plays with that fade to the very end.
END_FADE = 0.05  # a master fade on the last samples, against clicks from video sound
_SILENT_LUFS = -69.0
_LIMITER_MARGIN_DB = 0.5
_LIMITED_PASSES = 3  # writes of a limited mix, each measured; the last one is kept
_LOUDNESS_TOLERANCE = 0.2  # LU; leaves room for the AAC encode, which loses about 0.1
_MAX_LIMITING_DB = 6.0  # gain a correction may add beyond the plain gain
AUDIBLE_DB = -50.0  # video sound above this RMS level (before the mix) ducks the music
AUDIBLE_WINDOW = 0.05  # seconds per level reading of the video sound
_ALOOP_MAX_SAMPLES = 30 * SAMPLE_RATE  # longer loop periods play as one input per repeat

__all__ = ["AudioClip", "measure_loudness", "mix_timeline", "music_envelope", "speech_spans"]


@dataclass(frozen=True)
class AudioClip:
    """One sound on the timeline: narration (`speech`, ducks the music) or a video's sound
    (ducks the music where it is audible).

    A clip with a `loop` period plays the file's first `loop` seconds over and over (silence
    pads a file shorter than that), starting `offset` seconds into the period, for `duration`
    (required then). `fade_in` and `fade_out` ramp its first and last seconds.
    """

    path: Path
    start: float  # timeline seconds where it begins
    kind: Literal["speech", "video"]
    offset: float = 0.0  # seconds into the file
    duration: float | None = None  # None = to the file's end (cut at the timeline end anyway)
    gain: float = 1.0
    loop: float | None = None
    fade_in: float = 0.0
    fade_out: float = 0.0
    voiced: tuple[tuple[float, float], ...] = ()  # speech: spoken spans (s from `start`); () = all


@dataclass(frozen=True)
class _Placed:
    """A clip resolved to samples: where it starts and how much of it plays."""

    clip: AudioClip
    start: int
    length: int


def _place(clips: Sequence[AudioClip], total_samples: int) -> list[_Placed]:
    placed = []
    for clip in clips:
        if clip.loop is not None and (clip.duration is None or clip.loop <= 0):
            raise ValueError("a looping clip needs a positive loop period and a duration")
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
            placed += _unloop(_Placed(clip, start, length))
    return placed


def _unloop(item: _Placed) -> list[_Placed]:
    """A looping clip as plain clips where that is cheap: one when it never reaches the end of
    its period, one per repeat when the period is too long for `aloop` to hold in memory."""
    clip = item.clip
    if clip.loop is None:
        return [item]
    period = max(1, round(clip.loop * SAMPLE_RATE))
    first = round(clip.offset * SAMPLE_RATE) % period
    if first + item.length > period and period <= _ALOOP_MAX_SAMPLES:
        return [item]
    pieces: list[_Placed] = []
    done, position = 0, first
    while done < item.length:
        n = min(period - position, item.length - done)
        piece = replace(clip, offset=position / SAMPLE_RATE, loop=None,
                        fade_in=clip.fade_in if done == 0 else 0.0,
                        fade_out=clip.fade_out if done + n == item.length else 0.0)  # fmt: skip
        pieces.append(_Placed(piece, item.start + done, n))
        done, position = done + n, 0
    return pieces


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


def speech_spans(clips: Sequence[AudioClip], total: float) -> list[tuple[float, float]]:
    """Timeline (start, end) seconds where speech clips are spoken (their `voiced` spans, or
    the whole clip), cut at `total`; spans closer than DUCK_BRIDGE are joined."""
    spans: list[tuple[float, float]] = []
    for clip in clips:
        if clip.kind != "speech":
            continue
        end = total if clip.duration is None else min(total, clip.start + clip.duration)
        parts = clip.voiced or ((0.0, end - clip.start),)
        for a, b in parts:
            lo, hi = clip.start + a, min(end, clip.start + b)
            if hi > lo:
                spans.append((lo, hi))
    joined: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if joined and a - joined[-1][1] < DUCK_BRIDGE:
            joined[-1] = (joined[-1][0], max(joined[-1][1], b))
        else:
            joined.append((a, b))
    return joined


def music_envelope(
    speech: Sequence[tuple[float, float]], *, total: float, volume: float, ducking: bool
) -> np.ndarray:
    """The music's gain at ENVELOPE_RATE: volume (plus MUSIC_BOOST_DB) × fade in × ducking
    under `speech` (a list of (start, end) seconds of speech or audible video sound)."""
    n = max(1, math.ceil(total * ENVELOPE_RATE) + 1)
    env = np.full(n, volume * 10 ** (MUSIC_BOOST_DB / 20), dtype=np.float64)
    fade_in = max(1, round(min(MUSIC_FADE_IN, total / 4) * ENVELOPE_RATE))
    env[:fade_in] *= _ramp(fade_in, rising=True)[: len(env)]
    end = round(total * ENVELOPE_RATE)
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


def _stereo48() -> list[Filter]:
    return [
        Filter.of("aresample", osr=SAMPLE_RATE),
        Filter.of("aformat", sample_fmts="fltp", sample_rates=SAMPLE_RATE,
                  channel_layouts="stereo"),
    ]  # fmt: skip


def _exact(samples: int) -> list[Filter]:
    """Pad or cut to exactly `samples`, then restamp so `concat` and `amix` line up."""
    return [
        Filter.of("apad", whole_len=samples),
        Filter.of("atrim", end_sample=samples),
        Filter.of("asetpts", expr="N/SR/TB"),
    ]


def _silence(samples: int | None) -> list[Filter]:
    tail = _exact(samples) if samples is not None else []
    return [Filter.of("anullsrc", r=SAMPLE_RATE, cl="stereo"), *_stereo48(), *tail]


def _clip_source(graph: FilterGraph, item: _Placed) -> tuple[str, list[Filter]]:
    """The clip's input and the filters that make it exactly `item.length` samples of 48 kHz
    stereo: its file from `offset` on, or its looped period from `offset` on."""
    clip = item.clip
    if clip.loop is None:
        seconds = item.length / SAMPLE_RATE + 0.1
        options = ["-ss", f"{clip.offset:.6f}"] if clip.offset > 0 else []
        source = graph.add_input(str(clip.path), *options, "-t", f"{seconds:.6f}", stream="a:0")
        return source, [*_stereo48(), Filter.of("atrim", end_sample=item.length)]
    # One period decoded once and repeated by `aloop`: every repeat is exactly `period`
    # samples, so the sound stays in step with a picture that loops with the same period.
    period = max(1, round(clip.loop * SAMPLE_RATE))
    first = round(clip.offset * SAMPLE_RATE) % period
    source = graph.add_input(str(clip.path), "-t", f"{period / SAMPLE_RATE + 0.1:.6f}",
                             stream="a:0")  # fmt: skip
    return source, [
        *_stereo48(),
        *_exact(period),
        Filter.of("aloop", loop=-1, size=period),
        Filter.of("atrim", start_sample=first, end_sample=first + item.length),
        Filter.of("asetpts", expr="N/SR/TB"),
    ]


def _clip_fades(item: _Placed) -> list[Filter]:
    fades = []
    fade_in = min(item.length, round(item.clip.fade_in * SAMPLE_RATE))
    fade_out = min(item.length, round(item.clip.fade_out * SAMPLE_RATE))
    if fade_in > 0:
        fades.append(Filter.of("afade", t="in", ss=0, ns=fade_in))
    if fade_out > 0:
        fades.append(Filter.of("afade", t="out", ss=item.length - fade_out, ns=fade_out))
    return fades


def _build_mix(
    lanes: list[list[_Placed]], music: Path | None, envelope: Path | None, total_samples: int
) -> tuple[FilterGraph, str]:
    """The mixing graph; returns it and the label of the mixed (not yet normalised) stream."""
    graph = FilterGraph()
    mixed: list[str] = []
    for li, lane in enumerate(lanes):
        segments: list[str] = []
        if lane[0].start > 0:
            segments.append(graph.chain([], *_silence(lane[0].start), label=f"l{li}s"))
        for ci, item in enumerate(lane):
            nxt = lane[ci + 1].start if ci + 1 < len(lane) else total_samples
            source, head = _clip_source(graph, item)
            segments.append(
                graph.chain(
                    source,
                    *head,
                    Filter.of("volume", volume=f"{item.clip.gain:.6f}"),
                    *_clip_fades(item),
                    *_exact(nxt - item.start),
                    label=f"l{li}c{ci}",
                )
            )
        if len(segments) == 1:
            mixed.append(segments[0])
        else:
            concat = Filter.of("concat", n=len(segments), v=0, a=1)
            mixed.append(graph.chain(segments, concat, label=f"lane{li}"))
    if music is not None and envelope is not None:
        tune = graph.add_input(str(music), stream="a:0")
        gain = graph.add_input(str(envelope), "-f", "f32le", "-ar", str(ENVELOPE_RATE),
                               "-ac", "2", stream="a:0")  # fmt: skip
        tune = graph.chain(tune, *_stereo48(), *_exact(total_samples), label="music")
        gain = graph.chain(gain, *_stereo48(), *_exact(total_samples), label="envelope")
        mixed.append(graph.chain([tune, gain], Filter.of("amultiply"), label="ducked"))
    if not mixed:
        mixed.append(graph.chain([], *_silence(None), label="sil"))
    tail = _exact(total_samples)
    end_fade = min(round(END_FADE * SAMPLE_RATE), total_samples)
    if end_fade > 0:
        tail.append(Filter.of("afade", t="out", ss=total_samples - end_fade, ns=end_fade))
    if len(mixed) > 1:
        tail.insert(0, Filter.of("amix", inputs=len(mixed), normalize=0, duration="longest",
                                 dropout_transition=0))  # fmt: skip
    return graph, graph.chain(mixed, *tail, label="mix")


@dataclass
class _Mixer:
    """Runs the mixing graph with a different ending each pass (measure, then write)."""

    lanes: list[list[_Placed]]
    music: Path | None
    envelope: Path | None
    total_samples: int
    work: Path
    cancel: threading.Event | None
    passes: int = 0

    def run(self, ending: list[Filter], output: list[str]) -> str:
        """Run the mix through `ending` into `output`; returns FFmpeg's stderr tail."""
        graph, mix = _build_mix(self.lanes, self.music, self.envelope, self.total_samples)
        graph.chain(mix, *(ending or [Filter.of("anull")]), label="out")
        self.passes += 1
        script = self.work / f"graph{self.passes}.txt"
        script.write_text(graph.serialise(), encoding="utf-8")
        argv = ffmpeg_argv(*graph.input_argv(), "-/filter_complex", str(script),
                           "-map", "[out]", *output, loglevel="info")  # fmt: skip
        return run(argv, cancel=self.cancel)

    def measure(
        self, ending: list[Filter], output: list[str], *, true_peak: bool = True
    ) -> tuple[float, float]:
        """(integrated LUFS, true peak dBTP) of the mix through `ending`, written to `output`;
        the sample peak instead when not `true_peak` (its 4x upsampling is a third of a pass)."""
        return parse_ebur128(self.run([*ending, ebur128_filter(true_peak=true_peak)], output))


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
            speech = speech_spans(
                [replace(p.clip, duration=p.length / SAMPLE_RATE) for p in placed], total
            )
            video = [p for p in placed if p.clip.kind == "video"]
            if ducking and video:
                speech += _audible_spans(video, total_samples, work, cancel)
            env = music_envelope(speech, total=total, volume=music_volume, ducking=ducking)
            envelope = work / "envelope.f32"
            np.repeat(env[:, None], 2, axis=1).astype("<f4").tofile(envelope)
        mixer = _Mixer(_lanes(placed), music if use_music else None, envelope, total_samples,
                       work, cancel)  # fmt: skip
        loudness, peak = mixer.measure([], ["-f", "null", "-"])
        with atomic_output(out) as target:
            wav = ["-c:a", "pcm_s16le", "-f", "wav", str(target)]
            if loudness <= _SILENT_LUFS:
                mixer.run(_exact(total_samples), wav)
            else:
                _normalise(mixer, wav, loudness=loudness, peak=peak, target_lufs=target_lufs,
                           true_peak_db=true_peak_db)  # fmt: skip
    return out


def _audible_spans(
    video: list[_Placed], total_samples: int, work: Path, cancel: threading.Event | None
) -> list[tuple[float, float]]:
    """(start, end) timeline seconds where the video sound is audible: its RMS level is above
    AUDIBLE_DB for most of a window of AUDIBLE_WINDOW seconds. The music ducks there, as under
    speech, but not under a silent soundtrack or a silent stretch of one."""
    # The mean square at ENVELOPE_RATE (squared, then averaged by the resampler's low-pass):
    # 4 bytes a millisecond, and no file name inside the filter graph.
    power = work / "video-power.f32"
    mixer = _Mixer(_lanes(video), None, None, total_samples, work, cancel)
    mixer.run(
        [
            Filter.of("aformat", sample_fmts="flt", channel_layouts="mono"),
            Filter.of("aeval", exprs="val(0)*val(0)"),
            Filter.of("aresample", osr=ENVELOPE_RATE),
        ],
        ["-f", "f32le", str(power)],
    )
    size = round(AUDIBLE_WINDOW * ENVELOPE_RATE)
    mean_square = np.fromfile(power, dtype="<f4")
    padded = np.zeros(math.ceil(len(mean_square) / size) * size, dtype=np.float32)
    padded[: len(mean_square)] = mean_square
    # the median, not the mean: the low-pass smears a sound's edges over ~16 ms, which must not
    # make the window next to it count
    windows = np.median(padded.reshape(-1, size), axis=1)
    audible = np.concatenate([[False], windows > 10 ** (AUDIBLE_DB / 10), [False]])
    edges = np.flatnonzero(np.diff(audible.astype(np.int8)))
    return [
        (a * AUDIBLE_WINDOW, b * AUDIBLE_WINDOW)
        for a, b in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True)
    ]


def _normalise(
    mixer: _Mixer,
    wav: list[str],
    *,
    loudness: float,
    peak: float,
    target_lufs: float,
    true_peak_db: float,
) -> None:
    """Write the mix at `target_lufs` with true peaks at most `true_peak_db`.

    A plain gain is exact. When that gain would push peaks over the ceiling, a limiter takes
    them down, and with them some loudness; so the limited result is measured and the gain
    corrected (secant steps on the measured loudness, a few passes at most).
    """
    gain_db = target_lufs - loudness
    if peak + gain_db <= true_peak_db - 0.1:
        mixer.run([_volume(gain_db), *_exact(mixer.total_samples)], wav)
        return
    limiter = _true_peak_limiter(true_peak_db - _LIMITER_MARGIN_DB)
    slope = 1.0  # LU of output per dB of gain; the limiter makes it smaller
    previous: tuple[float, float] | None = None
    for attempt in range(_LIMITED_PASSES):
        # only the loudness is used here: the limiter already keeps the true peaks down
        measured, _ = mixer.measure([_volume(gain_db), *limiter, *_exact(mixer.total_samples)],
                                    wav, true_peak=False)  # fmt: skip
        error = target_lufs - measured
        if abs(error) <= _LOUDNESS_TOLERANCE or attempt == _LIMITED_PASSES - 1:
            return
        if previous is not None and gain_db != previous[0]:
            slope = min(1.0, max(0.2, (measured - previous[1]) / (gain_db - previous[0])))
        previous = (gain_db, measured)
        gain_db = min(gain_db + error / slope, target_lufs - loudness + _MAX_LIMITING_DB)


def _volume(gain_db: float) -> Filter:
    return Filter.of("volume", volume=f"{gain_db:.4f}dB")


def _true_peak_limiter(ceiling_db: float) -> list[Filter]:
    """A lookahead limiter run at 4x the sample rate, so it catches inter-sample peaks."""
    return [
        Filter.of("aresample", osr=4 * SAMPLE_RATE),
        Filter.of("alimiter", limit=f"{10 ** (ceiling_db / 20):.6f}", attack=5, release=80,
                  level=0, latency=1),
        Filter.of("aresample", osr=SAMPLE_RATE),
    ]  # fmt: skip
