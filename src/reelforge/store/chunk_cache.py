"""A size budget for the chunk cache: least recently used chunks go first, chunks in use never.

A render marks every cached chunk it is going to use (its modification time is set to now)
before it decides which chunks to render, and writes new ones after it started; so a chunk last
modified before the oldest running render started is used by no running render. `enforce_budget`
removes only such chunks (and none modified in the last `grace` seconds, for renders outside the
server: the CLI, a still), oldest first, until the cache fits the budget.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pruned:
    """What a pass removed and what is left."""

    removed: int
    removed_bytes: int
    kept_bytes: int


def enforce_budget(
    cache_dir: Path, *, budget_bytes: int, protect_since: float, grace: float = 600.0
) -> Pruned:
    """Remove chunk files (`cache_dir/chunks/**.mp4`) least recently used first until they take
    at most `budget_bytes`; files modified at or after `protect_since` (a Unix time: the start
    of the oldest running render) or within `grace` seconds are kept whatever the budget."""
    root = cache_dir / "chunks"
    files: list[tuple[float, int, Path]] = []
    for path in root.glob("*/*.mp4"):
        if path.name.startswith("."):  # a chunk being written
            continue
        with contextlib.suppress(FileNotFoundError):
            stat = path.stat()
            files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    cutoff = min(protect_since, time.time() - grace)
    removed = removed_bytes = 0
    for mtime, size, path in sorted(files):
        if total <= budget_bytes or mtime >= cutoff:
            break
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            removed += 1
            removed_bytes += size
        total -= size
    return Pruned(removed=removed, removed_bytes=removed_bytes, kept_bytes=total)
