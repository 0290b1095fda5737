"""The managed child processes: priority, cancel, errors."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from reelforge.errors import FFmpegError, RenderCancelled
from reelforge.ffmpeg import BACKGROUND_NICENESS, ffmpeg_argv, run


@pytest.mark.parametrize("background", [False, True])
def test_background_children_run_at_lower_priority(tmp_path: Path, background: bool) -> None:
    out = tmp_path / "nice.txt"
    run(["sh", "-c", f"nice > {out}"], background=background)
    expected = os.nice(0) + (BACKGROUND_NICENESS if background else 0)
    assert int(out.read_text()) == min(19, expected)


def test_cancel_kills_the_whole_group_quickly(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    began = time.monotonic()
    with pytest.raises(RenderCancelled):
        run(["sh", "-c", f"sleep 30 & echo $! > {pid_file}; wait"], cancel=cancel)
    assert time.monotonic() - began < 2.0
    grandchild = int(pid_file.read_text())
    time.sleep(0.1)
    assert (
        not Path(f"/proc/{grandchild}").exists()
        or "Z" in Path(f"/proc/{grandchild}/stat").read_text().split()[2]
    )


def test_ffmpeg_error_names_the_reason_in_one_line() -> None:
    with pytest.raises(FFmpegError) as info:
        run(ffmpeg_argv("-i", "/nonexistent/input.mp4", "-f", "null", "-"))
    error = info.value
    assert error.returncode != 0 and "-i" in error.argv
    assert "\n" not in str(error) and "No such file" in str(error)
