"""The single-file outputs made from a finished render: WebM, GIF and MP3.

WebM and GIF are encoded from the finished MP4's frames; MP3 from the loudness-normalised mix
itself (not from the AAC), so it is one lossy step away from the mix like the MP4's sound.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output

GIF_MAX_WIDTH = 640
GIF_FPS = 12


def write_webm(video: Path, mix: Path, out: Path, *, cancel: threading.Event | None = None) -> Path:
    """VP9 (constant quality, row-multithreaded) + Opus 128 kb/s, frame for frame the MP4."""
    with atomic_output(out) as temp:
        argv = ffmpeg_argv(
            "-i", str(video), "-i", str(mix),
            "-map", "0:v:0", "-map", "1:a:0",
            "-c:v", "libvpx-vp9", "-crf", "33", "-b:v", "0",
            "-deadline", "good", "-cpu-used", "5", "-row-mt", "1",
            "-pix_fmt", "yuv420p", "-fps_mode", "passthrough",
            "-c:a", "libopus", "-b:a", "128k", "-ar", "48000",
            "-shortest", "-f", "webm", str(temp),
        )  # fmt: skip
        run(argv, cancel=cancel, background=True)
    return out


def gif_size(width: int, height: int) -> tuple[int, int]:
    """The GIF's frame size: at most GIF_MAX_WIDTH wide, the video's aspect, even sides."""
    w = min(width, GIF_MAX_WIDTH)
    h = max(2, round(height * w / width / 2) * 2)
    return w, h


def write_gif(
    video: Path, out: Path, *, width: int, height: int, cancel: threading.Event | None = None
) -> Path:
    """A palette-optimised GIF at GIF_FPS: one palette made for the whole clip from the pixels
    that change (stats_mode=diff), ordered dithering, only changed rectangles re-encoded."""
    w, h = gif_size(width, height)
    graph = (
        f"fps={GIF_FPS},scale={w}:{h}:flags=lanczos,split[a][b];"
        "[a]palettegen=stats_mode=diff[p];"
        "[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle"
    )
    with atomic_output(out) as temp:
        run(
            ffmpeg_argv("-i", str(video), "-an", "-filter_complex", graph, "-f", "gif", str(temp)),
            cancel=cancel,
            background=True,
        )
    return out


def write_mp3(mix: Path, out: Path, *, cancel: threading.Event | None = None) -> Path:
    """The mix as MP3 (LAME, VBR quality 2, 48 kHz stereo)."""
    with atomic_output(out) as temp:
        argv = ffmpeg_argv(
            "-i", str(mix), "-vn", "-c:a", "libmp3lame", "-q:a", "2", "-ar", "48000", "-ac", "2",
            "-f", "mp3", str(temp),
        )  # fmt: skip
        run(argv, cancel=cancel)
    return out
