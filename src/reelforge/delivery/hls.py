"""HLS output: one fMP4 (CMAF) rendition per rung, a master playlist, and scrubbing thumbnails.

Each rendition joins its rung's chunks by stream copy with the render's AAC beside them and cuts
them into segments at the chunks' keyframes (every chunk starts with one; GOPs are 2 s), so the
top rendition is the rendered chunks remuxed, never re-encoded. The master's BANDWIDTH is each
rendition's peak segment bit rate and AVERAGE-BANDWIDTH its mean (RFC 8216 §4.3.4.2).
"""

from __future__ import annotations

import math
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelforge.delivery.ladder import RungChunks
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output, atomic_write_bytes
from reelforge.render.concat import concat_list

SEGMENT_SECONDS = 2.0
THUMB_WIDTH = 160
THUMB_COLUMNS = 10
MAX_THUMBS = 100


@dataclass(frozen=True)
class Rendition:
    """A written rendition: its playlist (relative to the master) and what the master says."""

    uri: str
    width: int
    height: int
    bandwidth: int
    average_bandwidth: int
    codecs: str


def write_hls(
    master: Path,
    rungs: Sequence[RungChunks],
    *,
    aac: Path,
    video: Path,
    fps: int,
    duration: float,
    work_dir: Path,
    cancel: threading.Event | None = None,
) -> list[Rendition]:
    """Write `master` and, beside it, `<rung>/index.m3u8` + segments for every rung, and
    `thumbnails.vtt` + `thumbnails.jpg` (a sprite of frames from `video`)."""
    folder = master.parent
    folder.mkdir(parents=True, exist_ok=True)
    renditions = []
    for entry in rungs:
        renditions.append(_write_rendition(folder, entry, aac, fps, work_dir, cancel))
    write_thumbnails(video, folder, duration=duration, cancel=cancel)
    atomic_write_bytes(master, master_playlist(renditions, fps).encode())
    return renditions


def _write_rendition(
    folder: Path,
    entry: RungChunks,
    aac: Path,
    fps: int,
    work_dir: Path,
    cancel: threading.Event | None,
) -> Rendition:
    name = entry.rung.name
    target = folder / name
    shutil.rmtree(target, ignore_errors=True)  # a previous render's segments must not linger
    target.mkdir(parents=True)
    listing = work_dir / f"hls-{name}.ffconcat"
    listing.write_text(concat_list([(c.path, c.frames) for c in entry.chunks], fps))
    argv = ffmpeg_argv(
        "-f", "concat", "-safe", "0", "-i", str(listing),
        "-i", str(aac),
        "-map", "0:v:0", "-map", "1:a:0",
        "-c", "copy",
        "-f", "hls",
        "-hls_time", f"{SEGMENT_SECONDS:g}",
        "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4",
        "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(target / "seg_%05d.m4s"),
        str(target / "index.m3u8"),
    )  # fmt: skip
    run(argv, cancel=cancel)
    peak, average = _bandwidth(target / "index.m3u8")
    return Rendition(
        uri=f"{name}/index.m3u8",
        width=entry.rung.width,
        height=entry.rung.height,
        bandwidth=peak,
        average_bandwidth=average,
        codecs=_codecs(entry.chunks[0].path),
    )


def _bandwidth(playlist: Path) -> tuple[int, int]:
    """(peak, average) bits per second over the playlist's segments, the init segment counted
    with the first (a player must fetch both before it can show a frame)."""
    init = playlist.parent / "init.mp4"
    extra = init.stat().st_size if init.is_file() else 0
    peak, total_bits, total_seconds = 0.0, 0, 0.0
    seconds: float | None = None
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            seconds = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line and not line.startswith("#") and seconds:
            bits = ((playlist.parent / line).stat().st_size + extra) * 8
            extra = 0
            peak = max(peak, bits / seconds)
            total_bits += bits
            total_seconds += seconds
            seconds = None
    return math.ceil(peak), math.ceil(total_bits / max(total_seconds, 1e-9))


def _codecs(chunk: Path) -> str:
    """RFC 6381 codec string of the chunks' H.264 (profile and level) plus AAC-LC."""
    import av

    with av.open(str(chunk)) as container:
        ctx = container.streams.video[0].codec_context
        profile = {"Baseline": 0x42, "Constrained Baseline": 0x42, "Main": 0x4D}.get(
            str(ctx.profile), 0x64
        )
        level = ctx.level if ctx.level and ctx.level > 0 else 40
    return f"avc1.{profile:02x}00{level:02x},mp4a.40.2"


def master_playlist(renditions: Sequence[Rendition], fps: int) -> str:
    """The master playlist text, largest rendition first."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for r in renditions:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={r.bandwidth},AVERAGE-BANDWIDTH={r.average_bandwidth},"
            f'RESOLUTION={r.width}x{r.height},FRAME-RATE={fps:.3f},CODECS="{r.codecs}"'
        )
        lines.append(r.uri)
    return "\n".join(lines) + "\n"


def thumbnail_interval(duration: float) -> float:
    """Seconds between scrubbing thumbnails: one a second, at most MAX_THUMBS in all."""
    return max(1.0, duration / MAX_THUMBS)


def write_thumbnails(
    video: Path, folder: Path, *, duration: float, cancel: threading.Event | None = None
) -> tuple[Path, Path]:
    """`thumbnails.jpg` (a sprite, THUMB_COLUMNS a row) and `thumbnails.vtt` pointing into it
    with `#xywh=` fragments: cue i shows the frame at its own start time."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        fps = float(stream.average_rate or 30)
    thumb_h = max(2, round(THUMB_WIDTH * height / width / 2) * 2)
    step = max(1, round(thumbnail_interval(duration) * fps))  # frames between thumbnails
    total = round(duration * fps)
    count = max(1, -(-total // step))
    columns = min(THUMB_COLUMNS, count)
    rows = math.ceil(count / columns)
    sprite, vtt = folder / "thumbnails.jpg", folder / "thumbnails.vtt"
    with atomic_output(sprite) as temp:
        graph = f"select='not(mod(n\\,{step}))',scale={THUMB_WIDTH}:{thumb_h},tile={columns}x{rows}"
        run(
            ffmpeg_argv("-i", str(video), "-an", "-vf", graph, "-fps_mode", "passthrough",
                        "-frames:v", "1", "-q:v", "4", "-update", "1", str(temp)),
            cancel=cancel,
        )  # fmt: skip
    lines = ["WEBVTT", ""]
    for i in range(count):
        start, end = i * step / fps, min(duration, (i + 1) * step / fps)
        x, y = (i % columns) * THUMB_WIDTH, (i // columns) * thumb_h
        cue = f"{sprite.name}#xywh={x},{y},{THUMB_WIDTH},{thumb_h}"
        lines += [f"{_stamp(start)} --> {_stamp(end)}", cue, ""]
    atomic_write_bytes(vtt, "\n".join(lines).encode())
    return sprite, vtt


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
