"""Fixtures for the speech and caption tests: the real bundled Piper voice, isolated folders."""

from __future__ import annotations

import shutil
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reelforge.audio.tts import Speech, synthesize
from reelforge.audio.tts.catalog import bundled_model_path
from reelforge.spec.models import DEFAULT_VOICE_ID

Speak = Callable[..., Speech]


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def voices_dir(tmp_path: Path) -> Path:
    """An empty voices folder, so `REELFORGE_VOICES_DIR` on this machine plays no part."""
    folder = tmp_path / "voices"
    folder.mkdir()
    return folder


@pytest.fixture
def speak(cache_dir: Path, voices_dir: Path) -> Speak:
    """`synthesize` with the bundled voice at speed 1, into this test's cache."""

    def run(text: str, **options: object) -> Speech:
        arguments: dict[str, object] = {
            "voice_id": DEFAULT_VOICE_ID,
            "speed": 1.0,
            "cache_dir": cache_dir,
            "voices_dir": voices_dir,
        }
        arguments.update(options)
        return synthesize(text, **arguments)  # type: ignore[arg-type]

    return run


@pytest.fixture
def copied_voice(voices_dir: Path) -> str:
    """The bundled model copied into the voices folder under another name; returns its id."""
    model = bundled_model_path()
    shutil.copyfile(model, voices_dir / "en_GB-copycat-medium.onnx")
    shutil.copyfile(
        model.with_name(model.name + ".json"), voices_dir / "en_GB-copycat-medium.onnx.json"
    )
    return "piper:en_GB-copycat-medium"


def _read_wav(path: Path) -> tuple[npt.NDArray[np.float64], int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
        rate = wav.getframerate()
    return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0, rate


@pytest.fixture
def read_wav() -> Callable[[Path], tuple[npt.NDArray[np.float64], int]]:
    """Reads a mono 16-bit WAV: samples in [-1, 1] and the sample rate."""
    return _read_wav
