"""Generated music (real FluidSynth + General MIDI SoundFont) and own tracks."""

from __future__ import annotations

import itertools
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from audio.music_helpers import (
    SR,
    band_share,
    onset_rate,
    read_wav,
    spectral_centroid,
    tone,
    write_wav,
)
from reelforge.audio.music import (
    fit_track,
    generate_music,
    list_styles,
    probe_audio,
    style_sample,
)
from reelforge.audio.music.compose import compose
from reelforge.audio.music.styles import get_style
from reelforge.config import ffmpeg_exe
from reelforge.errors import MediaError, MusicError

STYLE_IDS = ["upbeat", "corporate", "cinematic", "lofi", "ambient", "acoustic"]


@pytest.fixture(scope="module")
def music_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("music-cache")


def test_catalog_has_the_six_styles_with_their_own_tempo() -> None:
    styles = {s.id: s for s in list_styles()}
    assert set(STYLE_IDS) <= set(styles)
    assert len({s.tempo_range for s in styles.values()}) == len(styles)
    for s in styles.values():
        assert s.name and s.description and s.tempo_range[0] < s.tempo_range[1]


@pytest.mark.parametrize("style", STYLE_IDS)
@pytest.mark.parametrize("seconds", [7.3, 30.0, 95.0])
def test_tempo_stays_near_the_style_range(style: str, seconds: float) -> None:
    lo, hi = get_style(style).info.tempo_range
    for seed in range(5):
        piece = compose(get_style(style), seed, seconds)
        assert lo * 0.9 <= piece.bpm <= hi * 1.1
        assert piece.beats * 60 / piece.bpm == pytest.approx(seconds)


def test_unknown_style_is_named(music_cache: Path) -> None:
    with pytest.raises(MusicError, match="polka"):
        generate_music("polka", 1, 5.0, cache_dir=music_cache)


