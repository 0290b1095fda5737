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
