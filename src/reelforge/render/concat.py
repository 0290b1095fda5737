"""Join chunks by stream copy (no re-encode) and mux the one audio track, `+faststart`."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from reelforge.config import ffmpeg_exe
from reelforge.render.process import run_ffmpeg


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
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.stem}.{os.getpid()}.part{out.suffix or '.mp4'}")
    argv = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(listing),
        "-i",
        str(audio),
        "-map",
        "0:v:0",
        "-map",
        "1:a:0",
        "-c:v",
        "copy",
        "-c:a",
        "aac",
        "-b:a",
        "192k",
        "-ar",
        "48000",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(temp),
    ]
    try:
        run_ffmpeg(argv, cancel=cancel)
        os.replace(temp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return out
