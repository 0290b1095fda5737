"""Offline neural speech (Piper): the voice catalog, synthesis with timed text, voiceovers.

    list_voices / get_voice / voice_sample     the catalog (catalog.py)
    normalize_text / split_sentences           narration text (text.py)
    synthesize -> Speech (WAV, cues, words)    cached, deterministic speech (speech.py)
    effective_voice / regenerate_voiceover     a project's voiceover (voiceover.py)

Nothing here loads a model or reads settings at import time.
"""

from reelforge.audio.captions import Cue
from reelforge.audio.tts.catalog import VoiceInfo, get_voice, list_voices
from reelforge.audio.tts.engine import PiperVoiceModel, VoiceModel, load_voice_model
from reelforge.audio.tts.speech import (
    MAX_NARRATION_CHARS,
    SYNTH_VERSION,
    Speech,
    synthesize,
    voice_sample,
)
from reelforge.audio.tts.text import normalize_text, split_sentences
from reelforge.audio.tts.voiceover import effective_voice, regenerate_voiceover, scene_speech

__all__ = [
    "MAX_NARRATION_CHARS",
    "SYNTH_VERSION",
    "Cue",
    "PiperVoiceModel",
    "Speech",
    "VoiceInfo",
    "VoiceModel",
    "effective_voice",
    "get_voice",
    "list_voices",
    "load_voice_model",
    "normalize_text",
    "regenerate_voiceover",
    "scene_speech",
    "split_sentences",
    "synthesize",
    "voice_sample",
]