@pytest.mark.parametrize("style", STYLE_IDS)
def test_sample_is_exact_length_stereo_and_ends_musically(style: str, music_cache: Path) -> None:
    path = style_sample(style, cache_dir=music_cache)
    assert path.parent == music_cache / "music"
    rate, x = read_wav(path)
    assert rate == SR and x.shape == (8 * SR, 2)
    rms = np.sqrt((x**2).mean())
    assert 20 * np.log10(rms) > -40  # clearly audible
    assert np.abs(x).max() < 1.0
    tail = np.sqrt((x[-SR // 20 :] ** 2).mean())
    assert tail < rms / 10  # faded out at the end


def _features(x: np.ndarray) -> dict[str, float]:
    return {
        "centroid": spectral_centroid(x),
        "onsets": onset_rate(x) + 0.5,
        "low": band_share(x, 20, 200) + 1e-3,
        "high": band_share(x, 4000, 16000) + 1e-4,
    }


def test_styles_sound_different(music_cache: Path) -> None:
    feats = {
        s: _features(read_wav(generate_music(s, 1, 10.0, cache_dir=music_cache))[1])
        for s in STYLE_IDS
    }
    for a, b in itertools.combinations(STYLE_IDS, 2):
        ratios = {
            k: max(feats[a][k], feats[b][k]) / min(feats[a][k], feats[b][k]) for k in feats[a]
        }
        assert max(ratios.values()) > 1.3, f"{a} and {b} sound alike: {ratios}"


def test_same_seed_same_pcm_new_seed_new_variation(tmp_path: Path) -> None:
    first = read_wav(generate_music("lofi", 11, 6.5, cache_dir=tmp_path / "a"))[1]
    again = read_wav(generate_music("lofi", 11, 6.5, cache_dir=tmp_path / "b"))[1]
    other = read_wav(generate_music("lofi", 12, 6.5, cache_dir=tmp_path / "a"))[1]
    assert np.array_equal(first, again)
    assert other.shape == first.shape == (round(6.5 * SR), 2)
    assert not np.array_equal(first, other)
    assert np.abs(first - other).mean() > 1e-3


def test_generated_tracks_are_cached(music_cache: Path) -> None:
    path = generate_music("ambient", 5, 3.0, cache_dir=music_cache)
    stamp = path.stat().st_mtime_ns
    assert generate_music("ambient", 5, 3.0, cache_dir=music_cache) == path
    assert path.stat().st_mtime_ns == stamp
    assert generate_music("ambient", 5, 3.5, cache_dir=music_cache) != path
    assert not list((music_cache / "music").glob(".*tmp*"))


def _encode(src: Path, dst: Path) -> Path:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(src), str(dst)], check=True)
    return dst


@pytest.mark.parametrize("ext", ["wav", "flac", "mp3", "ogg", "m4a"])
def test_probe_own_track(ext: str, tmp_path: Path) -> None:
    wav = write_wav(tmp_path / "t.wav", tone(2.0, 330.0))
    src = wav if ext == "wav" else _encode(wav, tmp_path / f"t.{ext}")
    assert probe_audio(src) == pytest.approx(2.0, abs=0.06)


def test_short_own_track_loops_without_a_click(tmp_path: Path) -> None:
    # 2.3 s of a chord whose phase at the loop point is far from its start
    t = np.arange(round(2.3 * SR)) / SR
    mono = 0.2 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sin(2 * np.pi * 331 * t)
    src = write_wav(tmp_path / "short.wav", np.stack([mono, mono], axis=1))
    rate, x = read_wav(fit_track(src, 10.0, cache_dir=tmp_path))
    assert rate == SR and x.shape == (10 * SR, 2)
    source_jump = np.abs(np.diff(mono)).max() / np.abs(mono).max()
    body = x[: -3 * SR]  # before the final fade
    jump = np.abs(np.diff(body[:, 0])).max() / np.abs(body[:, 0]).max()
    assert jump < 1.5 * source_jump
    # the loop really repeats the track
    assert np.sqrt((x[4 * SR : 8 * SR] ** 2).mean()) > 0.05


def test_long_own_track_is_trimmed_with_a_fade(tmp_path: Path) -> None:
    src = _encode(write_wav(tmp_path / "long.wav", tone(12.0, 440.0)), tmp_path / "long.mp3")
    rate, x = read_wav(fit_track(src, 5.0, cache_dir=tmp_path))
    assert x.shape == (5 * SR, 2)
    assert np.sqrt((x[SR : 2 * SR] ** 2).mean()) > 0.05
    assert np.abs(x[-100:]).max() < 0.01


def test_fitted_track_is_cached_by_content(tmp_path: Path) -> None:
    a = write_wav(tmp_path / "a.wav", tone(3.0, 440.0))
    b = write_wav(tmp_path / "b.wav", tone(3.0, 440.0))
    assert fit_track(a, 4.0, cache_dir=tmp_path) == fit_track(b, 4.0, cache_dir=tmp_path)
    assert fit_track(a, 4.0, cache_dir=tmp_path) != fit_track(a, 5.0, cache_dir=tmp_path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.mp3", b"this is a text file, not a song\n" * 20),
        ("broken.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(40))),
        ("empty.flac", b""),
    ],
)
def test_unreadable_own_track_is_a_music_error_naming_the_file(
    name: str, content: bytes, tmp_path: Path
) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    with pytest.raises(MusicError, match=name.replace(".", r"\.")):
        fit_track(src, 5.0, cache_dir=tmp_path)


def test_own_track_of_another_kind_or_missing(tmp_path: Path) -> None:
    video = tmp_path / "clip.txt"
    video.write_text("hello")
    with pytest.raises(MusicError, match=r"clip\.txt"):
        fit_track(video, 5.0, cache_dir=tmp_path)
    with pytest.raises(MediaError, match="gone.mp3"):
        fit_track(tmp_path / "gone.mp3", 5.0, cache_dir=tmp_path)


def _reference_music(style: str, seed: int, seconds: float, work: Path) -> np.ndarray:
    """The track as it was made before the lossless intermediate: FluidSynth into a raw float
    file, measured, then finished from that file."""
    from reelforge.audio.music.generator import _fade_out_seconds
    from reelforge.audio.music.midi import write_midi
    from reelforge.audio.music.stem import RawReader, level_gain, measure_raw, write_stem
    from reelforge.audio.music.synth import render_midi

    piece = compose(get_style(style), seed, seconds)
    write_midi(work / "piece.mid", piece.parts, bpm=piece.bpm)
    render_midi(work / "piece.mid", work / "piece.f32")
    loudness, peak = measure_raw(work / "piece.f32")
    write_stem(RawReader(work / "piece.f32"), work / "ref.wav", samples=round(seconds * SR),
               gain=level_gain(loudness, peak), fade_out=_fade_out_seconds(seconds),
               name="reference")  # fmt: skip
    return read_wav(work / "ref.wav")[1]


@pytest.mark.parametrize(("style", "seed", "seconds"), [("cinematic", 3, 12.5), ("upbeat", 8, 5.0)])
def test_generated_music_is_bit_exact_with_the_raw_pipeline(
    style: str, seed: int, seconds: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The streamed path (pipe → WavPack) is for long tracks; make these short ones take it.
    monkeypatch.setattr("reelforge.audio.music.generator.STREAMED_SYNTHESIS_SECONDS", 1.0)
    made = read_wav(generate_music(style, seed, seconds, cache_dir=tmp_path / "cache"))[1]
    assert np.array_equal(made, _reference_music(style, seed, seconds, tmp_path))
    assert not list((tmp_path / "cache" / "music").glob("*/")), "no work folder is left behind"


def test_decoded_reader_reads_any_range(tmp_path: Path) -> None:
    from reelforge.audio.music.stem import DecodedReader

    rng = np.random.default_rng(4)
    x = (rng.standard_normal((100_003, 2)) * 0.3).astype("<f4")
    x.tofile(tmp_path / "x.f32")
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "f32le", "-ar", str(SR), "-ac", "2",
         "-i", str(tmp_path / "x.f32"), "-c:a", "wavpack", str(tmp_path / "x.wv")],
        check=True,
    )  # fmt: skip
    reader = DecodedReader(tmp_path / "x.wv")
    assert reader.frames == len(x)
    for lo, hi in [(0, 10), (10, 70_000), (99_990, 100_010), (5, 6), (50_000, 50_000)]:
        assert np.array_equal(reader.read(lo, hi), x[lo:hi]), (lo, hi)
    reader.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("streamed", [True, False])
