"""Phone videos (rotated, variable frame rate, odd size, 10-bit HDR) and the output's colour:
BT.709 for HD, BT.601 for SD, the matrix matching the tags, sRGB colours surviving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

import realworld_media as rw
from helpers import document, video_info
from reelforge.errors import MediaError
from reelforge.render.pipeline import RenderOptions, RenderResult, render_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver, probe_media
from reelforge.timeline.resolve import EstimateNarrator

from .test_realworld_pictures import delta_e

# (kr, kb) of a matrix by its code in the stream's tags (ISO/IEC 23091-2): 1 BT.709, 6 BT.601
MATRICES = {1: (0.2126, 0.0722), 6: (0.299, 0.114)}


def render(folder: Path, doc: dict[str, Any]) -> RenderResult:
    return render_project(
        parse_project(doc),
        resolver=DirectoryResolver(folder),
        out=folder / "out.mp4",
        options=RenderOptions(cache_dir=folder / "cache"),
        narrator=EstimateNarrator(),
    )


def video_scene(src: str, **visual: Any) -> dict[str, Any]:
    return {"duration": 1, "visual": {"type": "video", "src": src, **visual}}


def decoded(path: Path, index: int = 0) -> tuple[np.ndarray, dict[str, int]]:
    """Frame `index` as RGB (0-255 floats), converted with the matrix the stream is tagged
    with (by our own arithmetic, not a library's default), and the stream's colour tags."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = next(f for i, f in enumerate(container.decode(stream)) if i == index)
        cc = stream.codec_context
        tags = {
            "matrix": int(cc.colorspace),
            "primaries": int(cc.color_primaries),
            "transfer": int(cc.color_trc),
            "range": int(cc.color_range),
        }
        planes = frame.to_ndarray(format="yuv420p")
    h, w = frame.height, frame.width
    y = planes[:h].astype(np.float64)
    u = planes[h : h + h // 4].reshape(h // 2, w // 2).astype(np.float64)
    v = planes[h + h // 4 :].reshape(h // 2, w // 2).astype(np.float64)
    u, v = (np.repeat(np.repeat(c, 2, 0), 2, 1) for c in (u, v))
    kr, kb = MATRICES[tags["matrix"]]
    yn, pb, pr = (y - 16) / 219, (u - 128) / 224, (v - 128) / 224
    r = yn + 2 * (1 - kr) * pr
    b = yn + 2 * (1 - kb) * pb
    g = (yn - kr * r - kb * b) / (1 - kr - kb)
    return np.clip(np.stack([r, g, b], -1) * 255, 0, 255), tags


@pytest.mark.parametrize(("resolution", "code"), [(720, 1), (1080, 1), (360, 6), (480, 6)])
def test_hd_is_bt709_and_sd_bt601_and_an_srgb_colour_survives(
    resolution: int, code: int, tmp_path: Path
) -> None:
    """The tags name one colour space (matrix, primaries, transfer), the pixels were converted
    with its matrix: decoding with the tagged matrix gives the colour back within a small ΔE,
    while the other matrix would not (so the test can fail)."""
    colour = np.array([200, 90, 40])
    doc = document({"duration": 0.5, "visual": {"type": "color", "color": "#C85A28"}})
    doc["output"] = {"aspect": "16:9", "resolution": resolution, "fps": 24}
    video = render(tmp_path, doc).video
    rgb, tags = decoded(video)
    assert tags == {"matrix": code, "primaries": code, "transfer": code, "range": 1}
    h, w = rgb.shape[:2]
    assert delta_e(rgb[h // 2, w // 2], colour) < 1.5, rgb[h // 2, w // 2]
    other = 6 if code == 1 else 1
    MATRICES[code], MATRICES[other] = MATRICES[other], MATRICES[code]
    try:
        wrong, _ = decoded(video)
    finally:
        MATRICES[code], MATRICES[other] = MATRICES[other], MATRICES[code]
    assert delta_e(wrong[h // 2, w // 2], colour) > 3


def test_a_rotated_phone_video_is_shown_upright(tmp_path: Path) -> None:
    """Stored landscape with a display matrix: the probe gives the portrait size and each
    quadrant's colour is in its corner of a 9:16 render."""
    rw.rotated_phone_video(tmp_path / "phone.mp4", width=96, height=160)
    info = probe_media(tmp_path / "phone.mp4", field="src")
    assert (info.width, info.height) == (96, 160)
    doc = document(video_scene("phone.mp4"))
    doc["output"] = {"aspect": "9:16", "resolution": 360, "fps": 30}
    rgb, _ = decoded(render(tmp_path, doc).video, index=5)
    assert rgb.shape[:2] == (640, 360)
    # cover: 96×160 → 384×640, cropped to the middle 360 columns
    corners = {
        (90, 160): rw.TOP_LEFT,
        (270, 160): rw.TOP_RIGHT,
        (90, 480): rw.BOTTOM_LEFT,
        (270, 480): rw.BOTTOM_RIGHT,
    }
    for (x, y), colour in corners.items():
        assert np.abs(rgb[y, x] - colour).max() <= 20, ((x, y), rgb[y, x])


@pytest.mark.parametrize("kind", ["variable-rate", "odd-size"])
def test_variable_rate_and_odd_sized_videos_render_every_frame(kind: str, tmp_path: Path) -> None:
    if kind == "variable-rate":
        rw.variable_rate_video(tmp_path / "clip.mp4")
    else:
        rw.odd_size_video(tmp_path / "clip.mp4")
    doc = document(video_scene("clip.mp4", fit="contain"), video_scene("clip.mp4"))
    result = render(tmp_path, doc)
    info = video_info(result.video)
    assert (info["width"], info["height"], info["frames"]) == (640, 360, 60)
    rgb, _ = decoded(result.video, index=45)
    assert rgb[180, 320].max() > 20  # the picture, not black


@pytest.mark.parametrize("transfer", sorted(rw.HDR_TRANSFERS))
def test_an_hdr_phone_video_is_tone_mapped_to_sdr_bt709(transfer: str, tmp_path: Path) -> None:
    """A 10-bit BT.2020 HLG/PQ clip (a red square on gray) comes out BT.709: the gray stays
    gray and mid-bright, the red stays clearly red."""
    rw.hdr_video(tmp_path / "hdr.mp4", transfer)
    assert probe_media(tmp_path / "hdr.mp4", field="src").hdr == transfer
    doc = document(video_scene("hdr.mp4"))
    doc["output"] = {"aspect": "16:9", "resolution": 720, "fps": 25}
    rgb, tags = decoded(render(tmp_path, doc).video, index=3)
    assert (tags["matrix"], tags["primaries"], tags["transfer"]) == (1, 1, 1)
    # made from SDR gray 128 and red (192, 32, 32) at SDR white = 100 nits: kept close
    gray, red = rgb[60, 60], rgb[360, 640]
    assert np.abs(gray - 128).max() < 10, gray
    assert delta_e(red, np.array([192, 32, 32])) < 8, red


def test_hdr_video_is_refused_with_the_reason_by_an_ffmpeg_that_cannot_tone_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled FFmpeg can; a build without zscale (REELFORGE_FFMPEG) would fail mid-render
    with FFmpeg's words. The check itself is real: it runs the chain through this FFmpeg."""
    from reelforge.ffmpeg import filters_work
    from reelforge.render import compile as compile_module

    assert filters_work(
        "format=yuv420p10le", *(f.serialise() for f in compile_module.tone_map("pq"))
    )
    assert not filters_work("zscale_that_does_not_exist")
    rw.hdr_video(tmp_path / "hdr.mp4", "pq", seconds=0.2)
    monkeypatch.setattr(compile_module, "filters_work", lambda *chain: False)
    with pytest.raises(MediaError, match=r"scenes\[0\]\.visual\.src: hdr\.mp4 is HDR \(PQ\)"):
        render(tmp_path, document(video_scene("hdr.mp4")))
