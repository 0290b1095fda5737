"""render/hls.py: audio slices partition the mix; playlists; segments decode back to back."""

from __future__ import annotations

import math
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelforge.render.concat import AAC_SETTINGS, PREVIEW_AAC_SETTINGS, encode_audio
from reelforge.render.hls import AacTrack, media_playlist


def tone(path: Path, seconds: float) -> Path:
    rate = 48000
    t = np.arange(round(seconds * rate)) / rate
    samples = (np.sin(2 * math.pi * 440 * t) * 12000).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.repeat(samples[:, None], 2, axis=1).tobytes())
    return path


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory) -> AacTrack:
    tmp = tmp_path_factory.mktemp("hls")
    wav = tone(tmp / "tone.wav", 3.0)
    return AacTrack.read(encode_audio(wav, cache_dir=tmp, settings=PREVIEW_AAC_SETTINGS))


def test_preview_aac_is_its_own_cache_entry(tmp_path: Path) -> None:
    wav = tone(tmp_path / "tone.wav", 1.0)
    fast = encode_audio(wav, cache_dir=tmp_path, settings=PREVIEW_AAC_SETTINGS)
    full = encode_audio(wav, cache_dir=tmp_path, settings=AAC_SETTINGS)
    assert fast != full
    for path, most in ((fast, 140_000), (full, 210_000)):
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            assert stream.codec_context.name == "aac"
            assert 0 < (stream.bit_rate or container.bit_rate) <= most
            samples = sum(f.samples for f in container.decode(stream))
        assert abs(samples - 48000) < 1024


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(1, 44), min_size=0, max_size=6, unique=True))
def test_slices_partition_the_packets(track: AacTrack, cuts: list[int]) -> None:
    """Whatever the segment boundaries (in 15 fps frames), every packet is in exactly one
    segment, in order: played back to back the segments carry the one AAC stream."""
    bounds = [Fraction(0), *(Fraction(c, 15) for c in sorted(cuts))]
    slices = [
        track.slice(a, bounds[i + 1] if i + 1 < len(bounds) else None) for i, a in enumerate(bounds)
    ]
    joined = [p for part in slices for p in part]
    assert joined == list(track.packets)
    assert track.packets[0].pts < 0, "the priming packet is kept, at its negative time"


def test_playlist_lines() -> None:
    text = media_playlist(
        [("preview/a.ts", 1.0), ("preview/b.ts", 4.4)], complete=False, target_seconds=4.4
    )
    assert text.splitlines()[:3] == ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:5"]
    assert "#EXTINF:4.400000,\npreview/b.ts\n" in text
    assert "#EXT-X-ENDLIST" not in text
    done = media_playlist([("preview/a.ts", 2.0)], complete=True, target_seconds=2.0)
    assert done.endswith("#EXT-X-ENDLIST\n") and "#EXT-X-TARGETDURATION:2" in done
