"""Render chunks on a Ray cluster.

Assets travel through Ray's object store: the driver puts each distinct file once (by content
hash), every task gets the references it needs, and a worker writes each file into its own
node-local cache the first time it sees that hash. The finished chunk comes back the same way,
as bytes, and the driver commits it to its chunk store. So worker nodes need no shared file
system, only the Python package (see docs/deploy-ray.md). Chunks are a few MB: the object store
handles that easily, and a shared store would add a dependency for no gain at these sizes.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reelforge.engine.base import MAX_TRIES, Engine
from reelforge.errors import ChunkError, RenderCancelled
from reelforge.files import file_sha256
from reelforge.render.chunks import ChunkSpec
from reelforge.render.store import ChunkStore
from reelforge.render.worker import ChunkResult
from reelforge.timeline.model import Asset


def _localize(value: Any, paths: dict[str, str]) -> Any:
    """A copy of a spec (nested frozen dataclasses) whose assets point at local files."""
    if isinstance(value, Asset):
        return Asset(hash=value.hash, path=paths.get(value.hash, value.path))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _localize(getattr(value, f.name), paths) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_localize(v, paths) for v in value)
    return value


def _worker_cache() -> Path:
    root = os.environ.get("REELFORGE_WORKER_CACHE_DIR") or os.path.join(
        tempfile.gettempdir(), "reelforge-ray-cache"
    )
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def render_on_worker(spec: ChunkSpec, assets: dict[str, Any]) -> tuple[bytes, int, str, str]:
    """The Ray task: materialise assets, render the chunk, return (bytes, frames, sha, node)."""
    import ray

    from reelforge.files import atomic_write_bytes
    from reelforge.render.worker import render_chunk

    cache = _worker_cache()
    paths: dict[str, str] = {}
    for digest, ref in assets.items():
        local = cache / "assets" / digest
        if not local.exists():
            data = ray.get(ref) if isinstance(ref, ray.ObjectRef) else ref
            atomic_write_bytes(local, data)
        paths[digest] = str(local)
    cancel = threading.Event()
    node = ray.get_runtime_context().get_node_id()
    try:
        result = render_chunk(_localize(spec, paths), cache_dir=cache, cancel=cancel, node=node)
    except KeyboardInterrupt:  # ray.cancel: managed_process has killed FFmpeg already
        cancel.set()
        raise
    data = result.path.read_bytes()
    return data, result.frames, result.sha256, node


class RayEngine(Engine):
    def __init__(self, *, address: str | None = None, workers: int | None = None) -> None:
        self.address = address
        self.workers = workers

    def _connect(self) -> Any:
        import ray

        if not ray.is_initialized():
            ray.init(
                address=self.address,
                ignore_reinit_error=True,
                log_to_driver=False,
                include_dashboard=False,
                configure_logging=False,
            )
        return ray

    def run(
        self,
        specs: Sequence[ChunkSpec],
        *,
        cache_dir: Path,
        on_done: Callable[[ChunkResult], None],
        cancel: threading.Event,
    ) -> list[ChunkResult]:
        if not specs:
            return []
        ray = self._connect()
        store = ChunkStore(cache_dir)
        asset_refs: dict[str, Any] = {}
        for spec in specs:
            for asset in spec.assets():
                if asset.hash not in asset_refs:
                    asset_refs[asset.hash] = ray.put(Path(asset.path).read_bytes())
        # SPREAD: chunks are independent and CPU bound, so use every node rather than
        # filling the driver's node first (Ray's default).
        task = ray.remote(num_cpus=1, max_retries=0, scheduling_strategy="SPREAD")(render_on_worker)

        def submit(i: int) -> Any:
            needed = {a.hash: asset_refs[a.hash] for a in specs[i].assets()}
            return task.remote(specs[i], needed)

        running: dict[Any, int] = {}
        tries = dict.fromkeys(range(len(specs)), 0)
        queue = list(range(len(specs)))
        limit = self.workers or len(specs)
        results: dict[int, ChunkResult] = {}
        try:
            while queue or running:
                while queue and len(running) < limit:
                    i = queue.pop(0)
                    tries[i] += 1
                    running[submit(i)] = i
                done, _ = ray.wait(list(running), num_returns=1, timeout=0.1)
                if cancel.is_set():
                    raise RenderCancelled("render cancelled")
                for ref in done:
                    i = running.pop(ref)
                    try:
                        data, frames, digest, node = ray.get(ref)
                    except Exception as exc:  # a worker died or the task raised: retry
                        if tries[i] >= MAX_TRIES:
                            raise ChunkError(f"#{i} ({specs[i].key()[:12]})", str(exc)) from None
                        queue.append(i)
                        continue
                    key = specs[i].key()
                    path = store.put_bytes(key, data)
                    if file_sha256(path) != digest:
                        raise ChunkError(f"#{i}", "chunk bytes changed in transit")
                    results[i] = ChunkResult(key, path, frames, digest, node)
                    on_done(results[i])
        except BaseException:
            for ref in running:
                ray.cancel(ref)  # KeyboardInterrupt in the task: FFmpeg is killed there
            deadline = time.monotonic() + 2.0
            pending = list(running)
            while pending and time.monotonic() < deadline:
                _, pending = ray.wait(pending, num_returns=len(pending), timeout=0.1)
            for ref in pending:
                ray.cancel(ref, force=True)
            raise
        return [results[i] for i in range(len(specs))]
