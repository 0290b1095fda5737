"""The final mix with real FFmpeg: placement, ducking, loudness, length, silence, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from audio.music_helpers import SR, band_rms_db, read_wav, speech_like, tone, write_wav
from reelforge.audio.mix import (
    DUCK_DB,
    MUSIC_BOOST_DB,
    AudioClip,
    measure_loudness,
    mix_timeline,
    music_envelope,
)
from reelforge.errors import MediaError, RenderCancelled

MUSIC_HZ = 110.0  # the test "music" is a low tone, the test "speech" lives in 800-3000 Hz


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("mix-media")
    write_wav(d / "speech1.wav", speech_like(3.0, seed=1), rate=22_050)
    write_wav(d / "speech2.wav", speech_like(2.5, seed=2), rate=22_050)
    write_wav(d / "music.wav", tone(12.0, MUSIC_HZ, amplitude=0.25))
    write_wav(d / "video.wav", tone(4.0, 250.0, amplitude=0.2, rate=44_100), rate=44_100)
    return d


def _speech_clips(media: Path) -> list[AudioClip]:
    return [
        AudioClip(media / "speech1.wav", 2.0, "speech"),
        AudioClip(media / "speech2.wav", 7.0, "speech"),
    ]


def _window(levels: np.ndarray, start: float, end: float) -> float:
    return float(np.median(levels[round(start * 10) : round(end * 10)]))


def test_mix_is_normalised_and_exactly_long(media: Path, tmp_path: Path) -> None:
    out = mix_timeline(
        _speech_clips(media), total=12.0, out=tmp_path / "mix.wav", music=media / "music.wav"
    )
    rate, x = read_wav(out)
    assert rate == SR and x.shape == (12 * SR, 2)
    loudness, peak = measure_loudness(out)
    assert loudness == pytest.approx(-14.0, abs=1.0)
    assert peak <= -1.0


def _peaky_speech(seconds: float, *, seed: int) -> np.ndarray:
    """Speech-like bursts with sharp plosive-like clicks: about 20 dB of peak over loudness,
    so a mix brought to -14 LUFS needs the limiter."""
    rate = 22_050
    x = 0.25 * speech_like(seconds, seed=seed, rate=rate)
    rng = np.random.default_rng(seed)
    for at in rng.uniform(0.1, seconds - 0.1, size=round(seconds * 3)):
        i = round(at * rate)
        x[i : i + 40] += 0.95 * np.hanning(40) * rng.choice([-1.0, 1.0])
    return x


@pytest.mark.parametrize(("with_music", "target"), [(False, -14.0), (True, -14.0), (False, -12.0)])
def test_limited_mix_is_on_target(
    with_music: bool, target: float, media: Path, tmp_path: Path
) -> None:
    clips = []
    for i, start in enumerate([0.5, 4.5, 8.0]):
        path = write_wav(tmp_path / f"peaky{i}.wav", _peaky_speech(3.0, seed=10 + i), rate=22_050)
        clips.append(AudioClip(path, start, "speech"))
    music = media / "music.wav" if with_music else None
    # With room to spare (no limiter) the mix shows how far its peaks stand above its loudness.
    quiet = mix_timeline(clips, total=12.0, out=tmp_path / "q.wav", music=music,
                         target_lufs=-40.0, true_peak_db=0.0)  # fmt: skip
    loudness, peak = measure_loudness(quiet)
    assert peak + (target - loudness) > 3.0  # a plain gain would clip: the limiter must work

    out = mix_timeline(clips, total=12.0, out=tmp_path / "l.wav", music=music,
                       target_lufs=target)  # fmt: skip
    loudness, peak = measure_loudness(out)
    assert loudness == pytest.approx(target, abs=0.5)
    assert peak <= -1.0
    assert read_wav(out)[1].shape == (12 * SR, 2)


@pytest.mark.parametrize("total", [3.33331, 7.123457, 12.0])
def test_length_is_exact(total: float, media: Path, tmp_path: Path) -> None:
    out = mix_timeline(
        _speech_clips(media), total=total, out=tmp_path / "m.wav", music=media / "music.wav"
    )
    assert read_wav(out)[1].shape == (round(total * SR), 2)


def test_music_ducks_under_speech(media: Path, tmp_path: Path) -> None:
    out = mix_timeline(
        _speech_clips(media), total=12.0, out=tmp_path / "d.wav", music=media / "music.wav",
        music_volume=0.5,
    )  # fmt: skip
    music = band_rms_db(read_wav(out)[1], 90, 130)
    free = _window(music, 5.5, 6.5)
    assert free - _window(music, 2.2, 4.8) >= 8.0
    assert free - _window(music, 7.2, 9.3) >= 8.0
    speech = band_rms_db(read_wav(out)[1], 900, 2500)
    assert _window(speech, 2.2, 4.8) - _window(speech, 5.5, 6.5) > 20  # speech is where put


def test_no_ducking_keeps_the_music_level(media: Path, tmp_path: Path) -> None:
    out = mix_timeline(
        _speech_clips(media), total=12.0, out=tmp_path / "n.wav", music=media / "music.wav",
        ducking=False,
    )  # fmt: skip
    music = band_rms_db(read_wav(out)[1], 90, 130)
    assert abs(_window(music, 5.5, 6.5) - _window(music, 2.2, 4.8)) < 1.0


@pytest.mark.parametrize("volume", [0.0, None])
def test_volume_zero_or_no_music_means_no_music(
    volume: float | None, media: Path, tmp_path: Path
) -> None:
    out = mix_timeline(
        _speech_clips(media), total=12.0, out=tmp_path / "v.wav",
        music=None if volume is None else media / "music.wav", music_volume=volume or 0.0,
    )  # fmt: skip
    x = read_wav(out)[1]
    assert band_rms_db(x, 90, 130).max() < -70
    assert measure_loudness(out)[0] == pytest.approx(-14.0, abs=1.0)


def test_silence_stays_silent(tmp_path: Path) -> None:
    x = read_wav(mix_timeline([], total=4.5, out=tmp_path / "s.wav"))[1]
    assert x.shape == (round(4.5 * SR), 2)
    assert not x.any()


def test_clips_play_at_their_time_with_offset_and_duration(media: Path, tmp_path: Path) -> None:
    clips = [
        AudioClip(media / "video.wav", 1.0, "video", offset=1.0, duration=1.5),
        AudioClip(media / "video.wav", 2.0, "video", duration=0.5, gain=0.5),  # overlaps
    ]
    x = read_wav(mix_timeline(clips, total=5.0, out=tmp_path / "c.wav"))[1]
    level = np.abs(x[:, 0])
    audible = np.nonzero(level > 0.01)[0]
    assert audible[0] / SR == pytest.approx(1.0, abs=0.005)
    assert audible[-1] / SR == pytest.approx(2.5, abs=0.005)
    both = np.sqrt((x[round(2.1 * SR) : round(2.4 * SR), 0] ** 2).mean())
    one = np.sqrt((x[round(1.1 * SR) : round(1.9 * SR), 0] ** 2).mean())
    assert both / one == pytest.approx(1.5, rel=0.05)  # the overlapping clip adds in


def test_clip_running_past_the_end_is_cut(media: Path, tmp_path: Path) -> None:
    clips = [AudioClip(media / "speech1.wav", 2.0, "speech")]
    assert read_wav(mix_timeline(clips, total=3.0, out=tmp_path / "e.wav"))[1].shape == (
        3 * SR,
        2,
    )


def test_missing_clip_is_a_media_error(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="nope.wav"):
        mix_timeline(
            [AudioClip(tmp_path / "nope.wav", 0.0, "speech")], total=2, out=tmp_path / "o.wav"
        )


def test_cancel_stops_the_mix(media: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RenderCancelled):
        mix_timeline(
            _speech_clips(media), total=12.0, out=tmp_path / "x.wav", cancel=cancel,
            music=media / "music.wav",
        )  # fmt: skip
    assert not (tmp_path / "x.wav").exists()


def test_music_envelope_fades_and_ducks() -> None:
    env = music_envelope([(4.0, 6.0)], total=12.0, volume=0.5, ducking=True)
    full = 0.5 * 10 ** (MUSIC_BOOST_DB / 20)
    assert env[0] == pytest.approx(0.0, abs=0.01)
    assert env[3000] == pytest.approx(full)
    assert 20 * np.log10(env[5000] / env[3000]) <= -8
    assert np.abs(np.diff(env[:12000])).max() < 0.03 * full  # smooth attack and release
    assert env[11990] == pytest.approx(full), "no fade here: the track's own fade plays to the end"
    assert env[12000] == 0.0


def test_music_rises_between_sentences() -> None:
    """Two sentences 0.3 s apart (Piper's pause): the music comes up in the pause."""
    env = music_envelope([(1.0, 2.0), (2.3, 3.3)], total=5.0, volume=0.15, ducking=True)
    under = env[1500]
    pause = env[2000:2300].max()
    assert 20 * np.log10(pause / under) >= 6
    assert 20 * np.log10(env[4500] / under) == pytest.approx(DUCK_DB, abs=0.1)


def _half_tone(path: Path) -> Path:
    """2 s of sound: a 440 Hz tone in the first second, silence in the second."""
    x = tone(2.0, 440.0, amplitude=0.3)
    x[SR:] = 0.0
    return write_wav(path, x)


def _audible_edges(x: np.ndarray) -> list[float]:
    """Times (10 ms resolution) where the left channel turns audible or silent."""
    loud = np.abs(x[: len(x) // 480 * 480, 0]).reshape(-1, 480).max(axis=1) > 0.01
    return [i / 100 for i in np.flatnonzero(np.diff(loud.astype(int))) + 1]


@pytest.mark.parametrize("aloop", [True, False], ids=["aloop", "one-input-per-repeat"])
def test_looping_clip_repeats_its_period_in_step(
    aloop: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not aloop:
        monkeypatch.setattr("reelforge.audio.mix._ALOOP_MAX_SAMPLES", 1)
    clip = AudioClip(_half_tone(tmp_path / "half.wav"), 1.0, "video", offset=0.5, duration=6.0,
                     loop=2.0)  # fmt: skip
    x = read_wav(mix_timeline([clip], total=8.0, out=tmp_path / "loop.wav"))[1]
    assert x.shape == (8 * SR, 2)
    # the period starts 0.5 s in: tone for 0.5 s, then a second of silence, a second of tone...
    assert _audible_edges(x) == [1.0, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.0]
    for lo, hi in [(1.1, 1.4), (2.6, 3.4), (4.6, 5.4), (6.6, 6.9)]:
        rms = np.sqrt((x[round(lo * SR) : round(hi * SR), 0] ** 2).mean())
        assert 20 * np.log10(rms) > -30, (lo, hi)


def test_both_ways_of_looping_give_the_same_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_wav(tmp_path / "v.wav", speech_like(1.3, seed=5, rate=44_100), rate=44_100)
    clip = AudioClip(src, 0.25, "video", offset=0.4, duration=4.0, loop=1.3, fade_in=0.1,
                     fade_out=0.3)  # fmt: skip
    a = read_wav(mix_timeline([clip], total=5.0, out=tmp_path / "a.wav"))[1]
    monkeypatch.setattr("reelforge.audio.mix._ALOOP_MAX_SAMPLES", 1)
    b = read_wav(mix_timeline([clip], total=5.0, out=tmp_path / "b.wav"))[1]
    assert np.abs(a).max() > 0.1
    assert np.array_equal(a, b)


def test_clip_fades_in_and_out(media: Path, tmp_path: Path) -> None:
    clip = AudioClip(media / "video.wav", 1.0, "video", duration=2.0, fade_in=0.5, fade_out=0.5)
    x = read_wav(mix_timeline([clip], total=4.0, out=tmp_path / "f.wav"))[1][:, 0]

    def rms(lo: float, hi: float) -> float:
        return float(np.sqrt((x[round(lo * SR) : round(hi * SR)] ** 2).mean()))

    body = rms(1.6, 2.4)
    assert rms(1.0, 1.1) < 0.3 * body and rms(2.9, 3.0) < 0.3 * body
    assert rms(1.2, 1.3) < rms(1.35, 1.45) < body  # rising
    assert np.abs(x[round(2.999 * SR) :]).max() < 0.01 * np.abs(x).max()


@pytest.mark.parametrize(("sound", "ducked"), [("tone", True), ("silence", False)])
def test_music_ducks_under_audible_video_sound_only(
    sound: str, ducked: bool, media: Path, tmp_path: Path
) -> None:
    src = media / "video.wav"
    if sound == "silence":
        src = write_wav(tmp_path / "silent.wav", np.zeros((4 * SR, 2)))
    clips = [AudioClip(src, 4.0, "video", duration=4.0)]
    out = mix_timeline(clips, total=12.0, out=tmp_path / "d.wav", music=media / "music.wav",
                       music_volume=0.5)  # fmt: skip
    music = band_rms_db(read_wav(out)[1], 90, 130)
    drop = _window(music, 2.5, 3.5) - _window(music, 4.3, 7.7)
    if ducked:
        assert drop == pytest.approx(DUCK_DB, abs=1.0)
        # the same attack and release as under speech
        speech = mix_timeline([AudioClip(src, 4.0, "speech", duration=4.0)], total=12.0,
                              out=tmp_path / "s.wav", music=media / "music.wav",
                              music_volume=0.5)  # fmt: skip
        under_speech = band_rms_db(read_wav(speech)[1], 90, 130)
        assert np.abs(music[30:90] - under_speech[30:90]).max() < 1.0
    else:
        assert abs(drop) < 1.0


def test_mix_with_looped_ducking_video_sound_is_deterministic(media: Path, tmp_path: Path) -> None:
    clips = [
        AudioClip(
            media / "video.wav",
            1.0,
            "video",
            offset=0.7,
            duration=7.0,
            loop=2.5,
            fade_in=0.2,
            fade_out=0.2,
        ),  # fmt: skip
        *_speech_clips(media),
    ]
    odd = tmp_path / "a folder, with 'odd' [names]"  # the level readings are written in here
    mixes = [
        read_wav(mix_timeline(clips, total=12.0, out=odd / f"{i}.wav", music=media / "music.wav"))[
            1
        ]
        for i in range(2)
    ]
    assert np.array_equal(mixes[0], mixes[1])
    assert np.abs(mixes[0]).max() > 0.1
