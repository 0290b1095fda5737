"""Render MIDI to audio with FluidSynth and a General MIDI SoundFont (offline, deterministic)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from reelforge.audio.loudness import ebur128_filter, parse_ebur128
from reelforge.errors import ConfigError, MusicError, RenderCancelled, last_line
from reelforge.ffmpeg import ffmpeg_argv, run

SAMPLE_RATE = 48_000

# Debian's fluid-soundfont-gm (FluidR3), then the small timgm6mb, then whatever is the default.
_SOUNDFONTS = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/soundfonts/default.sf2",
)


def find_soundfont() -> Path:
    """The General MIDI SoundFont: `$REELFORGE_SOUNDFONT`, else the first one installed."""
    configured = os.environ.get("REELFORGE_SOUNDFONT")
    candidates = [configured] if configured else list(_SOUNDFONTS)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).resolve()
    raise ConfigError(
        "no General MIDI SoundFont found (install the Debian package fluid-soundfont-gm "
        "or set REELFORGE_SOUNDFONT)"
    )


def fluidsynth_exe() -> str:
    """Path of the FluidSynth command-line synthesiser."""
    found = shutil.which("fluidsynth")
    if found is None:
        raise ConfigError("fluidsynth is not installed (install the Debian package fluidsynth)")
    return found


def render_midi(
    midi: Path, out_raw: Path, *, gain: float = 0.35, cancel: threading.Event | None = None
) -> None:
    """Render `midi` to raw 32-bit float stereo PCM at 48 kHz (with reverb and chorus tails).

    FluidSynth's offline rendering is single-threaded and fully deterministic, reverb included.
    `out_raw` may be a FIFO.
    """
    argv = [
        fluidsynth_exe(), "-n", "-i", "-q",
        "-o", "synth.cpu-cores=1",
        "-o", "synth.dynamic-sample-loading=1",
        "-r", str(SAMPLE_RATE), "-g", f"{gain:.3f}",
        "-T", "raw", "-O", "float", "-E", "little",
        "-F", str(out_raw), str(find_soundfont()), str(midi),
    ]  # fmt: skip
    run(argv, failure=_fluidsynth_failed, cancel=cancel)


def render_midi_lossless(midi: Path, out: Path) -> tuple[float, float]:
    """Render `midi` as `render_midi` does, into a WavPack file of the very same float samples
    (lossless, about 70 % of the raw size), and measure it on the way: returns its integrated
    loudness (LUFS) and sample peak (dBFS).

    FluidSynth writes into a FIFO that FFmpeg reads, so the raw PCM (1.4 GB an hour) never
    lands on disk. Each process is killed when the other one fails.
    """
    with tempfile.TemporaryDirectory(prefix="synth-", dir=out.parent) as work:
        fifo = Path(work) / "piece.f32"
        os.mkfifo(fifo)
        synth_failed, encode_failed = threading.Event(), threading.Event()
        errors: list[Exception] = []

        def synthesize() -> None:
            try:
                render_midi(midi, fifo, cancel=encode_failed)
            except Exception as exc:  # re-raised below, in the caller's thread
                errors.append(exc)
                synth_failed.set()  # FFmpeg may wait for a writer that never comes

        synth = threading.Thread(target=synthesize, name="fluidsynth", daemon=True)
        synth.start()
        argv = ffmpeg_argv(
            "-f", "f32le", "-ar", str(SAMPLE_RATE), "-ac", "2", "-i", str(fifo),
            "-af", ebur128_filter(true_peak=False).serialise(),
            "-c:a", "wavpack", "-f", "wv", str(out),
            loglevel="info",
        )  # fmt: skip
        try:
            stderr = run(argv, cancel=synth_failed)
        except RenderCancelled:
            stderr = ""  # FluidSynth failed first: its error is raised below
        except BaseException:
            encode_failed.set()  # FluidSynth may wait for a reader that never comes
            synth.join()
            raise
        synth.join()
        if errors:
            raise errors[0]
        return parse_ebur128(stderr)


def _fluidsynth_failed(argv: Sequence[str], code: int, stderr_tail: str) -> MusicError:
    return MusicError(f"fluidsynth exited with code {code}: {last_line(stderr_tail)}")
