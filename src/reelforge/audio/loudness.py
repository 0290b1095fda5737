"""Loudness per EBU R128 / ITU BS.1770, measured by FFmpeg's `ebur128` filter."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from reelforge.errors import MusicError
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.graph import Filter

_NUMBER = r"(-?(?:inf|[0-9.]+))"


def ebur128_filter(*, true_peak: bool) -> Filter:
    """The `ebur128` measuring filter (passes audio through; its summary is logged at the end,
    at FFmpeg's `info` log level)."""
    return Filter.of("ebur128", peak="true" if true_peak else "sample", framelog="verbose")


def parse_ebur128(stderr: str) -> tuple[float, float]:
    """(integrated LUFS, peak dB) from the summary the `ebur128` filter logs at its end."""
    summary = stderr[stderr.rfind("Summary:") :]
    loud = re.search(r"I:\s+" + _NUMBER + r" LUFS", summary)
    peak = re.search(r"Peak:\s+" + _NUMBER + r" dBFS", summary)
    if loud is None or peak is None:
        raise MusicError("could not read the loudness summary from FFmpeg's ebur128 filter")
    return float(loud.group(1)), float(peak.group(1))


def measure_loudness(
    path: Path,
    *,
    true_peak: bool = True,
    input_options: tuple[str, ...] = (),
    cancel: threading.Event | None = None,
) -> tuple[float, float]:
    """Integrated loudness (LUFS) and peak (dBTP, or sample dBFS when not `true_peak`) of the
    first audio stream of `path`. `input_options` go before `-i` (e.g. a raw PCM format)."""
    stderr = run(
        ffmpeg_argv(*input_options, "-i", str(path), "-map", "0:a:0",
                    "-af", ebur128_filter(true_peak=true_peak).serialise(), "-f", "null", "-",
                    loglevel="info"),
        cancel=cancel,
    )  # fmt: skip
    return parse_ebur128(stderr)
