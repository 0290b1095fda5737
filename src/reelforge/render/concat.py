"""Join chunks by stream copy (no re-encode) and mux the one audio track, `+faststart`."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output


def concat_list(chunks: Sequence[tuple[Path, int]], fps: int) -> str:
    """A concat-demuxer list: each chunk with its exact duration, so seams cannot drift."""
    lines = ["ffconcat version 1.0"]
    for path, frames in chunks:
        quoted = str(path).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
        lines.append(f"duration {frames / fps:.9f}")
    return "\n".join(lines) + "\n"


def assemble(
    chunks: Sequence[tuple[Path, int]],
    *,
    fps: int,
    audio: Path,
    out: Path,
    work_dir: Path,
    cancel: threading.Event | None = None,
) -> Path:
    """Write `out` atomically: chunks copied in order, audio encoded to AAC 48 kHz stereo."""
    listing = work_dir / "chunks.ffconcat"
    listing.write_text(concat_list(chunks, fps))
    with atomic_output(out) as temp:
        argv = ffmpeg_argv(
            "-f", "concat", "-safe", "0", "-i", str(listing),
            "-i", str(audio),
            "-map", "0:v:0", "-map", "1:a:0",
            "-c:v", "copy",
            "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart",
            "-f", "mp4", str(temp),
        )  # fmt: skip
        run(argv, cancel=cancel)
    return out
