"""The real narrator: Piper speech per scene, cached by voice, text and speed."""

from __future__ import annotations

from pathlib import Path

from reelforge.spec.models import Voice
from reelforge.timeline.model import Narration


class PiperNarrator:
    """Speaks narration with the offline Piper voices (see reelforge.audio.tts)."""

    def __init__(self, *, cache_dir: Path, voices_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.voices_dir = voices_dir

    def speak(self, text: str, *, voice: Voice, pronunciations: dict[str, str]) -> Narration:
        from reelforge.audio.tts import synthesize

        speech = synthesize(
            text,
            voice_id=voice.id,
            speed=voice.speed,
            cache_dir=self.cache_dir,
            pronunciations=pronunciations,
            voices_dir=self.voices_dir,
        )
        if speech.duration <= 0:
            return Narration(path=None, duration=0.0)
        return Narration(
            path=speech.path,
            duration=speech.duration,
            cues=tuple((c.start, c.end, c.text) for c in speech.cues),
            key=speech.key,
        )
