"""The chunk cache's size budget: least recently used first, never a chunk in use."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelforge.render.store import ChunkStore
from reelforge.store.chunk_cache import enforce_budget

NOW = time.time()


def _chunk(store: ChunkStore, key: str, size: int, age: float) -> Path:
    path = store.put_bytes(key, b"x" * size)
    os.utime(path, (NOW - age, NOW - age))
    return path


@given(
    chunks=st.lists(st.tuples(st.integers(1, 5000), st.floats(0, 10_000)), min_size=1, max_size=12),
    budget=st.integers(0, 30_000),
    running_for=st.floats(0, 10_000),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_oldest_go_first_and_in_use_ones_stay(
    tmp_path_factory: pytest.TempPathFactory,
    chunks: list[tuple[int, float]],
    budget: int,
    running_for: float,
) -> None:
    cache = tmp_path_factory.mktemp("cache")
    store = ChunkStore(cache)
    paths = {
        f"{i:02d}{'a' * 30}": (size, age, _chunk(store, f"{i:02d}{'a' * 30}", size, age))
        for i, (size, age) in enumerate(chunks)
    }
    # the oldest running render started `running_for` seconds ago (grace 0: exact cut-off)
    cutoff = NOW - running_for
    pruned = enforce_budget(cache, budget_bytes=budget, protect_since=cutoff, grace=0)
    removable = {key for key, (_, age, _) in paths.items() if NOW - age < cutoff - 1e-3}
    in_use = {key for key, (_, age, _) in paths.items() if NOW - age > cutoff + 1e-3}
    removed = {key for key, (_, _, path) in paths.items() if not path.exists()}
    assert not removed & in_use  # never a chunk a running render may use
    kept_removable = removable - removed
    for key in removed:  # least recently used first
        assert all(paths[key][1] >= paths[other][1] - 1e-6 for other in kept_removable)
    total = sum(size for size, _, _ in paths.values())
    assert pruned.kept_bytes == total - pruned.removed_bytes
    assert pruned.removed == len(removed)
    assert pruned.kept_bytes <= budget or removable <= removed


def test_a_render_marks_the_chunks_it_will_use(tmp_path: Path) -> None:
    store = ChunkStore(tmp_path)
    old = _chunk(store, "ab" + "c" * 30, 100, age=3600)
    store.mark_used(["ab" + "c" * 30, "ff" + "0" * 30])  # a missing one is ignored
    assert old.stat().st_mtime > NOW - 5
    pruned = enforce_budget(tmp_path, budget_bytes=0, protect_since=NOW - 10, grace=0)
    assert old.exists() and pruned.removed == 0
