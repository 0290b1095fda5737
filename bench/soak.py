"""Soak: N clients editing, rendering previews and fetching stills against one server for M
minutes; prints p50/p99 latency per kind of request, errors, and the server's memory over time.

    .venv/bin/python bench/soak.py [--clients 8] [--minutes 10] [--database-url URL]

Starts a real server process on loopback with a temporary data folder. Each client owns a
project and loops: three edits, a still frame at a new time, and every few rounds a preview
render (queued behind the others' under the server's fair scheduling; a client keeps at most one
render in flight). Bounded: the run stops after M minutes, and the number of clients is capped.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from api import free_port, percentile  # noqa: E402
from reelforge.store.users import add_user  # noqa: E402

MAX_CLIENTS = 64
SAMPLE_SECONDS = 15.0


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def document(index: int) -> dict[str, object]:
    scenes = [
        {
            "id": f"s{i}",
            "narration": f"Scene {i}.",
            "duration": 3,
            "visual": {"type": "gradient", "colors": ["#0F172A", "#0EA5E9"]},
            "title": {"text": f"Scene {i}"},
        }
        for i in range(3)
    ]
    return {
        "version": 1,
        "title": f"Soak {index}",
        "output": {"resolution": 360, "fps": 24},
        "music": {"enabled": False},
        "scenes": scenes,
    }


class Figures:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: dict[str, str] = {}
        self.renders_done = 0


async def client_loop(base: str, token: str, index: int, deadline: float, figures: Figures) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:

        async def call(kind: str, method: str, url: str, **kwargs: object) -> httpx.Response | None:
            began = time.perf_counter()
            try:
                response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
            except httpx.HTTPError as exc:
                figures.errors[f"{kind}: {type(exc).__name__}"] += 1
                return None
            figures.latencies[kind].append(time.perf_counter() - began)
            if response.status_code >= 400:
                figures.errors[f"{kind}: {response.status_code}"] += 1
                figures.examples.setdefault(f"{kind}: {response.status_code}", response.text[:200])
            return response

        created = await call("create", "POST", "/api/projects", json={"document": document(index)})
        if created is None or created.status_code != 201:
            return
        url = f"/api/projects/{created.json()['id']}"
        render: str | None = None
        n = 0
        while time.monotonic() < deadline:
            n += 1
            await call("edit", "PATCH", url, json={"title": f"Soak {index} edit {n}"})
            await call(
                "edit",
                "PATCH",
                f"{url}/scenes/s1",
                json={"title": {"text": f"Edit {n}"}},
            )
            order = [f"s{(i + n) % 3}" for i in range(3)]
            await call("edit", "PUT", f"{url}/scene-order", json={"sceneIds": order})
            await call("still", "GET", f"{url}/frame", params={"t": (n * 0.37) % 9})
            if render is not None:
                state = await call("poll", "GET", f"/api/renders/{render}")
                if state is not None and state.json().get("status") in (
                    "succeeded",
                    "failed",
                    "cancelled",
                ):
                    if state.json()["status"] != "succeeded":
                        figures.errors[f"render: {state.json()['status']}"] += 1
                        figures.examples.setdefault(
                            f"render: {state.json()['status']}", str(state.json().get("error"))
                        )
                    figures.renders_done += 1
                    render = None
            if render is None and n % 4 == 0:
                started = await call("render", "POST", f"{url}/renders", json={"preview": True})
                if started is not None and started.status_code == 202:
                    render = started.json()["id"]
            await asyncio.sleep(0.2)


async def sample_memory(pid: int, deadline: float, samples: list[tuple[float, float]]) -> None:
    began = time.monotonic()
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - began, rss_mib(pid)))
        await asyncio.sleep(min(SAMPLE_SECONDS, max(0.0, deadline - time.monotonic())))
    samples.append((time.monotonic() - began, rss_mib(pid)))


async def run(base: str, token: str, pid: int, clients: int, minutes: float) -> None:
    deadline = time.monotonic() + minutes * 60
    figures = Figures()
    memory: list[tuple[float, float]] = []
    await asyncio.gather(
        sample_memory(pid, deadline, memory),
        *(client_loop(base, token, i, deadline, figures) for i in range(clients)),
    )
    print(f"clients: {clients}, minutes: {minutes}, load average: {os.getloadavg()}")
    for kind, values in sorted(figures.latencies.items()):
        print(
            f"  {kind:7s} n={len(values):5d}  p50 {percentile(values, 0.5) * 1000:7.1f} ms  "
            f"p99 {percentile(values, 0.99) * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms"
        )
    print(f"renders finished: {figures.renders_done}")
    print(f"errors: {dict(figures.errors) or 'none'}")
    for kind, example in figures.examples.items():
        print(f"  e.g. {kind}: {example}")
    print("server memory (RSS, MiB) over time:")
    print("  " + "  ".join(f"{t:.0f}s:{m:.0f}" for t, m in memory))
    settled = [m for t, m in memory if t >= min(60.0, minutes * 60 / 3)]
    if settled:
        growth = (settled[-1] - settled[0]) / settled[0] * 100
        print(
            f"growth after the first minute: {growth:+.1f} % ({settled[0]:.0f} → {settled[-1]:.0f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    clients = max(1, min(args.clients, MAX_CLIENTS))
    with tempfile.TemporaryDirectory(prefix="reelforge-soak-") as folder:
        data_dir = Path(folder)
        port = free_port()
        argv = [sys.executable, "-m", "reelforge.api.server", "--port", str(port)]
        argv += ["--data-dir", str(data_dir)]
        if args.database_url:
            argv += ["--database-url", args.database_url]
        env = {
            **os.environ,
            "REELFORGE_CACHE_DIR": str(data_dir / "cache"),
            # One soak user plays every client: give it the room of many users.
            "REELFORGE_API_REQUESTS_PER_MINUTE": "0",
            "REELFORGE_MAX_QUEUED_RENDERS_PER_USER": str(clients + 1),
        }
        server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            token = add_user(data_dir=data_dir, name="soak", database_url=args.database_url)
            asyncio.run(run(base, token, server.pid, clients, args.minutes))
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
