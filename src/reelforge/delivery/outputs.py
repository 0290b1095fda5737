"""Which outputs a render writes, chosen by file extension, and making them from one render.

.mp4   the render itself (H.264 + AAC)         .webm  VP9 + Opus
.m3u8  an HLS ladder with a master playlist    .gif   a palette-optimised GIF, ≤ 640 px wide
.mp3   the mix
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reelforge.delivery.formats import write_gif, write_mp3, write_webm
from reelforge.delivery.hls import Rendition, write_hls
from reelforge.delivery.ladder import RenderedChunk, RenditionMaker, RungChunks, ladder
from reelforge.errors import OutputError
from reelforge.files import atomic_output
from reelforge.render.chunks import Encoder

FORMATS: dict[str, str] = {
    ".mp4": "mp4",
    ".m3u8": "hls",
    ".webm": "webm",
    ".gif": "gif",
    ".mp3": "mp3",
}
# The file name each format gets when the server picks it (`formats` on a render request).
DEFAULT_NAMES: dict[str, str] = {
    "mp4": "output.mp4",
    "hls": "hls/master.m3u8",
    "webm": "output.webm",
    "gif": "output.gif",
    "mp3": "output.mp3",
}


def output_format(path: Path, *, field_name: str = "-o") -> str:
    """The format an output path asks for, from its extension."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(FORMATS)
        raise OutputError(
            f"{path.name}: unknown output format {path.suffix or '(none)'!r}; use one of {known}",
            field=field_name,
        )
    return kind


def main_video(paths: Sequence[Path]) -> tuple[Path, list[Path]]:
    """The MP4 a render writes first, and the outputs made from it: the first `.mp4` named, or
    else an MP4 beside the first output (HLS, WebM, GIF and MP3 are all made from it)."""
    check_outputs(paths)
    for i, path in enumerate(paths):
        if output_format(path) == "mp4":
            return path, [*paths[:i], *paths[i + 1 :]]
    return paths[0].with_suffix(".mp4"), list(paths)


def check_outputs(paths: Sequence[Path]) -> list[str]:
    """The format of each output; refuses unknown extensions and the same path twice."""
    if len({p.resolve() for p in paths}) != len(paths):
        raise OutputError("the same output is named twice", field="-o")
    return [output_format(p) for p in paths]


@dataclass(frozen=True)
class FinishedRender:
    """What a render leaves for its other outputs: the MP4, its chunks, and its sound."""

    video: Path
    chunks: tuple[RenderedChunk, ...]
    size: tuple[int, int]  # width, height as rendered (a preview is smaller than the document's)
    fps: int
    duration: float
    encoder: Encoder
    aac: Path
    mix: Path


@dataclass
class Delivered:
    """Outputs written, and for HLS how many lower-rung chunks were made (the rest cached)."""

    paths: list[Path] = field(default_factory=list)
    renditions: list[Rendition] = field(default_factory=list)
    rung_chunks_made: dict[str, int] = field(default_factory=dict)


def deliver(
    finished: FinishedRender,
    outputs: Sequence[Path],
    *,
    cache_dir: Path,
    work_dir: Path,
    workers: int,
    cancel: threading.Event | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Delivered:
    """Write every output in `outputs` other than the MP4 (which the render wrote)."""
    done = Delivered()
    for path, kind in zip(outputs, check_outputs(outputs), strict=True):
        if on_step is not None:
            on_step(kind)
        if kind == "mp4":
            if path.resolve() != finished.video.resolve():
                with atomic_output(path) as temp:
                    shutil.copyfile(finished.video, temp)
        elif kind == "hls":
            maker = RenditionMaker(
                cache_dir=cache_dir, encoder=finished.encoder, fps=finished.fps, workers=workers
            )
            rungs = ladder(*finished.size)
            lower = maker.make(finished.chunks, rungs[1:], cancel=cancel)
            done.rung_chunks_made = {entry.rung.name: entry.made for entry in lower}
            top = RungChunks(rungs[0], list(finished.chunks))
            done.renditions = write_hls(
                path,
                [top, *lower],
                aac=finished.aac,
                video=finished.video,
                fps=finished.fps,
                duration=finished.duration,
                work_dir=work_dir,
                cancel=cancel,
            )
        elif kind == "webm":
            write_webm(finished.video, finished.mix, path, cancel=cancel)
        elif kind == "gif":
            width, height = finished.size
            write_gif(finished.video, path, width=width, height=height, cancel=cancel)
        elif kind == "mp3":
            write_mp3(finished.mix, path, cancel=cancel)
        done.paths.append(path)
    return done
