"""Speech synthesis with the real bundled Piper voice, the voice catalog and voiceovers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reelforge.audio.tts import (
    Speech,
    effective_voice,
    engine,
    get_voice,
    list_voices,
    regenerate_voiceover,
    speech,
    split_sentences,
    voice_sample,
)
from reelforge.errors import ProjectError, ReelforgeError, VoiceError
from reelforge.spec.models import DEFAULT_VOICE_ID, Project, Scene, Voice

Speak = Callable[..., Speech]
ReadWav = Callable[[Path], tuple[npt.NDArray[np.float64], int]]
NARRATION = "Meet SmartBottle. It keeps drinks cold for 24 hours, for only $19.99! Order today."


def test_synthesis_is_deterministic(
    speak: Speak, cache_dir: Path, read_wav: ReadWav, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = speak(NARRATION)
    samples, _ = read_wav(first.path)
    shutil.rmtree(cache_dir)
    monkeypatch.setattr(engine, "_MODELS", {})  # a freshly loaded model, too
    second = speak(NARRATION)
    again, _ = read_wav(second.path)
    assert second.key == first.key
    assert np.array_equal(samples, again)
    assert second.cues == first.cues and second.words == first.words


def test_speech_wav_cues_and_words(speak: Speak, read_wav: ReadWav) -> None:
    result = speak(NARRATION)
    samples, rate = read_wav(result.path)
    assert rate == result.sample_rate == 22050
    assert result.duration == pytest.approx(len(samples) / rate)
    assert 3.0 < result.duration < 12.0

    assert [cue.text for cue in result.cues] == split_sentences(NARRATION)
    assert " ".join(word.text for word in result.words) == " ".join(NARRATION.split())
    for timed in (result.cues, result.words):
        for cue in timed:
            assert 0.0 <= cue.start <= cue.end <= result.duration + 1e-3
        for before, after in zip(timed, timed[1:], strict=False):
            assert before.end <= after.start + 1e-3
    assert result.cues[0].start == 0.0
    assert result.cues[-1].end == pytest.approx(result.duration, abs=1e-3)
    # The price takes longer to say than the word before it.
    price = next(w for w in result.words if w.text.startswith("$"))
    only = next(w for w in result.words if w.text == "only")
    assert price.end - price.start > only.end - only.start


def test_silence_is_trimmed(speak: Speak, read_wav: ReadWav) -> None:
    samples, rate = read_wav(speak(NARRATION).path)
    loud = np.flatnonzero(np.abs(samples) > 10 ** (-40 / 20))
    assert loud[0] / rate <= 0.030
    assert (len(samples) - 1 - loud[-1]) / rate <= 0.050
    assert np.max(np.abs(samples)) == pytest.approx(10 ** (-1 / 20), abs=0.01)


def test_speed_changes_duration(speak: Speak) -> None:
    normal = speak("Cold for twenty-four hours, hot for twelve.")
    fast = speak("Cold for twenty-four hours, hot for twelve.", speed=1.5)
    assert fast.key != normal.key
    assert fast.duration < 0.8 * normal.duration


def test_long_sentence_cues_are_caption_sized(speak: Speak) -> None:
    sentence = (
        "SmartBottle keeps your water cold for a whole day, your coffee hot through the "
        "longest meeting, and it fits in every cup holder we have ever tried."
    )
    result = speak(sentence)
    assert len(result.cues) > 1
    assert " ".join(cue.text for cue in result.cues) == sentence
    assert all(len(cue.text) <= 84 for cue in result.cues)
    assert result.cues[-1].end == pytest.approx(result.duration, abs=1e-3)


def test_second_call_is_a_cache_hit(
    speak: Speak, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = speak(NARRATION, pronunciations={"SmartBottle": "smart bottle"})
    assert sorted(p.name for p in (cache_dir / "speech").iterdir()) == [
        f"{first.key}.json",
        f"{first.key}.wav",
    ]

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the voice model ran on a cache hit")

    monkeypatch.setattr(speech, "_speak", must_not_run)
    assert speak(NARRATION, pronunciations={"smartbottle": "smart bottle"}) == first


def test_pronunciations_change_the_key(speak: Speak) -> None:
    plain = speak("Try SmartBottle.")
    spelled = speak("Try SmartBottle.", pronunciations={"SmartBottle": "smart bottle"})
    assert plain.key != spelled.key
    assert spelled.cues[0].text == "Try SmartBottle."


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_text_is_silent(speak: Speak, read_wav: ReadWav, text: str) -> None:
    result = speak(text)
    assert result.duration == 0.0
    assert result.cues == [] and result.words == []
    samples, rate = read_wav(result.path)
    assert len(samples) == 0 and rate == 22050


def test_text_over_the_limit_is_rejected(speak: Speak) -> None:
    with pytest.raises(ReelforgeError, match="5000"):
        speak("word " * 1001)


def test_speed_out_of_range_is_rejected(speak: Speak) -> None:
    with pytest.raises(ProjectError, match="speed"):
        speak("Hello.", speed=3.0)


def test_unknown_voice_is_rejected(speak: Speak) -> None:
    with pytest.raises(VoiceError, match="piper:xx_XX-nobody-low") as error:
        speak("Hello.", voice_id="piper:xx_XX-nobody-low")
    assert DEFAULT_VOICE_ID in str(error.value)


def test_broken_model_names_the_file(speak: Speak, voices_dir: Path) -> None:
    bundled = get_voice(DEFAULT_VOICE_ID)
    broken = voices_dir / "en_US-broken-low.onnx"
    broken.write_bytes(os.urandom(4096))
    shutil.copyfile(bundled.config_path, voices_dir / "en_US-broken-low.onnx.json")
    with pytest.raises(VoiceError, match="en_US-broken-low.onnx"):
        speak("Hello.", voice_id="piper:en_US-broken-low")


def test_catalog_has_only_the_bundled_voice_by_default(voices_dir: Path, tmp_path: Path) -> None:
    for folder in (voices_dir, tmp_path / "missing"):
        voices = list_voices(folder)
        assert [v.id for v in voices] == [DEFAULT_VOICE_ID]
    joe = voices[0]
    assert (joe.name, joe.language, joe.quality, joe.sample_rate) == (
        "Joe",
        "en_US",
        "medium",
        22050,
    )
    assert len(joe.model_hash) == 64 and joe.model_path.is_file() and joe.config_path.is_file()


def test_voices_dir_joins_the_catalog(
    copied_voice: str, voices_dir: Path, speak: Speak, read_wav: ReadWav
) -> None:
    (voices_dir / "no-config.onnx").write_bytes(b"x")  # no .onnx.json: not a voice
    (voices_dir / "bad-config.onnx").write_bytes(b"x")
    (voices_dir / "bad-config.onnx.json").write_text("{not json")
    ids = [v.id for v in list_voices(voices_dir)]
    assert ids == [DEFAULT_VOICE_ID, copied_voice]
    copy = get_voice(copied_voice, voices_dir)
    assert copy.model_hash == get_voice(DEFAULT_VOICE_ID).model_hash
    with pytest.raises(VoiceError, match="bad-config.onnx.json"):
        get_voice("piper:bad-config", voices_dir)

    # The same model under another id speaks the same samples, in its own cache entry.
    ours, joes = speak("Hello there.", voice_id=copied_voice), speak("Hello there.")
    assert ours.key != joes.key
    assert np.array_equal(read_wav(ours.path)[0], read_wav(joes.path)[0])


def test_voices_dir_defaults_to_the_setting(
    copied_voice: str, voices_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelforge.config import get_settings

    monkeypatch.setenv("REELFORGE_VOICES_DIR", str(voices_dir))
    get_settings.cache_clear()
    try:
        assert copied_voice in [v.id for v in list_voices()]
    finally:
        get_settings.cache_clear()


def test_voice_sample_is_cached(cache_dir: Path, voices_dir: Path) -> None:
    path = voice_sample(DEFAULT_VOICE_ID, cache_dir=cache_dir, voices_dir=voices_dir)
    assert path.is_file() and path.stat().st_size > 10_000
    mtime = path.stat().st_mtime_ns
    assert voice_sample(DEFAULT_VOICE_ID, cache_dir=cache_dir, voices_dir=voices_dir) == path
    assert path.stat().st_mtime_ns == mtime


def _project() -> Project:
    return Project(
        voice=Voice(speed=1.25),
        scenes=[
            Scene(id="intro", narration="Hello."),
            Scene(id="middle", narration="More.", voice=Voice(speed=0.9)),
            Scene(id="end", narration="Bye."),
        ],
    )


def test_regenerate_voiceover_changes_only_the_chosen_scenes(
    copied_voice: str, voices_dir: Path
) -> None:
    project = _project()
    before = project.model_dump()
    updated = regenerate_voiceover(
        project, scene_ids=["middle", "end"], voice_id=copied_voice, voices_dir=voices_dir
    )
    assert project.model_dump() == before  # the input is untouched
    voices = {s.id: effective_voice(updated, s) for s in updated.scenes}
    assert voices["intro"] == Voice(id=DEFAULT_VOICE_ID, speed=1.25)
    assert updated.scenes[0].voice is None
    assert voices["middle"] == Voice(id=copied_voice, speed=0.9)
    assert voices["end"] == Voice(id=copied_voice, speed=1.25)
    assert updated.voice == project.voice

    everything = regenerate_voiceover(project, voice_id=copied_voice, voices_dir=voices_dir)
    assert {effective_voice(everything, s).id for s in everything.scenes} == {copied_voice}


def test_regenerate_voiceover_without_a_voice_keeps_the_voices() -> None:
    project = _project()
    again = regenerate_voiceover(project, scene_ids=["intro"])
    assert again == project and again is not project


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"scene_ids": ["intro", "nope"], "voice_id": DEFAULT_VOICE_ID}, ProjectError, "nope"),
        ({"voice_id": "piper:xx_XX-nobody-low"}, VoiceError, "nobody"),
    ],
)
def test_regenerate_voiceover_rejects_unknown_ids(
    options: dict[str, object], error: type[Exception], message: str, voices_dir: Path
) -> None:
    project = _project()
    with pytest.raises(error, match=message):
        regenerate_voiceover(project, voices_dir=voices_dir, **options)  # type: ignore[arg-type]
