"""The small interface every engine implements: chunk specs in, chunk results out."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path

from reelforge.render.chunks import ChunkSpec
from reelforge.render.worker import ChunkResult

MAX_TRIES = 3


class Engine(ABC):
    """Runs chunk tasks with retries; reports each finished chunk as it lands."""

    @abstractmethod
    def run(
        self,
        specs: Sequence[ChunkSpec],
        *,
        cache_dir: Path,
        on_done: Callable[[ChunkResult], None],
        cancel: threading.Event,
    ) -> list[ChunkResult]:
        """Render every spec (in any order); results come back in the order of `specs`.

        A chunk that fails is tried `MAX_TRIES` times, then ChunkError names it. On `cancel`
        every running FFmpeg is killed and RenderCancelled is raised; no partial files remain.
        """

    def close(self) -> None:  # noqa: B027 - optional hook, most engines hold nothing
        """Release what the engine holds (pools, cluster connections)."""


def make_engine(
    *, workers: int | None = None, ray_address: str | None = None, use_ray: bool = False
) -> Engine:
    """The local pool by default; Ray when an address is given (or `use_ray`)."""
    if ray_address or use_ray:
        from reelforge.engine.ray import RayEngine

        return RayEngine(address=ray_address, workers=workers)
    from reelforge.engine.local import LocalEngine

    return LocalEngine(workers=workers)
