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

from conftest import Renderer
from helpers import color_scene, document
from reelforge.audio.captions import MIN_CUE_SECONDS
from reelforge.audio.mix import DUCK_DB, measure_loudness
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
    assert len(cues) == len(vtt.captions) >= 3  # a short sentence joins the next one
    assert [c.start for c in cues] == sorted(c.start for c in cues)
    for cue in cues:
        a, b = cue.start.total_seconds(), cue.end.total_seconds()
        scene = next(
            s for s in timeline.scenes if s.start_frame / 30 <= a + 1e-3 < s.end_frame / 30
        )
        assert scene.narration is not None
        spoken_end = scene.start_frame / 30 + scene.narration.duration
        assert b <= max(spoken_end, a + MIN_CUE_SECONDS) + 0.05  # held for MIN_CUE_SECONDS
        assert b - a >= min(MIN_CUE_SECONDS, scene.end_frame / 30 - a) - 0.05
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


@pytest.fixture(scope="module")
def half_tone_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 s video whose sound is a 440 Hz tone in its first second and silence in its second."""
    import subprocess

    from reelforge.config import ffmpeg_exe

    out = tmp_path_factory.mktemp("clips") / "half-tone.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2",
         "-f", "lavfi", "-i", "sine=f=440:d=2:sample_rate=48000",
         "-af", "volume=enable='gte(t,1)':volume=0",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


def _band_levels(samples: np.ndarray, rate: int, lo: float, hi: float) -> np.ndarray:
    """dB level of the lo–hi Hz band per 50 ms window."""
    from scipy.signal import butter, sosfilt

    y = sosfilt(butter(4, (lo, hi), btype="bandpass", fs=rate, output="sos"), samples)
    win = rate // 20
    frames = y[: len(y) // win * win].reshape(-1, win)
    return 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-12)


def _level(levels: np.ndarray, start: float, end: float) -> float:
    return float(np.median(levels[round(start * 20) : round(end * 20)]))


def test_looped_video_sound_loops_with_the_picture(half_tone_clip: Path, render: Renderer) -> None:
    video = {"type": "video", "src": str(half_tone_clip), "muted": False, "loop": True,
             "start": 0.5}  # fmt: skip
    doc = document(
        color_scene("#202020", 1.0),
        {"duration": 6.0, "visual": video},
        color_scene("#202020", 1.0),
    )
    result = render(doc, name="loop")
    samples, rate = _mono(result.video)
    assert abs(len(samples) - 8.0 * rate) <= 1024
    tone = _band_levels(samples, rate, 380, 500)
    first = _level(tone, 1.05, 1.45)  # the rest of the clip's first second, from `start`
    # The picture shows clip time (0.5 + t) mod 2 at scene time t: the tone sounds while that
    # is in the clip's first second, in every loop, and the silence comes round with it too.
    for lo, hi in [(2.55, 3.45), (4.55, 5.45), (6.55, 6.95)]:  # loops 2, 3 and 4
        assert _level(tone, lo, hi) == pytest.approx(first, abs=1.5), (lo, hi)
    for lo, hi in [(0.1, 0.9), (1.6, 2.4), (3.6, 4.4), (5.6, 6.4), (7.1, 7.9)]:
        assert _level(tone, lo, hi) < first - 40, (lo, hi)


@pytest.fixture(scope="module")
def music_tone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A steady 110 Hz tone as the project's own music track."""
    from scipy.io import wavfile

    t = np.arange(20 * 48_000) / 48_000
    mono = np.round(0.25 * np.sin(2 * np.pi * 110 * t) * 32767).astype(np.int16)
    path = tmp_path_factory.mktemp("music") / "tone110.wav"
    wavfile.write(path, 48_000, np.stack([mono, mono], axis=1))
    return path


@pytest.mark.parametrize(("muted", "drop"), [(False, DUCK_DB), (True, 0.0)])
def test_music_ducks_under_unmuted_video_sound(
    muted: bool, drop: float, music_tone: Path, render: Renderer
) -> None:
    doc = document(
        color_scene("#202020", 4.0),
        {"duration": 4.0, "visual": {"type": "video", "src": "clip.mp4", "muted": muted}},
        color_scene("#202020", 4.0),
        music={"enabled": True, "src": str(music_tone), "volume": 0.5, "ducking": True},
    )
    result = render(doc, name="duck")
    samples, rate = _mono(result.video)
    music = _band_levels(samples, rate, 90, 130)
    # after the music's fade in, against the video scene (its clip's 440 Hz tone, looped)
    assert _level(music, 2.5, 3.5) - _level(music, 4.4, 7.6) == pytest.approx(drop, abs=1.5)
    tone = _band_levels(samples, rate, 380, 500)
    assert (_level(tone, 4.4, 7.6) - _level(tone, 2.5, 3.5) > 30) is not muted


