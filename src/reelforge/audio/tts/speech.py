"""Narration to speech: a WAV, sentence cues and word timings, cached by content.

Each sentence is synthesised on its own, trimmed of silence and joined to the next with a
fixed pause, so cue times are exact sentence boundaries. The whole narration is then scaled
to a peak of -1 dBFS (loudness is set later, by the mix). Synthesis is deterministic, so the
cache key (voice, model hash, text, speed, synthesis version) fully describes the audio.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import wave
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelforge.audio.captions import CAPTION_LINE_CHARS, Cue, caption_groups
from reelforge.audio.tts.catalog import VoiceInfo, get_voice
from reelforge.audio.tts.engine import Samples, SpokenSentence, VoiceModel, load_voice_model
from reelforge.audio.tts.text import normalize_text, split_sentences
from reelforge.errors import ProjectError
from reelforge.files import atomic_write_bytes

SYNTH_VERSION = 1  # bump when the audio for the same inputs changes
MAX_NARRATION_CHARS = 5000
SPEED_RANGE = (0.5, 2.0)
SENTENCE_PAUSE = 0.3  # seconds between sentences at speed 1
PEAK = 10 ** (-1 / 20)  # -1 dBFS
SILENCE = 10 ** (-40 / 20)  # samples below -40 dBFS count as silence when trimming
LEAD_IN = 0.005  # seconds kept before the first sound of a sentence
TAIL = 0.02  # seconds kept after its last sound (soft consonants fade below the threshold)


@dataclass(frozen=True)
class Speech:
    """Synthesised narration: a mono WAV at the voice's rate, and its timed text."""

    path: Path
    duration: float
    sample_rate: int
    cues: list[Cue]  # sentences, or caption-sized phrases of long ones; the original words
    words: list[Cue]  # each word of the narration as written, punctuation attached
    key: str


def synthesize(
    text: str,
    *,
    voice_id: str,
    speed: float,
    cache_dir: Path,
    pronunciations: Mapping[str, str] | None = None,
    voices_dir: Path | None = None,
) -> Speech:
    """Speak `text` with a voice; cached under `cache_dir/speech/<key>.wav` and `.json`.

    `speed` (0.5 to 2) scales the pace (Piper's `length_scale = 1 / speed`). Empty text gives a
    zero-length WAV. Raises ProjectError for text over 5000 characters or a speed out of range,
    VoiceError for an unknown voice or a model that cannot be loaded.
    """
    if len(text) > MAX_NARRATION_CHARS:
        raise ProjectError(
            f"narration is {len(text)} characters; the limit is {MAX_NARRATION_CHARS}",
            field="narration",
        )
    if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        raise ProjectError(
            f"speed {speed} is outside {SPEED_RANGE[0]} to {SPEED_RANGE[1]}", field="voice.speed"
        )
    voice = get_voice(voice_id, voices_dir)
    sentences = split_sentences(text)
    spoken = [normalize_text(sentence, pronunciations) for sentence in sentences]
    key = speech_key(voice, sentences, spoken, speed)
    wav_path = cache_dir / "speech" / f"{key}.wav"
    cached = _read_cached(wav_path, key)
    if cached is not None:
        return cached

    audio, cues, words = _speak(voice, sentences, spoken, speed, pronunciations)
    speech = Speech(
        path=wav_path,
        duration=len(audio) / voice.sample_rate,
        sample_rate=voice.sample_rate,
        cues=cues,
        words=words,
        key=key,
    )
    atomic_write_bytes(wav_path, _wav_bytes(audio, voice.sample_rate))
    # The JSON is written last: it marks the cache entry as complete.
    atomic_write_bytes(wav_path.with_suffix(".json"), _speech_json(speech).encode("utf-8"))
    return speech


def speech_key(
    voice: VoiceInfo, sentences: Sequence[str], spoken: Sequence[str], speed: float
) -> str:
    """The cache key. The written sentences are part of it because the cues carry them."""
    document = json.dumps(
        [SYNTH_VERSION, voice.id, voice.model_hash, f"{speed:.4f}", list(sentences), list(spoken)],
        ensure_ascii=False,
    )
    return hashlib.sha256(document.encode("utf-8")).hexdigest()[:32]


def voice_sample(voice_id: str, *, cache_dir: Path, voices_dir: Path | None = None) -> Path:
    """A short WAV of the voice introducing itself (cached), for the voice picker."""
    voice = get_voice(voice_id, voices_dir)
    text = f"Hi, I'm {voice.name}. This is how your video's voiceover will sound."
    return synthesize(
        text, voice_id=voice_id, speed=1.0, cache_dir=cache_dir, voices_dir=voices_dir
    ).path


