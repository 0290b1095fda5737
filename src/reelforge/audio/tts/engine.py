"""Voice models: the small interface speech synthesis needs, and its Piper implementation.

Piper adds random noise to the voice (VITS `noise_scale`, `noise_w`). We set both to zero, so
the same text always gives the same samples, which is what makes speech cacheable by content.
"""

from __future__ import annotations

import importlib.util
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from reelforge.audio.tts.catalog import VoiceInfo
from reelforge.errors import VoiceError

# Phoneme symbols that are not sounds of a word: sentence start/end, padding, spaces and
# punctuation. Word timings are spread over the other phonemes only.
_NOT_SPOKEN = frozenset("^$_ !'(),-.:;?¡¿…—–\"")

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SpokenSentence:
    """A sentence's audio and, when the model can tell, where each spoken phoneme lies in it."""

    samples: Samples  # mono float32, not normalised
    phoneme_spans: list[tuple[int, int]] | None  # (first sample, end sample) per spoken phoneme


class VoiceModel(ABC):
    """Turns normalised text into audio. Implementations must be deterministic."""

    sample_rate: int

    @abstractmethod
    def speak(self, text: str, *, length_scale: float) -> SpokenSentence:
        """The audio of one sentence; `length_scale` > 1 is slower."""

    @abstractmethod
    def phoneme_count(self, text: str) -> int:
        """How many spoken phonemes the text has (weights words when timing them)."""


class PiperVoiceModel(VoiceModel):
    """A Piper (VITS, ONNX) voice, run on the CPU by onnxruntime."""

    def __init__(self, voice: VoiceInfo) -> None:
        from piper import PiperVoice

        # Alignments need the `onnx` package (to expose the durations tensor); without it word
        # timings are estimated from the sentence timing.
        alignments = importlib.util.find_spec("onnx") is not None
        try:
            self._voice = PiperVoice.load(
                voice.model_path, config_path=voice.config_path, include_alignments=alignments
            )
        except Exception as error:  # onnx/onnxruntime/protobuf raise many unrelated types
            reason = " ".join(str(error).split())[:200]
            raise VoiceError(
                f"voice model {voice.model_path} cannot be loaded: {reason}", field="voice.id"
            ) from error
        self.sample_rate = self._voice.config.sample_rate

    def speak(self, text: str, *, length_scale: float) -> SpokenSentence:
        from piper import SynthesisConfig

        config = SynthesisConfig(
            length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False
        )
        pieces: list[Samples] = []
        spans: list[tuple[int, int]] | None = []
        offset = 0
        for chunk in self._voice.synthesize(text, config, include_alignments=True):
            audio = np.asarray(chunk.audio_float_array, dtype=np.float32).reshape(-1)
            pieces.append(audio)
            spans = _spans(chunk.phoneme_alignments, offset, len(audio), spans)
            offset += len(audio)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        return SpokenSentence(samples=samples, phoneme_spans=spans or None)

    def phoneme_count(self, text: str) -> int:
        return sum(
            1 for sentence in self._voice.phonemize(text) for p in sentence if p not in _NOT_SPOKEN
        )


def _spans(
    alignments: list[Any] | None, offset: int, length: int, spans: list[tuple[int, int]] | None
) -> list[tuple[int, int]] | None:
    """Add one chunk's spoken-phoneme spans; None once any chunk has no usable alignment."""
    if spans is None or not alignments:
        return None
    total = sum(int(a.num_samples) for a in alignments)
    if total <= 0:
        return None
    scale = length / total  # durations are whole hops; the audio may differ by a little
    position = 0
    for alignment in alignments:
        start = position
        position += int(alignment.num_samples)
        if alignment.phoneme not in _NOT_SPOKEN:
            spans.append((offset + round(start * scale), offset + round(position * scale)))
    return spans


_MODELS: dict[tuple[Path, str], VoiceModel] = {}
_MODELS_LOCK = threading.Lock()


def load_voice_model(voice: VoiceInfo) -> VoiceModel:
    """The loaded model of a voice, once per process (loading takes about a second)."""
    key = (voice.model_path, voice.model_hash)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = PiperVoiceModel(voice)
        return model
