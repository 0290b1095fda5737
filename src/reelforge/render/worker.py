"""Render one chunk: the task every engine runs (locally or on a Ray worker)."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path

from reelforge.errors import RenderError
from reelforge.ffmpeg import run
from reelforge.files import file_sha256
from reelforge.render.chunks import ChunkSpec
from reelforge.render.compile import compile_chunk
from reelforge.render.store import ChunkStore, count_video_frames


@dataclass(frozen=True)
class ChunkResult:
    """What an engine returns for a chunk."""

    key: str
    path: Path
    frames: int
    sha256: str
    node: str = "local"


def render_chunk(
    spec: ChunkSpec,
    *,
    cache_dir: Path,
    cancel: threading.Event | None = None,
    node: str = "local",
) -> ChunkResult:
    """Encode the chunk into the store (temp file + rename) and check its frame count."""
    store = ChunkStore(cache_dir)
    key = spec.key()
    final = store.path(key)
    if final.is_file():
        return ChunkResult(key, final, spec.frames, file_sha256(final), node)
    temp = store.temp_path(key)
    try:
        compiled = compile_chunk(spec, cache=cache_dir)
        run(compiled.argv(temp, spec), cancel=cancel, background=True)
        frames = count_video_frames(temp)
        if frames != spec.frames:
            raise RenderError(f"chunk {key[:12]} has {frames} frames, expected {spec.frames}")
        digest = file_sha256(temp)
        path = store.commit(temp, key)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return ChunkResult(key, path, frames, digest, node)