def test_a_failing_synthesis_is_a_music_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    if streamed:
        monkeypatch.setattr("reelforge.audio.music.generator.STREAMED_SYNTHESIS_SECONDS", 1.0)
    # A FluidSynth that fails before it opens its output: FFmpeg, waiting to read, is stopped.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "fluidsynth"
    fake.write_text("#!/bin/sh\necho 'fluidsynth: error: no soundfont here' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    with pytest.raises(MusicError, match="no soundfont here"):
        generate_music("lofi", 1, 3.0, cache_dir=tmp_path / "cache")
    assert not any((tmp_path / "cache" / "music").iterdir())


@pytest.mark.timeout(60)
def test_a_failing_encode_stops_the_synthesis(tmp_path: Path) -> None:
    from reelforge.audio.music.midi import write_midi
    from reelforge.audio.music.synth import render_midi_lossless
    from reelforge.errors import FFmpegError

    piece = compose(get_style("ambient"), 1, 20.0)
    write_midi(tmp_path / "piece.mid", piece.parts, bpm=piece.bpm)
    taken = tmp_path / "out.wv"
    taken.mkdir()  # FFmpeg cannot write its output here
    with pytest.raises(FFmpegError):
        render_midi_lossless(tmp_path / "piece.mid", taken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.wv", "piece.mid"]
