"""The content-addressed chunk store: `<cache>/chunks/<key[:2]>/<key>.mp4`, written atomically."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


class ChunkStore:
    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir.resolve() / "chunks"

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.mp4"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def mark_used(self, keys: list[str]) -> None:
        """Set the modification time of the cached ones to now: in use, and recently used (the
        cache's size budget, store/chunk_cache.py, never removes them while a render runs)."""
        for key in keys:
            with contextlib.suppress(FileNotFoundError):
                os.utime(self.path(key))

    def temp_path(self, key: str) -> Path:
        """A private temp name next to the final one (same filesystem, so rename is atomic)."""
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        return final.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.part.mp4")

    def commit(self, temp: Path, key: str) -> Path:
        final = self.path(key)
        os.replace(temp, final)
        return final

    def put_bytes(self, key: str, data: bytes) -> Path:
        temp = self.temp_path(key)
        temp.write_bytes(data)
        return self.commit(temp, key)


def count_video_frames(path: Path) -> int:
    """Frames in a file's video stream, counted from its packets (no decoding)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sum(1 for p in container.demux(stream) if p.size > 0)
