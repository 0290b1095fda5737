"""Render MIDI to audio with FluidSynth and a General MIDI SoundFont (offline, deterministic)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from reelforge.errors import ConfigError, MusicError, last_line
from reelforge.ffmpeg import run

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


def render_midi(midi: Path, out_raw: Path, *, gain: float = 0.35) -> None:
    """Render `midi` to raw 32-bit float stereo PCM at 48 kHz (with reverb and chorus tails).

    FluidSynth's offline rendering is single-threaded and fully deterministic, reverb included.
    """
    argv = [
        fluidsynth_exe(), "-n", "-i", "-q",
        "-o", "synth.cpu-cores=1",
        "-o", "synth.dynamic-sample-loading=1",
        "-r", str(SAMPLE_RATE), "-g", f"{gain:.3f}",
        "-T", "raw", "-O", "float", "-E", "little",
        "-F", str(out_raw), str(find_soundfont()), str(midi),
    ]  # fmt: skip
    run(argv, failure=_fluidsynth_failed)


def _fluidsynth_failed(argv: Sequence[str], code: int, stderr_tail: str) -> MusicError:
    return MusicError(f"fluidsynth exited with code {code}: {last_line(stderr_tail)}")