def test_video_sound_fades_with_its_transition_and_stops_at_the_cut(render: Renderer) -> None:
    video = {"type": "video", "src": "clip.mp4", "muted": False, "loop": True}
    doc = document(
        {"duration": 3.0, "visual": video, "transition": {"type": "crossfade", "duration": 1.0}},
        color_scene("#202020", 2.0),
    )
    result = render(doc, name="fade")
    samples, rate = _mono(result.video)
    tone = _band_levels(samples, rate, 380, 500)
    full = _level(tone, 0.5, 2.4)
    # the half of the crossfade before the cut: [2.5, 3.0) fades out; after the cut, silence
    fading = [_level(tone, 2.6, 2.75), _level(tone, 2.8, 2.95)]
    assert full - 1.5 > fading[0] > fading[1] and fading[1] < full - 6, (full, fading)
    assert _level(tone, 3.05, 4.95) < full - 40


def _audio_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(audio=0) if p.size]


def test_an_edit_that_leaves_the_sound_alone_reuses_the_encoded_audio(
    media_dir: Path, cache_dir: Path, tmp_path: Path
) -> None:
    """The AAC of a mix is encoded once: a title edit joins video and audio by stream copy,
    and an edit to the sound encodes a new one."""
    doc = narrated(music={"enabled": True, "style": "lofi", "volume": 0.2})

    def render(name: str) -> Path:
        return render_project(
            parse_project(doc),
            resolver=DirectoryResolver(media_dir),
            out=tmp_path / name,
            options=RenderOptions(cache_dir=cache_dir),
        ).video

    first = render("a.mp4")
    encoded = list((cache_dir / "aac").glob("*.m4a"))
    assert len(encoded) == 1
    stamp = encoded[0].stat().st_mtime_ns
    doc["scenes"][1]["title"] = {"text": "A new title"}
    second = render("b.mp4")
    assert list((cache_dir / "aac").glob("*.m4a")) == encoded
    assert encoded[0].stat().st_mtime_ns == stamp
    assert _audio_packets(second) == _audio_packets(first)
    with av.open(str(second)) as c:
        audio, video = c.streams.audio[0], c.streams.video[0]
        assert audio.duration is not None and video.duration is not None
        assert (
            abs(float(audio.duration * audio.time_base) - float(video.duration * video.time_base))
            < 0.03
        )
    doc["music"]["volume"] = 0.4
    render("c.mp4")
    assert len(list((cache_dir / "aac").glob("*.m4a"))) == 2


def _rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples**2)) + 1e-12))


def test_music_plays_to_the_very_end_after_the_narration(
    media_dir: Path, cache_dir: Path, tmp_path: Path
) -> None:
    """The last scene's narration ends 3 s before the video: its last seconds still carry the
    (default) music, up to the last quarter second; without music they are silent."""
    doc = narrated(music={"enabled": True, "style": "upbeat", "seed": 7})
    doc["scenes"][-1]["duration"] = 4.0
    resolver = DirectoryResolver(media_dir)
    options = RenderOptions(cache_dir=cache_dir)
    result = render_project(parse_project(doc), resolver=resolver, out=tmp_path / "m.mp4",
                            options=options)  # fmt: skip
    samples, rate = _mono(result.video)
    timeline = resolve_project(parse_project(doc), resolver=resolver, options=options)
    last = timeline.scenes[-1]
    assert last.narration is not None
    spoken_until = last.start_frame / 30 + last.narration.duration
    assert result.duration - spoken_until > 2.5
    end = len(samples)
    after = samples[int((spoken_until + 0.3) * rate) : end - rate]
    assert _rms_db(after) > -36, "music after the narration"
    assert _rms_db(samples[end - rate :]) > _rms_db(after) - 10, "music in the last second"
    assert _rms_db(samples[end - rate // 4 : end - rate // 40]) > -60, "music up to the end"
    silent = render_project(
        parse_project({**doc, "music": {"enabled": False}}),
        resolver=resolver,
        out=tmp_path / "n.mp4",
        options=options,
    )
    quiet, _ = _mono(silent.video)
    assert _rms_db(quiet[len(quiet) - 2 * rate :]) < -70
