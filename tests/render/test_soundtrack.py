"""The rendered MP4's sound, with the real Piper voice and generated music: speech on its scene,
scene lengths from the narration, per-scene voices, captions, and loudness."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import srt
import webvtt

from helpers import document
from reelforge.audio.mix import measure_loudness
from reelforge.audio.tts import regenerate_voiceover
from reelforge.audio.tts.catalog import bundled_model_path
from reelforge.render.pipeline import RenderOptions, render_project, resolve_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.narration import PiperNarrator
from reelforge.timeline.resolve import NARRATION_PADDING

NARRATIONS = [
    "Meet SmartBottle. Cold for twenty-four hours.",
    "It costs $29.99, and tracks 100% of your sips.",
    "Order today.",
]


def narrated(**top: Any) -> dict[str, Any]:
    scenes = [
        {
            "id": f"n{i}",
            "narration": text,
            "visual": {"type": "color", "color": "#101010"},
            "transition": {"type": "crossfade", "duration": 0.4},
        }
        for i, text in enumerate(NARRATIONS)
    ]
    doc = document(*scenes, **top)
    doc["captions"] = {"enabled": True}
    return doc


def _mono(path: Path) -> tuple[np.ndarray, int]:
    chunks = []
    with av.open(str(path)) as c:
        rate = c.streams.audio[0].codec_context.sample_rate
        for frame in c.decode(audio=0):
            chunks.append(frame.to_ndarray().astype(np.float64).mean(axis=0))
    return np.concatenate(chunks), rate


def _onsets(samples: np.ndarray, rate: int, starts: list[float]) -> list[float]:
    win = rate // 200  # 5 ms windows
    energy = np.sqrt(np.convolve(samples**2, np.ones(win) / win, mode="same"))
    threshold = 10 ** (-36 / 20)
    out = []
    for start in starts:
        i = int(start * rate) - int(0.2 * rate)  # look from 200 ms early: nothing may lead it
        above = np.nonzero(energy[max(0, i) :] > threshold)[0]
        out.append(max(0, i) / rate + above[0] / rate - start)
    return out


@pytest.fixture
def voices_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "voices"
    folder.mkdir()
    model = bundled_model_path()
    shutil.copyfile(model, folder / "en_GB-copycat-medium.onnx")
    shutil.copyfile(
        model.with_name(model.name + ".json"), folder / "en_GB-copycat-medium.onnx.json"
    )
    return folder


def test_speech_starts_on_its_scene_and_sets_its_length(
    media_dir: Path, cache_dir: Path, tmp_path: Path
) -> None:
    project = parse_project(narrated())
    resolver = DirectoryResolver(media_dir)
    options = RenderOptions(cache_dir=cache_dir, chunk_seconds=1.0)
    result = render_project(project, resolver=resolver, out=tmp_path / "v.mp4", options=options)
    timeline = resolve_project(project, resolver=resolver, options=options)
    for scene in timeline.scenes:
        assert scene.narration is not None
        expected = max(2.0, scene.narration.duration + NARRATION_PADDING)
        assert scene.frames == pytest.approx(expected * 30, abs=1)
    samples, rate = _mono(result.video)
    assert abs(len(samples) - result.duration * rate) <= 1024
    starts = [s.start_frame / 30 for s in timeline.scenes]
    for offset in _onsets(samples, rate, starts):
        assert 0 <= offset <= 0.05, offset
    # Captions: real parsers, in order, inside their scene and inside its speech, narration text.
    cues = list(srt.parse(result.srt.read_text()))
    vtt = webvtt.read(str(result.vtt))
    assert len(cues) == len(vtt.captions) >= 4
    assert [c.start for c in cues] == sorted(c.start for c in cues)
    for cue in cues:
        a, b = cue.start.total_seconds(), cue.end.total_seconds()
        scene = next(
            s for s in timeline.scenes if s.start_frame / 30 <= a + 1e-3 < s.end_frame / 30
        )
        assert scene.narration is not None
        assert b <= scene.start_frame / 30 + scene.narration.duration + 0.05
        assert " ".join(cue.content.split()) in " ".join(NARRATIONS)
    joined = " ".join(" ".join(c.content.split()) for c in cues)
    assert joined == " ".join(NARRATIONS)


def test_voice_change_touches_only_chosen_scenes(
    media_dir: Path, cache_dir: Path, voices_dir: Path
) -> None:
    resolver = DirectoryResolver(media_dir)
    narrator = PiperNarrator(cache_dir=cache_dir, voices_dir=voices_dir)
    options = RenderOptions(cache_dir=cache_dir)

    def keys(project: Any) -> list[str]:
        timeline = resolve_project(project, resolver=resolver, options=options, narrator=narrator)
        return [s.narration.key for s in timeline.scenes if s.narration]

    project = parse_project(narrated())
    base = keys(project)
    other = regenerate_voiceover(
        project, scene_ids=["n1"], voice_id="piper:en_GB-copycat-medium", voices_dir=voices_dir
    )
    changed = keys(other)
    assert [a == b for a, b in zip(base, changed, strict=True)] == [True, False, True]
    faster = parse_project({**narrated(), "voice": {"speed": 1.3}})
    assert all(a != b for a, b in zip(base, keys(faster), strict=True))
    assert keys(project) == base, "synthesis is deterministic"


def test_final_mix_loudness_and_ducking(media_dir: Path, cache_dir: Path, tmp_path: Path) -> None:
    doc = narrated(music={"enabled": True, "style": "corporate", "volume": 0.3})
    result = render_project(
        parse_project(doc),
        resolver=DirectoryResolver(media_dir),
        out=tmp_path / "m.mp4",
        options=RenderOptions(cache_dir=cache_dir),
    )
    lufs, peak = measure_loudness(result.video)
    assert -15.0 <= lufs <= -13.0 and peak <= -1.0, (lufs, peak)
    muted = render_project(
        parse_project({**doc, "music": {"enabled": False}}),
        resolver=DirectoryResolver(media_dir),
        out=tmp_path / "n.mp4",
        options=RenderOptions(cache_dir=cache_dir),
    )
    samples, rate = _mono(muted.video)
    # Without music the gaps after each narration (the padding) are silent.
    timeline = resolve_project(
        parse_project(doc),
        resolver=DirectoryResolver(media_dir),
        options=RenderOptions(cache_dir=cache_dir),
    )
    scene = timeline.scenes[0]
    assert scene.narration is not None
    gap = slice(
        int((scene.narration.duration + 0.15) * rate), int((scene.end_frame / 30 - 0.25) * rate)
    )
    assert np.sqrt(np.mean(samples[gap] ** 2)) < 1e-3


def test_fit_speech_speeds_narration_into_a_fixed_duration(
    media_dir: Path, cache_dir: Path
) -> None:
    resolver = DirectoryResolver(media_dir)
    doc = document({"id": "tight", "narration": NARRATIONS[0]})
    natural = resolve_project(
        parse_project(doc), resolver=resolver, options=RenderOptions(cache_dir=cache_dir)
    ).scenes[0]
    assert natural.narration is not None
    doc["scenes"][0]["duration"] = round(natural.narration.duration / 1.06, 2)
    project = parse_project(doc)
    from reelforge.errors import SpeechTooLongError

    with pytest.raises(SpeechTooLongError, match=r"scenes\[0\]\.duration: .*'tight'"):
        resolve_project(project, resolver=resolver, options=RenderOptions(cache_dir=cache_dir))
    fitted = resolve_project(
        project, resolver=resolver, options=RenderOptions(cache_dir=cache_dir, fit_speech=True)
    )
    speech = fitted.scenes[0].narration
    assert speech is not None and speech.duration <= doc["scenes"][0]["duration"]
    doc["scenes"][0]["duration"] = round(natural.narration.duration / 1.5, 2)
    with pytest.raises(SpeechTooLongError):
        resolve_project(
            parse_project(doc),
            resolver=resolver,
            options=RenderOptions(cache_dir=cache_dir, fit_speech=True),
        )
