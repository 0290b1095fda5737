"""FFmpeg (and the other command-line tools we run) as managed child processes.

Every child lives inside `managed_process`: it runs in its own process group and is killed,
group and all, when the block is left early (an exception, a cancel). On Linux it also gets
SIGKILL when our process dies (PR_SET_PDEATHSIG), so a killed worker never leaves an orphaned
FFmpeg behind. `run` is the one way to run a tool to its end.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import IO

from reelforge.config import ffmpeg_exe
from reelforge.errors import FFmpegError, ReelforgeError, RenderCancelled

# How much of the end of stderr `run` returns (and puts in errors): enough for the ebur128
# summary, small enough for an error message.
STDERR_TAIL_BYTES = 64 * 1024
_POLL_SECONDS = 0.05

Failure = Callable[[Sequence[str], int, str], ReelforgeError]
"""Builds the error for a tool that failed, from its argv, exit code and stderr tail."""

_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


def ffmpeg_argv(*args: str, loglevel: str = "error") -> list[str]:
    """FFmpeg's argv with quiet, non-interactive defaults in front of `args`.

    Use `loglevel="info"` when the output of a measuring filter (ebur128) is needed.
    """
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, "-y",
            *args]  # fmt: skip


BACKGROUND_NICENESS = 10


def _prepare_child(niceness: int) -> None:
    """In the child, before exec: lower its CPU priority, and get SIGKILL if the parent dies
    (Linux)."""
    if niceness:
        os.nice(niceness)
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@contextmanager
def managed_process(
    argv: Sequence[str], *, stderr: IO[bytes] | None = None, background: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `argv` in its own process group; the group is killed if the block exits early.

    stdin and stdout are closed; stderr goes to the `stderr` file (discarded when None).
    `background` runs it at a lower CPU priority (bulk work such as chunk encoding), so a
    server doing it stays responsive to edits and still frames.
    """
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if stderr is None else stderr,
        start_new_session=True,
        preexec_fn=functools.partial(_prepare_child, BACKGROUND_NICENESS if background else 0),
    )
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


def _tail(err: IO[bytes]) -> str:
    size = err.seek(0, os.SEEK_END)
    err.seek(max(0, size - STDERR_TAIL_BYTES))
    return err.read().decode("utf-8", "replace")


def run(
    argv: Sequence[str],
    *,
    cancel: threading.Event | None = None,
    failure: Failure = FFmpegError,
    background: bool = False,
) -> str:
    """Run `argv` to the end and return the tail of its stderr (for measuring filters).

    Raises RenderCancelled when `cancel` is set (the process group is killed) and, when the
    tool exits non-zero, the error `failure` builds (FFmpegError by default).
    """
    with tempfile.TemporaryFile() as err:
        with managed_process(argv, stderr=err, background=background) as proc:
            while True:
                try:
                    code = proc.wait(timeout=_POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    if cancel is not None and cancel.is_set():
                        _kill(proc)
                        raise RenderCancelled("the render was cancelled") from None
        tail = _tail(err)
    if code != 0:
        if cancel is not None and cancel.is_set():
            raise RenderCancelled("the render was cancelled")
        raise failure(argv, code, tail or f"killed by signal {-code}")
    return tail


def kill_all() -> None:
    """Kill every child this process started that is still running (used on shutdown)."""
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        if proc.poll() is None:
            _kill(proc)


def filters_work(*chain: str) -> bool:
    """Whether this FFmpeg runs the filter chain (one frame through it; cached per binary)."""
    return _filters_work(ffmpeg_exe(), chain)


@functools.cache
def _filters_work(exe: str, chain: tuple[str, ...]) -> bool:
    argv = [exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi",
            "-i", "color=s=16x16:d=0.04", "-vf", ",".join(chain), "-f", "null", "-"]  # fmt: skip
    try:
        run(argv)
    except FFmpegError:
        return False
    return True
