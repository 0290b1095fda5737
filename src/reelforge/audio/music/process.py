"""Child processes (FFmpeg, FluidSynth) that die with a cancel or an exception; atomic outputs."""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from reelforge.config import ffmpeg_exe
from reelforge.errors import FFmpegError, MusicError, RenderCancelled

_POLL_SECONDS = 0.05
_TAIL_LINES = 200


@contextmanager
def _child(argv: Sequence[str]) -> Iterator[subprocess.Popen[bytes]]:
    """A child process that is killed and reaped however the block is left."""
    proc = subprocess.Popen(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def run_tool(argv: Sequence[str], *, cancel: threading.Event | None = None) -> str:
    """Run `argv` to the end and return the tail of its stderr.

    Raises RenderCancelled when `cancel` is set (the child is killed), FFmpegError for a failing
    FFmpeg and MusicError for any other failing tool.
    """
    tail: deque[str] = deque(maxlen=_TAIL_LINES)
    with _child(argv) as proc:
        assert proc.stderr is not None
        stream = proc.stderr

        def drain() -> None:
            for raw in stream:
                tail.append(raw.decode("utf-8", "replace").rstrip())

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        while True:
            try:
                proc.wait(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    proc.kill()
                    reader.join()
                    raise RenderCancelled("the render was cancelled") from None
        reader.join()
    stderr = "\n".join(tail)
    if proc.returncode != 0:
        if Path(argv[0]).name.startswith("ffmpeg"):
            raise FFmpegError(argv, proc.returncode, stderr)
        last = next((ln for ln in reversed(tail) if ln.strip()), "")
        raise MusicError(f"{Path(argv[0]).name} exited with code {proc.returncode}: {last[:300]}")
    return stderr


def ffmpeg_argv(*args: str) -> list[str]:
    """FFmpeg's argv with quiet, non-interactive defaults in front of `args`."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-y", *args]


_NUMBER = r"(-?(?:inf|[0-9.]+))"


def parse_ebur128(stderr: str) -> tuple[float, float]:
    """(integrated LUFS, peak dB) from the summary the `ebur128` filter logs at its end."""
    summary = stderr[stderr.rfind("Summary:") :]
    loud = re.search(r"I:\s+" + _NUMBER + r" LUFS", summary)
    peak = re.search(r"Peak:\s+" + _NUMBER + r" dBFS", summary)
    if loud is None or peak is None:
        raise MusicError("could not read the loudness summary from FFmpeg's ebur128 filter")
    return float(loud.group(1)), float(peak.group(1))


def ebur128_filter(*, true_peak: bool) -> str:
    """The `ebur128` measuring filter (passes audio through, logs only its summary)."""
    return f"ebur128=peak={'true' if true_peak else 'sample'}:framelog=verbose"


def measure_loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of an audio file, per EBU R128."""
    stderr = run_tool(
        ffmpeg_argv(
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            ebur128_filter(true_peak=True),
            "-f",
            "null",
            "-",
        )
    )
    return parse_ebur128(stderr)


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` that replaces `out` only when the block succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.{threading.get_ident()}.tmp{out.suffix}")
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
