"""Golden tests: the serialised filter graph of a few small projects.

A golden file changes only together with the reason in the commit message. To rewrite them
after a deliberate change: REELFORGE_UPDATE_GOLDEN=1 pytest tests/render/test_graph_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from helpers import color_scene, document
from reelforge.graph import Filter, FilterGraph
from reelforge.render.chunks import Encoder, chunk_spec
from reelforge.render.compile import compile_chunk
from reelforge.render.pipeline import RenderOptions, resolve_project
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator

GOLDEN = Path(__file__).parent.parent / "golden"

PROJECTS: dict[str, dict[str, Any]] = {
    "two_colors_cut": document(color_scene("#FF0000", 1.0), color_scene("#0000FF", 1.0)),
    "image_zoom_title_crossfade": document(
        {
            "duration": 1.0,
            "visual": {"type": "image", "src": "photo.jpg", "motion": "zoom-in"},
            "title": {"text": "Hello", "position": "top"},
            "transition": {"type": "crossfade", "duration": 0.5},
        },
        {"duration": 1.0, "visual": {"type": "gradient"}},
    ),
    "overlay_slide_logo_vertical": document(
        color_scene(
            "#000000",
            1.5,
            productOverlay={
                "enabled": True,
                "animation": "slide",
                "position": {"x": "right", "y": "top"},
            },
        ),
        product={"image": "product.png"},
        brand={"logo": "logo.png"},
        output={"aspect": "9:16", "resolution": 360, "fps": 25},
    ),
}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_filter_graph_matches_golden(name: str, media_dir: Path, cache_dir: Path) -> None:
    timeline = resolve_project(
        parse_project(PROJECTS[name]),
        resolver=DirectoryResolver(media_dir),
        options=RenderOptions(cache_dir=cache_dir),
        narrator=EstimateNarrator(),
    )
    spec = chunk_spec(timeline, 0, timeline.total_frames, Encoder())
    text = compile_chunk(spec, cache=cache_dir).graph.serialise() + "\n"
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("REELFORGE_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


def test_option_values_are_escaped() -> None:
    g = FilterGraph()
    src = g.add_input("x.png")
    g.chain(
        src,
        Filter.of("overlay", x="if(lt(t,1),0,10)", enable="between(t,0,1)"),
        Filter.of("scale", w=1.5, h=2),
        label="out",
    )
    assert g.serialise() == (
        "[0:v]overlay=x='if(lt(t,1),0,10)':enable='between(t,0,1)',scale=w=1.5:h=2[out]"
    )


def test_only_transition_frames_change_pixel_format(media_dir: Path, cache_dir: Path) -> None:
    """A per-frame format conversion at 1080p costs more than the overlays themselves, so the
    graph composites in the output's 4:2:0 and converts only the frames `xfade` blends (3 per
    transition: both sides in, the blend out). FFmpeg logs every scaler it has to insert."""
    import subprocess

    doc = document(
        {
            "duration": 1.0,
            "visual": {"type": "image", "src": "photo.jpg", "motion": "zoom-in"},
            "title": {"text": "Hello", "position": "top"},
            "productOverlay": {"enabled": True, "animation": "slide"},
            "transition": {"type": "crossfade", "duration": 0.5},
        },
        {
            "duration": 1.0,
            "visual": {"type": "video", "src": "clip.mp4"},
            "transition": {"type": "wipe", "duration": 0.4},
        },
        color_scene("#00FF00", 1.0, productOverlay={"enabled": True, "animation": "zoom"}),
        product={"image": "product.png"},
        brand={"logo": "logo.png"},
    )
    timeline = resolve_project(
        parse_project(doc),
        resolver=DirectoryResolver(media_dir),
        options=RenderOptions(cache_dir=cache_dir),
        narrator=EstimateNarrator(),
    )
    spec = chunk_spec(timeline, 0, timeline.total_frames, Encoder())
    compiled = compile_chunk(spec, cache=cache_dir)
    argv = compiled.argv(cache_dir / "x.mp4", spec)
    argv = argv[: argv.index("-an")] + ["-f", "null", "-"]
    argv[argv.index("-loglevel") + 1] = "verbose"
    log = subprocess.run(argv, capture_output=True, text=True, check=True).stderr
    inserted = [line for line in log.splitlines() if "auto-inserting filter" in line]
    between_filters = [line for line in inserted if "input from stream" not in line]
    assert len(between_filters) == 3 * 2, between_filters
    assert all("xfade" in line or "trim" in line or "format" in line for line in between_filters)


def test_a_path_with_quotes_colons_and_brackets_reaches_ffmpeg_intact(tmp_path: Path) -> None:
    """Values are unescaped twice by FFmpeg (graph, then option): a `movie` source whose path
    has every special character must open the very file."""
    import subprocess

    from PIL import Image

    from reelforge.config import ffmpeg_exe

    folder = tmp_path / "it's a [test]; a:b, c=d\\e"
    folder.mkdir()
    picture = folder / "we're 100% 'here'.png"
    Image.new("RGB", (16, 8), (255, 0, 0)).save(picture)
    g = FilterGraph()
    movie = Filter.of("movie", filename=str(picture))
    g.chain([], movie, Filter.of("format", pix_fmts="rgb24"), label="out")
    out = tmp_path / "out.rgb"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-filter_complex", g.serialise()]
    argv += ["-map", "[out]", "-frames:v", "1", "-f", "rawvideo", str(out)]
    subprocess.run(argv, check=True, capture_output=True)
    assert out.read_bytes() == bytes([255, 0, 0]) * 16 * 8
