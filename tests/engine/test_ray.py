"""A real two-node Ray cluster, bound to loopback only: its chunks match the local pool's."""

from __future__ import annotations

import hashlib
import ipaddress
import os
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

# Every Ray process the tests start listens here only, never on the machine's interfaces.
LOOPBACK = "127.0.0.1"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as env:
        # Workers inherit this: their asset and chunk cache is this test's alone.
        env.setenv("REELFORGE_WORKER_CACHE_DIR", str(tmp_path_factory.mktemp("ray-workers")))
        # On Linux `ray.init(address="127.0.0.1:PORT")` swaps 127.0.0.1 for the machine's
        # interface address, where a loopback-only GCS does not answer (the driver retries
        # for minutes). Ray reads this switch at import and then keeps 127.0.0.1.
        env.setenv("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        import ray
        from ray.cluster_utils import Cluster

        assert ray.util.get_node_ip_address() == LOOPBACK, "ray was imported before this fixture"
        # Two nodes (raylets) on this machine, one CPU each: a chunk in flight fills a node.
        c = Cluster(
            initialize_head=True,
            head_node_args={"num_cpus": 1, "node_ip_address": LOOPBACK, "include_dashboard": False},
        )
        c.add_node(num_cpus=1, node_ip_address=LOOPBACK)
        c.wait_for_nodes()
        ray.init(address=c.address)
        # Start a worker process on each node first, so the render does not race their start-up.
        assert len(worker_on_each_node()) == 2
        try:
            yield c
        finally:
            ray.shutdown()
            c.shutdown()


def worker_on_each_node() -> dict[str, int]:
    """Run a task on every live node: {node id: pid of the worker process that ran it}."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    @ray.remote(num_cpus=1)
    def where() -> tuple[str, int]:
        return str(ray.get_runtime_context().get_node_id()), os.getpid()

    nodes = [n["NodeID"] for n in ray.nodes() if n["Alive"]]
    on_node = [NodeAffinitySchedulingStrategy(n, soft=False) for n in nodes]
    workers = dict(ray.get([where.options(scheduling_strategy=s).remote() for s in on_node]))
    assert sorted(workers) == sorted(nodes)
    return workers


def descendants(root: int) -> set[int]:
    """`root` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for pid in (int(entry) for entry in os.listdir("/proc") if entry.isdigit()):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # it has exited
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # fields after "pid (comm)": state ppid
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    todo = [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def _proc_net_address(hex_address: str) -> str:
    """An address from /proc/net/tcp{,6} (32-bit words in host order); v4-mapped v6 as v4."""
    words = [hex_address[i : i + 8] for i in range(0, len(hex_address), 8)]
    address = ipaddress.ip_address(b"".join(bytes.fromhex(w)[::-1] for w in words))
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


def listening_sockets(pids: set[int]) -> dict[int, set[tuple[str, int]]]:
    """The TCP (v4 and v6) sockets each process listens on: {pid: {(address, port)}}."""
    listening: dict[str, tuple[str, int]] = {}  # socket inode -> (address, port)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A":  # TCP_LISTEN
                hex_address, hex_port = local.split(":")
                listening[inode] = (_proc_net_address(hex_address), int(hex_port, 16))
    found: dict[int, set[tuple[str, int]]] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue  # it has exited
        found[pid] = set()
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue  # closed meanwhile
            inode = link.removeprefix("socket:[").removesuffix("]")
            if link.startswith("socket:[") and inode in listening:
                found[pid].add(listening[inode])
    return found


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


def test_ray_cluster_listens_on_loopback_only(cluster: Any) -> None:
    import ray

    nodes = [n for n in ray.nodes() if n["Alive"]]
    assert len(nodes) == 2
    assert {n["NodeManagerAddress"] for n in nodes} == {LOOPBACK}
    workers = worker_on_each_node().values()
    # The GCS, the raylets (with their object managers), the agents and the workers all run
    # below this process, the driver.
    sockets = listening_sockets(descendants(os.getpid()))
    addresses = {address for found in sockets.values() for address in found}
    assert {host for host, _ in addresses} == {LOOPBACK}, sorted(addresses)
    # ...and the check saw the sockets that matter.
    ports = {port for _, port in addresses}
    expected = {int(cluster.address.rsplit(":", 1)[1])}  # the GCS
    for n in nodes:
        expected |= {n["NodeManagerPort"], n["ObjectManagerPort"]}
    assert expected <= ports, f"not seen listening: {expected - ports}"
    for pid in [os.getpid(), *workers]:  # every core worker serves gRPC
        assert sockets.get(pid), f"process {pid} listens on nothing"
