"""API latency: p50/p99 of edits under 50 concurrent clients, and still-frame latency.

    .venv/bin/python bench/api.py [--clients 50] [--edits 20] [--database-url URL]

Starts a real server process on a free port with a temporary data folder (SQLite unless
--database-url is given), then prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from reelforge.store.users import add_user


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def document(index: int) -> dict[str, object]:
    scenes = [
        {"id": f"s{i}", "narration": f"Scene {i} of project {index}.", "duration": 3}
        for i in range(5)
    ]
    return {
        "version": 1,
        "title": f"Bench {index}",
        "output": {"resolution": 720},
        "scenes": scenes,
    }


def render_document() -> dict[str, object]:
    """A 720p render long enough to keep the server's CPU busy during the edits."""
    scenes = [
        {
            "id": f"r{i}",
            "duration": 6,
            "visual": {"type": "gradient", "colors": ["#0F172A", "#0EA5E9"], "motion": "zoom-in"},
            "title": {"text": f"Busy {i}"},
            "transition": {"type": "crossfade", "duration": 0.5},
        }
        for i in range(10)
    ]
    return {"output": {"resolution": 720}, "music": {"enabled": False}, "scenes": scenes}


async def client_edits(
    base: str, token: str, project_id: str, edits: int, latencies: list[float]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        url = f"/api/projects/{project_id}"
        for n in range(edits):
            began = time.perf_counter()
            if n % 3 == 0:
                response = await client.patch(
                    f"{url}/scenes/s0/product-overlay", json={"scale": 0.2 + (n % 5) / 10}
                )
            elif n % 3 == 1:
                order = [f"s{(i + n) % 5}" for i in range(5)]
                response = await client.put(f"{url}/scene-order", json={"sceneIds": order})
            else:
                response = await client.patch(url, json={"title": f"Edit {n}"})
            latencies.append(time.perf_counter() - began)
            response.raise_for_status()


async def run(base: str, token: str, clients: int, edits: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        ids = []
        for index in range(clients):
            created = await client.post("/api/projects", json={"document": document(index)})
            created.raise_for_status()
            ids.append(created.json()["id"])
        # A render runs on the same server the whole time the edits are measured.
        busy = await client.post("/api/projects", json={"document": render_document()})
        busy.raise_for_status()
        job = await client.post(f"/api/projects/{busy.json()['id']}/renders", json={})
        job.raise_for_status()
        render_url = f"/api/renders/{job.json()['id']}"
        while (await client.get(render_url)).json()["status"] == "queued":
            await asyncio.sleep(0.2)
    latencies: list[float] = []
    began = time.perf_counter()
    await asyncio.gather(*(client_edits(base, token, pid, edits, latencies) for pid in ids))
    wall = time.perf_counter() - began
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        state = (await client.get(render_url)).json()
    print(f"render during the edits: now {state.get('status')} {state.get('percent')} %")
    print(
        f"edits: {len(latencies)} by {clients} concurrent clients in {wall:.1f} s "
        f"({len(latencies) / wall:.0f}/s)"
    )
    print(
        f"  p50 {percentile(latencies, 0.5) * 1000:.1f} ms   "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms   "
        f"max {max(latencies) * 1000:.1f} ms"
    )

    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        cold, warm = [], []
        for t in (0.5, 2.0, 4.5, 7.0, 11.0, 14.0):
            for bucket in (cold, warm):
                began = time.perf_counter()
                response = await client.get(f"/api/projects/{ids[0]}/frame", params={"t": t})
                response.raise_for_status()
                bucket.append(time.perf_counter() - began)
    print(
        f"still frame (1280x720): first request p50 {statistics.median(cold) * 1000:.0f} ms "
        f"(max {max(cold) * 1000:.0f} ms); cached p50 {statistics.median(warm) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelforge-bench-") as folder:
        data_dir = Path(folder)
        port = free_port()
        argv = [sys.executable, "-m", "reelforge.api.server", "--port", str(port)]
        argv += ["--data-dir", str(data_dir)]
        if args.database_url:
            argv += ["--database-url", args.database_url]
        server = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            token = add_user(data_dir=data_dir, name="bench", database_url=args.database_url)
            asyncio.run(run(base, token, args.clients, args.edits))
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
