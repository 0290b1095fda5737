"""Chunks on a real two-node Ray cluster (both nodes on loopback) match the local pool's."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import color_scene, decode_frames, document
from reelforge.render.pipeline import RenderOptions, render_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import os

    import ray
    from ray.cluster_utils import Cluster

    # Two nodes (raylets) on this machine, one CPU each: a chunk in flight fills a node.
    # Workers inherit this: their asset and chunk cache is this test's alone.
    os.environ["REELFORGE_WORKER_CACHE_DIR"] = str(tmp_path_factory.mktemp("ray-workers"))
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    c.add_node(num_cpus=1)
    c.wait_for_nodes()
    ray.init(address=c.address)
    # Start a worker process on each node first, so the render does not race their start-up.
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    @ray.remote(num_cpus=1)
    def ready() -> str:
        return str(ray.get_runtime_context().get_node_id())

    nodes = [n["NodeID"] for n in ray.nodes() if n["Alive"]]
    warm = [
        ready.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n, soft=False)).remote()
        for n in nodes
    ]
    assert sorted(ray.get(warm)) == sorted(nodes)
    try:
        yield c
    finally:
        ray.shutdown()
        c.shutdown()
        del os.environ["REELFORGE_WORKER_CACHE_DIR"]


def test_ray_renders_on_both_nodes_same_as_local(
    cluster: Any, media_dir: Path, tmp_path: Path
) -> None:
    doc = document(
        {
            "duration": 1.0,
            "visual": {"type": "image", "src": "photo.jpg", "motion": "zoom-in"},
            "transition": {"type": "crossfade", "duration": 0.4},
        },
        *[color_scene(c, 0.7, title={"text": c}) for c in ("#AA2200", "#0044CC", "#22AA44")],
        brand={"logo": "logo.png"},
    )
    project = parse_project(doc)

    def run(name: str, **opts: Any) -> Any:
        return render_project(
            project,
            resolver=DirectoryResolver(media_dir),
            out=tmp_path / f"{name}.mp4",
            options=RenderOptions(
                chunk_seconds=0.35, lossless=True, cache_dir=tmp_path / name, **opts
            ),
            narrator=EstimateNarrator(),
        )

    on_ray = run("ray", ray_address=cluster.address)
    local = run("local")
    assert on_ray.chunks_rendered == local.chunks_rendered >= 8
    nodes = set(on_ray.chunk_nodes)
    assert len(nodes) == 2, f"chunks ran on {nodes}"
    assert {n["NodeID"] for n in __import__("ray").nodes() if n["Alive"]} == nodes

    def md5s(path: Path) -> list[str]:
        return [hashlib.md5(f.tobytes()).hexdigest() for f in decode_frames(path, "yuv420p")]

    assert md5s(on_ray.video) == md5s(local.video)