def _speak(
    voice: VoiceInfo,
    sentences: Sequence[str],
    spoken: Sequence[str],
    speed: float,
    pronunciations: Mapping[str, str] | None,
) -> tuple[Samples, list[Cue], list[Cue]]:
    """Synthesise, trim and join the sentences; time their cues and words."""
    if not sentences:
        return np.zeros(0, dtype=np.float32), [], []
    model = load_voice_model(voice)
    length_scale = 1.0 / speed
    results = [model.speak(text, length_scale=length_scale) for text in spoken]
    peak = max((float(np.max(np.abs(r.samples))) for r in results if r.samples.size), default=0.0)
    gain = PEAK / peak if peak > 0 else 0.0
    rate = model.sample_rate
    pause = np.zeros(round(SENTENCE_PAUSE * length_scale * rate), dtype=np.float32)

    pieces: list[Samples] = []
    cues: list[Cue] = []
    words: list[Cue] = []
    offset = 0  # samples written so far
    for sentence, result in zip(sentences, results, strict=True):
        samples = result.samples * np.float32(gain)
        first, end = _sound_bounds(samples, rate)
        if end <= first:
            continue  # nothing audible, e.g. a sentence of punctuation only
        if pieces:
            pieces.append(pause)
            offset += len(pause)
        pieces.append(samples[first:end])
        tokens = _word_tokens(sentence)
        spans = _word_spans(model, tokens, result, first, end, pronunciations)
        sentence_words = [
            _cue((offset + a - first) / rate, (offset + b - first) / rate, token)
            for token, (a, b) in zip(tokens, spans, strict=True)
        ]
        words.extend(sentence_words)
        sentence_end = (offset + end - first) / rate
        cues.extend(_sentence_cues(sentence, sentence_words, offset / rate, sentence_end))
        offset += end - first
    audio = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return audio, cues, words


def _sound_bounds(samples: Samples, rate: int) -> tuple[int, int]:
    """The audible part of a sentence, with a short lead-in and tail kept."""
    loud = np.flatnonzero(np.abs(samples) > SILENCE)
    if loud.size == 0:
        return 0, 0
    first = max(0, int(loud[0]) - round(LEAD_IN * rate))
    end = min(len(samples), int(loud[-1]) + 1 + round(TAIL * rate))
    return first, end


def _word_tokens(sentence: str) -> list[str]:
    """The sentence's words as written; punctuation standing alone joins the word before."""
    tokens: list[str] = []
    for token in sentence.split():
        if tokens and not re.search(r"\w", token):
            tokens[-1] = f"{tokens[-1]} {token}"
        else:
            tokens.append(token)
    return tokens


def _word_spans(
    model: VoiceModel,
    tokens: Sequence[str],
    result: SpokenSentence,
    first: int,
    end: int,
    pronunciations: Mapping[str, str] | None,
) -> list[tuple[int, int]]:
    """Sample spans of the words, inside [first, end).

    Each word is weighted by its phoneme count and given that share of the sentence's spoken
    phonemes, as aligned by the model; without an alignment, that share of the sentence.
    """
    weights = [max(1, model.phoneme_count(normalize_text(t, pronunciations))) for t in tokens]
    units = result.phoneme_spans or []
    units = [(max(a, first), min(b, end)) for a, b in units if b > first and a < end]
    if not units:  # no alignment: equal units over the audible sentence
        count = sum(weights)
        step = (end - first) / count
        units = [(first + round(i * step), first + round((i + 1) * step)) for i in range(count)]
    total = sum(weights)
    spans: list[tuple[int, int]] = []
    done = 0
    previous_end = first
    for weight in weights:
        a = min(len(units) - 1, round(done * len(units) / total))
        done += weight
        b = max(a + 1, min(len(units), round(done * len(units) / total)))
        start = max(units[a][0], previous_end)
        stop = max(start, units[b - 1][1])
        spans.append((start, stop))
        previous_end = stop
    return spans


def _sentence_cues(sentence: str, words: Sequence[Cue], start: float, end: float) -> list[Cue]:
    """One cue for the sentence, or caption-sized phrases of it, back to back."""
    groups = caption_groups([w.text for w in words], CAPTION_LINE_CHARS)
    if len(groups) <= 1:
        return [_cue(start, end, sentence)]
    bounds = [start] + [words[a].start for a, _ in groups[1:]] + [end]
    return [
        _cue(bounds[i], bounds[i + 1], " ".join(w.text for w in words[a:b]))
        for i, (a, b) in enumerate(groups)
    ]


def _cue(start: float, end: float, text: str) -> Cue:
    # Rounded as stored in the cache, so a cached Speech equals a fresh one.
    return Cue(start=round(start, 4), end=round(end, 4), text=text)


def _wav_bytes(audio: Samples, sample_rate: int) -> bytes:
    pcm = np.clip(np.round(audio * 32767.0), -32767, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _speech_json(speech: Speech) -> str:
    def cues(items: Sequence[Cue]) -> list[list[float | str]]:
        return [[c.start, c.end, c.text] for c in items]

    return json.dumps(
        {
            "version": SYNTH_VERSION,
            "key": speech.key,
            "duration": speech.duration,
            "sampleRate": speech.sample_rate,
            "cues": cues(speech.cues),
            "words": cues(speech.words),
        },
        ensure_ascii=False,
    )


def _read_cached(wav_path: Path, key: str) -> Speech | None:
    """The cached speech for `key`, or None when it is missing, incomplete or unreadable."""
    try:
        document = json.loads(wav_path.with_suffix(".json").read_text(encoding="utf-8"))
        if document["version"] != SYNTH_VERSION or document["key"] != key:
            return None
        if not wav_path.is_file():
            return None
        return Speech(
            path=wav_path,
            duration=float(document["duration"]),
            sample_rate=int(document["sampleRate"]),
            cues=[Cue(float(a), float(b), str(t)) for a, b, t in document["cues"]],
            words=[Cue(float(a), float(b), str(t)) for a, b, t in document["words"]],
            key=key,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
