"""FFmpeg as a managed subprocess: killed on cancel or error, stderr tail kept for errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

from reelforge.errors import FFmpegError, RenderCancelled

_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


def _die_with_parent() -> None:
    """In the child, before exec: get SIGKILL if the parent dies (Linux), so a killed worker
    can never leave an orphaned FFmpeg behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@contextmanager
def managed_process(argv: Sequence[str]) -> Iterator[subprocess.Popen[bytes]]:
    """Start a process in its own process group; it is killed when the block exits early."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        proc.stderr_file = err  # type: ignore[attr-defined]
        with _live_lock:
            _live.add(proc)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                _kill(proc)
            with _live_lock:
                _live.discard(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_ffmpeg(
    argv: Sequence[str], *, cancel: threading.Event | None = None, poll_seconds: float = 0.05
) -> None:
    """Run FFmpeg to completion. Raises FFmpegError on failure, RenderCancelled on cancel."""
    with managed_process(argv) as proc:
        while True:
            try:
                code = proc.wait(timeout=poll_seconds)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    _kill(proc)
                    raise RenderCancelled("render cancelled") from None
        if code != 0:
            err = proc.stderr_file  # type: ignore[attr-defined]
            err.seek(0)
            tail = err.read()[-4000:].decode("utf-8", "replace")
            if cancel is not None and cancel.is_set():
                raise RenderCancelled("render cancelled")
            raise FFmpegError(argv, code, tail or f"killed by signal {-code}")


def kill_all() -> None:
    """Kill every FFmpeg this process started that is still running (used on shutdown)."""
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        if proc.poll() is None:
            _kill(proc)
