"""Outputs by extension from one render: the HLS ladder, WebM, GIF and MP3, checked by decoding.

One tiny 720p project (so the ladder has three rungs) is rendered once per module with every
output; the edit test renders it again with one scene changed and counts what was re-made.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import av
import m3u8
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import color_scene, decode_frames, document
from reelforge.delivery.hls import thumbnail_interval
from reelforge.delivery.ladder import ladder
from reelforge.delivery.outputs import check_outputs
from reelforge.errors import OutputError
from reelforge.render.pipeline import RenderOptions, RenderResult, render_project
from reelforge.spec import parse_project
from reelforge.spec.models import Output
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator

FPS = 24
SECONDS = 2.5
RUNGS = [("720p", 1280, 720), ("480p", 854, 480), ("360p", 640, 360)]


def tiny_720p(second_colour: str = "#00C000") -> dict[str, Any]:
    doc = document(
        color_scene("#E01010", 1.0, transition={"type": "crossfade", "duration": 0.5}),
        color_scene(second_colour, 1.5, narration="One two three."),
        music={"enabled": True, "style": "ambient", "seed": 2},
    )
    doc["output"] = {"aspect": "16:9", "resolution": 720, "fps": FPS, "quality": "draft"}
    return doc


def render_all(root: Path, doc: dict[str, Any], cache: Path) -> RenderResult:
    return render_project(
        parse_project(doc),
        resolver=DirectoryResolver(root),
        out=root / "video.mp4",
        options=RenderOptions(cache_dir=cache, chunk_seconds=0.5),
        narrator=EstimateNarrator(),
        outputs=[root / "hls/master.m3u8", root / "video.webm", root / "teaser.gif",
                 root / "audio.mp3"],
    )  # fmt: skip


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RenderResult]:
    root = tmp_path_factory.mktemp("outputs")
    return root, render_all(root, tiny_720p(), root / "cache")


def test_master_lists_every_rung_with_resolution_and_bandwidth(
    rendered: tuple[Path, RenderResult],
) -> None:
    root, _ = rendered
    master = m3u8.load(str(root / "hls/master.m3u8"))
    assert master.is_variant
    found = [(p.uri, p.stream_info.resolution) for p in master.playlists]
    assert found == [(f"{name}/index.m3u8", (w, h)) for name, w, h in RUNGS]
    for playlist in master.playlists:
        rendition = m3u8.load(str(root / "hls" / playlist.uri))
        folder = (root / "hls" / playlist.uri).parent
        init = (folder / rendition.segment_map[0].uri).stat().st_size
        rates = []
        for i, seg in enumerate(rendition.segments):
            size = (folder / seg.uri).stat().st_size + (init if i == 0 else 0)
            rates.append(size * 8 / seg.duration)
        total = sum((folder / s.uri).stat().st_size for s in rendition.segments) + init
        assert playlist.stream_info.bandwidth == math.ceil(max(rates))
        assert playlist.stream_info.average_bandwidth == math.ceil(
            total * 8 / sum(s.duration for s in rendition.segments)
        )
        assert playlist.stream_info.codecs.startswith("avc1.")
        assert playlist.stream_info.codecs.endswith(",mp4a.40.2")


@pytest.mark.parametrize(("name", "width", "height"), RUNGS)
def test_every_rendition_decodes_to_the_exact_frames_with_continuous_audio(
    rendered: tuple[Path, RenderResult], name: str, width: int, height: int
) -> None:
    root, result = rendered
    with av.open(str(root / "hls" / name / "index.m3u8")) as container:
        frames = [f for f in container.decode(video=0)]
    assert len(frames) == result.frames == round(SECONDS * FPS)
    assert {(f.width, f.height) for f in frames} == {(width, height)}
    # the first scene is red, the last green, in every rung
    first, last = frames[2].to_ndarray(format="rgb24"), frames[-2].to_ndarray(format="rgb24")
    assert first[..., 0].mean() > 180 and first[..., 1].mean() < 60
    assert last[..., 1].mean() > 150 and last[..., 0].mean() < 60
    with av.open(str(root / "hls" / name / "index.m3u8")) as container:
        audio = list(container.decode(audio=0))
    expected = audio[0].pts
    for frame in audio:  # no gap and no overlap between audio frames
        assert frame.pts == expected
        expected = frame.pts + frame.samples
    samples = sum(f.samples for f in audio)
    assert abs(samples / 48000 - SECONDS) < 0.05


def test_top_rendition_is_the_rendered_video_remuxed(
    rendered: tuple[Path, RenderResult],
) -> None:
    root, _ = rendered

    def video_packets(path: Path) -> str:
        digest = hashlib.sha256()
        with av.open(str(path)) as container:
            for packet in container.demux(video=0):
                if packet.size:
                    digest.update(bytes(packet))
        return digest.hexdigest()

    assert video_packets(root / "hls/720p/index.m3u8") == video_packets(root / "video.mp4")


def test_thumbnail_track_points_into_the_sprite(rendered: tuple[Path, RenderResult]) -> None:
    root, _ = rendered
    cues = (root / "hls/thumbnails.vtt").read_text().split("\n\n")[1:]
    cues = [c for c in cues if c.strip()]
    assert len(cues) == math.ceil(SECONDS / thumbnail_interval(SECONDS))
    sprite = decode_frames(root / "hls/thumbnails.jpg")[0]
    tiles = []
    for cue in cues:
        x, y, w, h = map(int, cue.split("#xywh=")[1].split(","))
        assert (w, h) == (160, 90)
        tiles.append(sprite[y : y + h, x : x + w].astype(int))
    assert tiles[0][..., 0].mean() > 180 and tiles[0][..., 1].mean() < 60  # 0 s: red
    assert tiles[-1][..., 1].mean() > 150 and tiles[-1][..., 0].mean() < 60  # 2 s: green


def test_webm_gif_and_mp3_have_the_right_duration_and_size(
    rendered: tuple[Path, RenderResult],
) -> None:
    root, _ = rendered
    with av.open(str(root / "video.webm")) as webm:
        assert webm.streams.video[0].codec_context.name == "vp9"
        assert webm.streams.audio[0].codec_context.name == "opus"
        frames = list(webm.decode(video=0))
    assert len(frames) == round(SECONDS * FPS)
    assert (frames[0].width, frames[0].height) == (1280, 720)
    with av.open(str(root / "teaser.gif")) as gif:
        frames = list(gif.decode(video=0))
        stream = gif.streams.video[0]
    assert (frames[0].width, frames[0].height) == (640, 360)
    assert len(frames) == pytest.approx(SECONDS * 12, abs=1)
    assert float(frames[-1].pts * stream.time_base) == pytest.approx(SECONDS - 1 / 12, abs=0.1)
    with av.open(str(root / "audio.mp3")) as mp3:
        assert mp3.streams.audio[0].codec_context.name.startswith("mp3")
        samples = sum(f.samples for f in mp3.decode(audio=0))
    assert samples / 48000 == pytest.approx(SECONDS, abs=0.06)


def test_an_edit_remakes_only_its_chunks_in_every_rendition(
    rendered: tuple[Path, RenderResult],
) -> None:
    root, first = rendered
    assert first.delivered is not None
    total = first.chunks_rendered
    assert first.delivered.rung_chunks_made == {"480p": total, "360p": total}
    again = root / "again"
    again.mkdir()
    result = render_all(again, tiny_720p("#00A0FF"), root / "cache")
    assert result.delivered is not None
    assert 0 < result.chunks_rendered < total
    assert result.delivered.rung_chunks_made == {
        "480p": result.chunks_rendered,
        "360p": result.chunks_rendered,
    }
    with av.open(str(again / "hls/360p/index.m3u8")) as container:
        last = [f for f in container.decode(video=0)][-2].to_ndarray(format="rgb24")
    assert last[..., 2].mean() > 200  # the edited colour reached the lowest rung


@settings(max_examples=40, deadline=None)
@given(
    aspect=st.sampled_from(["16:9", "9:16", "1:1", "4:5"]),
    resolution=st.sampled_from([360, 480, 720, 1080, 1440, 2160]),
)
def test_ladder_is_the_output_and_each_standard_size_down_to_360p(
    aspect: str, resolution: int
) -> None:
    output = Output.model_validate({"aspect": aspect, "resolution": resolution})
    rungs = ladder(*output.size)
    assert (rungs[0].width, rungs[0].height) == output.size
    assert [r.resolution for r in rungs] == [
        r for r in (2160, 1440, 1080, 720, 480, 360) if r <= resolution
    ]
    for rung in rungs:
        assert rung.width % 2 == 0 and rung.height % 2 == 0
        assert min(rung.width, rung.height) == rung.resolution
        assert rung.width / rung.height == pytest.approx(output.size[0] / output.size[1], 0.01)
        same = Output.model_validate({"aspect": aspect, "resolution": rung.resolution})
        assert (rung.width, rung.height) == same.size


@pytest.mark.parametrize(
    ("names", "message"),
    [(["a.avi"], "unknown output format '.avi'"), (["a.mp4", "a.mp4"], "named twice")],
)
def test_bad_outputs_are_refused(tmp_path: Path, names: list[str], message: str) -> None:
    with pytest.raises(OutputError, match=message):
        check_outputs([tmp_path / n for n in names])


def test_formats_by_extension(tmp_path: Path) -> None:
    names = ["v.MP4", "hls/master.m3u8", "v.webm", "t.gif", "a.mp3"]
    assert check_outputs([tmp_path / n for n in names]) == ["mp4", "hls", "webm", "gif", "mp3"]
