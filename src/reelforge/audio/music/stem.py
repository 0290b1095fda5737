"""Finish a music stem: exact length, loop with a crossfade, fade out, level, 16-bit WAV.

Works block by block on a raw float file, so an hour of music never sits in
memory at once.
"""

from __future__ import annotations

import math
import threading
import wave
from contextlib import closing
from pathlib import Path
from typing import Protocol

import av
import numpy as np
import numpy.typing as npt

from reelforge.audio.loudness import measure_loudness
from reelforge.errors import MusicError
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output

SAMPLE_RATE = 48_000
CHANNELS = 2
# Stems are levelled to this loudness so `music.volume` means the same for every track.
STEM_LUFS = -20.0
STEM_PEAK_DB = -1.0
LOOP_CROSSFADE_SECONDS = 2.0
_BLOCK = 1 << 16

Block = npt.NDArray[np.float32]


def _raw_format() -> list[str]:
    return ["-f", "f32le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS)]


def decode_to_raw(src: Path, raw: Path, *, cancel: threading.Event | None = None) -> None:
    """Decode the first audio stream of `src` to raw float stereo at 48 kHz."""
    run(
        ffmpeg_argv("-i", str(src), "-map", "0:a:0", "-vn", "-sn", "-dn",
                    "-af", "aresample=48000,aformat=channel_layouts=stereo", *_raw_format(),
                    str(raw)),
        cancel=cancel,
    )  # fmt: skip


def measure_raw(raw: Path) -> tuple[float, float]:
    """(integrated LUFS, sample peak dBFS) of a raw float stereo 48 kHz file."""
    return measure_loudness(raw, true_peak=False, input_options=tuple(_raw_format()))


def level_gain(loudness: float, peak_db: float) -> float:
    """Linear gain that brings a stem to STEM_LUFS without its peaks passing STEM_PEAK_DB."""
    if not math.isfinite(loudness) or loudness <= -69.0:
        return 1.0  # (near) silence: leave it alone
    gain_db = STEM_LUFS - loudness
    if math.isfinite(peak_db):
        gain_db = min(gain_db, STEM_PEAK_DB - peak_db)
    return float(10 ** (gain_db / 20))


def _fade(n: int, *, rising: bool) -> Block:
    """An equal-power fade curve of n samples, shape (n, 1)."""
    u = (np.arange(n, dtype=np.float64) + 0.5) / max(n, 1)
    curve = np.sin(u * np.pi / 2) if rising else np.cos(u * np.pi / 2)
    return curve.astype(np.float32)[:, None]


class StemReader(Protocol):
    """Frame ranges of a float stereo 48 kHz stem."""

    frames: int

    def read(self, lo: int, hi: int) -> Block: ...

    def close(self) -> None: ...


class RawReader:
    """Reads frame ranges of a raw float stereo file with plain reads (no mapping, so the
    process does not keep the whole file resident)."""

    def __init__(self, raw: Path) -> None:
        self.frames = raw.stat().st_size // (4 * CHANNELS)
        self._file = raw.open("rb")

    def read(self, lo: int, hi: int) -> Block:
        self._file.seek(lo * 4 * CHANNELS)
        data = np.fromfile(self._file, dtype="<f4", count=(hi - lo) * CHANNELS)
        return data.astype(np.float32).reshape(-1, CHANNELS)

    def close(self) -> None:
        self._file.close()


class DecodedReader:
    """Reads frame ranges of a losslessly compressed float stereo 48 kHz file (WavPack),
    decoding it in order; a read that goes back starts decoding again from the top."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._container: av.container.InputContainer | None = None
        self._open()
        stream = self._stream()
        if stream.duration is not None and stream.time_base is not None:
            self.frames = round(stream.duration * stream.time_base * SAMPLE_RATE)
        else:  # no length in the header: count the samples once
            self.frames = sum(frame.samples for frame in self._frames)
            self._open()

    def _stream(self) -> av.AudioStream:
        assert self._container is not None
        return self._container.streams.audio[0]

    def _open(self) -> None:
        self.close()
        self._container = av.open(str(self._path))
        self._frames = self._container.decode(self._stream())
        self._start = 0  # frame number of the first buffered frame
        self._buffer = np.zeros((0, CHANNELS), dtype=np.float32)

    def read(self, lo: int, hi: int) -> Block:
        if lo < self._start:
            self._open()
        blocks, end = [self._buffer], self._start + len(self._buffer)
        while end < hi:
            frame = next(self._frames, None)
            if frame is None:
                break
            data = frame.to_ndarray()  # planar: (channels, samples); packed: (1, samples × ch)
            block = data.T if frame.format.is_planar else data.reshape(-1, CHANNELS)
            blocks.append(block.astype(np.float32, copy=False))
            end += len(blocks[-1])
        buffer = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
        skip = min(len(buffer), lo - self._start)
        self._buffer, self._start = buffer[skip:], self._start + skip
        return self._buffer[: hi - lo].copy()

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None


def _looped(src: StemReader, start: int, stop: int, crossfade: int) -> Block:
    """Frames [start, stop) of `src` played in a loop, each repeat crossfaded over the last."""
    period = src.frames - crossfade
    pieces: list[Block] = []
    n = start
    while n < stop:
        repeat, pos = divmod(n, period)
        end = min(stop - n, period - pos) + pos  # stay inside this repeat
        piece = src.read(pos, end)
        if repeat > 0 and pos < crossfade:
            k = min(end, crossfade)
            u = ((np.arange(pos, k) + 0.5) / crossfade)[:, None]
            tail = src.read(pos + period, k + period)
            piece[: k - pos] = piece[: k - pos] * np.sin(u * np.pi / 2) + tail * np.cos(
                u * np.pi / 2
            )
        pieces.append(piece)
        n += end - pos
    return np.concatenate(pieces).astype(np.float32)


def write_stem(
    src: StemReader, out: Path, *, samples: int, gain: float, fade_out: float, name: str
) -> None:
    """Write `samples` frames of the stem `src` as a 16-bit 48 kHz stereo WAV at `out`,
    atomically, and close `src`.

    A stem shorter than `samples` loops with an equal-power crossfade; the last `fade_out`
    seconds fade to silence. `name` names the stem in errors.
    """
    frames = src.frames
    if frames == 0:
        src.close()
        raise MusicError(f"{name}: the audio is empty")
    crossfade = min(int(LOOP_CROSSFADE_SECONDS * SAMPLE_RATE), frames // 4)
    loop = samples > frames
    if loop and crossfade < 1:
        src.close()
        raise MusicError(f"{name}: the audio is too short to loop")
    fade_len = min(samples, max(0, round(fade_out * SAMPLE_RATE)))
    fade_start = samples - fade_len
    with closing(src), atomic_output(out) as tmp, wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(CHANNELS)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        for start in range(0, samples, _BLOCK):
            stop = min(samples, start + _BLOCK)
            block = _looped(src, start, stop, crossfade) if loop else src.read(start, stop)
            block *= np.float32(gain)
            if stop > fade_start:
                lo = max(start, fade_start)
                curve = _fade(fade_len, rising=False)[lo - fade_start : stop - fade_start]
                block[lo - start :] *= curve
            pcm = np.clip(np.round(block * 32767.0), -32768, 32767).astype("<i2")
            wav.writeframes(pcm.tobytes())
