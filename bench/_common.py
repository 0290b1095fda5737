"""Shared bits of the benchmarks: timing, the example project, appending to benchmarks.md."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "smartbottle"
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished children (FFmpeg included)."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed_cpu(fn: Callable[[], T]) -> tuple[T, float, float]:
    """(value, wall seconds, CPU seconds): CPU time is steadier on a shared machine."""
    cpu = cpu_seconds()
    value, wall = timed(fn)
    return value, wall, cpu_seconds() - cpu


def ensure_example_assets() -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_example_assets.py"), str(EXAMPLE / "assets")],
        check=True,
        capture_output=True,
    )


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def report(title: str, command: str, rows: dict[str, object]) -> None:
    """Print the figures (the maintainer copies them into docs/benchmarks.md)."""
    print(f"## {title}")
    print(f"command: {command}")
    print(f"machine: {machine()}")
    for key, value in rows.items():
        print(f"{key}: {value}")
    print(json.dumps(rows, default=str))
