"""The HLS ladder: the render's own size and each standard size below it, down to 360p.

The top rung is the rendered chunks themselves. A lower rung is made chunk by chunk: each chunk
is scaled and re-encoded with the render's x264 settings (same GOP rules, so the rung's chunks
join by stream copy too) and kept in `<cache>/renditions/`, keyed by the chunk's own key and the
rung. An edit that re-renders some chunks therefore re-makes only those chunks in every rung.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reelforge.errors import RenderError
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output
from reelforge.render.chunks import Encoder
from reelforge.render.compile import x264_argv
from reelforge.render.store import count_video_frames

LADDER_RESOLUTIONS: tuple[int, ...] = (2160, 1440, 1080, 720, 480, 360)
RENDITION_VERSION = "reelforge-rendition-1"


@dataclass(frozen=True)
class Rung:
    """One rendition's frame size; `name` is its folder in the HLS output (e.g. `720p`)."""

    resolution: int
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{self.resolution}p"


@dataclass(frozen=True)
class RenderedChunk:
    """A finished chunk of the render: its file, frame count and cache key."""

    path: Path
    frames: int
    key: str


def ladder(width: int, height: int) -> list[Rung]:
    """The rungs for a render of `width`×`height`, largest first: its own size, then each
    standard short side below it down to 360p, with the same aspect and even sides."""
    short, long = min(width, height), max(width, height)
    rungs = [Rung(short, width, height)]
    for resolution in LADDER_RESOLUTIONS:
        if resolution < short:
            other = max(2, round(long * resolution / short / 2) * 2)
            w, h = (other, resolution) if width >= height else (resolution, other)
            rungs.append(Rung(resolution, w, h))
    return rungs


@cache
def rendition_version() -> str:
    """The version in rendition keys: the name above plus a hash of this file (it decides the
    lower rungs' pixels)."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"{RENDITION_VERSION}-{digest}"


def rendition_key(chunk_key: str, rung: Rung, encoder: Encoder) -> str:
    """The cache key of one chunk in one lower rung."""
    parts = f"{chunk_key}|{rung.width}x{rung.height}|{encoder}|{rendition_version()}"
    return hashlib.sha256(parts.encode()).hexdigest()


@dataclass
class RungChunks:
    """A rung's chunks in order, and how many were made now (the rest came from the cache)."""

    rung: Rung
    chunks: list[RenderedChunk]
    made: int = 0


class RenditionMaker:
    """Makes the lower rungs' chunks, in parallel, from the cache when it has them."""

    def __init__(self, *, cache_dir: Path, encoder: Encoder, fps: int, workers: int = 1) -> None:
        self.root = cache_dir / "renditions"
        self.encoder = encoder
        self.fps = fps
        self.workers = max(1, workers)

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.mp4"

    def make(
        self,
        chunks: Sequence[RenderedChunk],
        rungs: Sequence[Rung],
        *,
        cancel: threading.Event | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> list[RungChunks]:
        """Every chunk in every rung; a rung's chunk that is cached is not made again."""
        result = [RungChunks(rung, []) for rung in rungs]
        jobs: list[tuple[RungChunks, RenderedChunk, str]] = []
        for entry in result:
            for chunk in chunks:
                key = rendition_key(chunk.key, entry.rung, self.encoder)
                entry.chunks.append(RenderedChunk(self.path(key), chunk.frames, key))
                if not self.path(key).is_file():
                    jobs.append((entry, chunk, key))
                    entry.made += 1

        def task(job: tuple[RungChunks, RenderedChunk, str]) -> None:
            entry, chunk, key = job
            self._transcode(chunk, entry.rung, key, cancel)
            if on_done is not None:
                on_done()

        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="rung") as pool:
            list(pool.map(task, jobs))
        return result

    def _transcode(
        self, chunk: RenderedChunk, rung: Rung, key: str, cancel: threading.Event | None
    ) -> None:
        final = self.path(key)
        with atomic_output(final) as temp:
            argv = ffmpeg_argv(
                "-i", str(chunk.path), "-an",
                "-vf", f"scale={rung.width}:{rung.height}:flags=bicubic,setsar=1",
                *x264_argv(self.encoder, self.fps),
                "-f", "mp4", str(temp),
            )  # fmt: skip
            run(argv, cancel=cancel, background=True)
            frames = count_video_frames(temp)
            if frames != chunk.frames:
                raise RenderError(
                    f"{rung.name} rendition of chunk {chunk.key[:12]} has {frames} frames, "
                    f"expected {chunk.frames}"
                )
