"""The user's own music track: probe it, then loop or trim it to the video's length."""

from __future__ import annotations

import tempfile
from pathlib import Path

import av

from reelforge.audio.music.stem import (
    SAMPLE_RATE,
    RawReader,
    decode_to_raw,
    level_gain,
    measure_raw,
    write_stem,
)
from reelforge.errors import MediaError, MusicError, ReelforgeError
from reelforge.files import file_sha256

TRACK_EXTENSIONS = (".mp3", ".wav", ".m4a", ".ogg", ".flac")  # the common ones; any audio works
FIT_VERSION = 2  # 2: a 1.5 s fade-out (was 3 s), heard to the very end
FADE_OUT_SECONDS = 1.5


def probe_audio(src: Path) -> float:
    """Duration in seconds of the first audio stream of `src`.

    MediaError when the file is missing; MusicError naming the file when it is not audio or is
    corrupt.
    """
    if not src.is_file():
        raise MediaError(f"music file not found: {src}")
    try:
        with av.open(str(src), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:
                raise MusicError(f"{src.name}: not an audio file (it has no audio stream)")
            stream = streams[0]
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                seconds = container.duration / 1_000_000
            else:
                seconds = 0.0
            # decoding the first frames catches files that only look like audio
            decoded = 0
            for frame in container.decode(stream):
                decoded += frame.samples
                if decoded >= 4096:
                    break
            if decoded == 0:
                raise MusicError(f"{src.name}: the audio could not be decoded")
    except ReelforgeError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise MusicError(f"{src.name}: not a readable audio file ({exc})") from exc
    if seconds <= 0:
        raise MusicError(f"{src.name}: the audio has no length")
    return seconds


def fit_track(src: Path, seconds: float, *, cache_dir: Path) -> Path:
    """`src` as a 48 kHz stereo WAV of exactly round(seconds*48000) samples, levelled like the
    generated music: looped with a crossfade when shorter, trimmed with a fade out when longer.
    Cached by (content hash, length).
    """
    # The content decides, not the name: the server keeps uploads under their hash, with no
    # extension, so a name check refused every uploaded track at render time.
    probe_audio(src)
    samples = round(seconds * SAMPLE_RATE)
    if samples < 1:
        raise MusicError(f"music must last longer than 0 s (asked for {seconds:g} s)")
    key = f"track-{file_sha256(src)[:32]}-{samples}-v{FIT_VERSION}"
    out = cache_dir / "music" / f"{key}.wav"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="track-", dir=out.parent) as work:
        raw = Path(work) / "track.f32"
        try:
            decode_to_raw(src, raw)
        except ReelforgeError as exc:
            raise MusicError(f"{src.name}: the audio could not be decoded ({exc})") from exc
        loudness, peak = measure_raw(raw)
        gain = level_gain(loudness, peak)
        write_stem(RawReader(raw), out, samples=samples, gain=gain,
                   fade_out=min(FADE_OUT_SECONDS, seconds / 4), name=raw.name)  # fmt: skip
    return out
