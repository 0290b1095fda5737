"""The zero-set-up engine: up to N chunks at once, each an FFmpeg process on this machine.

Threads here only supervise: the work runs in the FFmpeg child processes, so N chunks use N
processes in parallel without Python's GIL in the way, and cancel can kill them directly.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from reelforge.engine.base import MAX_TRIES, Engine
from reelforge.errors import ChunkError, ReelforgeError, RenderCancelled
from reelforge.render.chunks import ChunkSpec
from reelforge.render.worker import ChunkResult, render_chunk


class LocalEngine(Engine):
    def __init__(self, *, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def run(
        self,
        specs: Sequence[ChunkSpec],
        *,
        cache_dir: Path,
        on_done: Callable[[ChunkResult], None],
        cancel: threading.Event,
    ) -> list[ChunkResult]:
        results: dict[int, ChunkResult] = {}
        if not specs:
            return []
        stop = threading.Event()  # ours: set on cancel or on a failure, stops every task

        def task(i: int) -> ChunkResult:
            last: Exception | None = None
            for _ in range(MAX_TRIES):
                if stop.is_set():
                    raise RenderCancelled("render cancelled")
                try:
                    return render_chunk(specs[i], cache_dir=cache_dir, cancel=stop)
                except RenderCancelled:
                    raise
                except (ReelforgeError, OSError) as exc:
                    last = exc
            raise ChunkError(f"#{i} ({specs[i].key()[:12]})", str(last))

        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="chunk") as pool:
            futures: dict[Future[ChunkResult], int] = {
                pool.submit(task, i): i for i in range(len(specs))
            }
            pending = set(futures)
            try:
                while pending:
                    done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                    for fut in done:
                        result = fut.result()
                        results[futures[fut]] = result
                        on_done(result)
                    if cancel.is_set() and pending:
                        raise RenderCancelled("render cancelled")
            except BaseException:
                stop.set()  # kill the other tasks' FFmpeg processes now
                for fut in pending:
                    fut.cancel()
                wait(pending)
                raise
        return [results[i] for i in range(len(specs))]
