"""`output.quality`: each preset's x264 settings reach the encoder, and are part of chunk keys."""

from __future__ import annotations

import re
from pathlib import Path

import av
import pytest

from conftest import Renderer
from helpers import color_scene, document
from reelforge.errors import ReelforgeError
from reelforge.render.chunks import QUALITY_PRESETS, Encoder, plan_chunks
from reelforge.spec import parse_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator, resolve_timeline


def x264_options(path: Path) -> dict[str, str]:
    """The settings x264 wrote into the stream's first SEI ("x264 - core … options: …")."""
    with av.open(str(path)) as container:
        packet = next(p for p in container.demux(video=0) if p.size)
        data = bytes(packet)
    match = re.search(rb"options: ([^\x00]+)", data)
    assert match, "no x264 SEI in the first packet"
    return dict(item.split("=", 1) for item in match.group(1).decode().split() if "=" in item)


# x264 writes options, not preset names: subme and ref tell the presets used here apart.
PRESET_SIGNATURE = {"ultrafast": ("0", "1"), "veryfast": ("2", "1"), "medium": ("7", "3")}


@pytest.mark.parametrize("quality", ["draft", "standard", "high"])
def test_quality_reaches_the_encoder(render: Renderer, quality: str) -> None:
    doc = document(color_scene("#336699", 0.5))
    doc["output"]["quality"] = quality
    result = render(doc)
    preset, crf = QUALITY_PRESETS[quality]
    options = x264_options(result.video)
    assert float(options["crf"]) == crf
    assert (options["subme"], options["ref"]) == PRESET_SIGNATURE[preset]


def test_preview_is_draft_whatever_the_quality(render: Renderer) -> None:
    doc = document(color_scene("#336699", 0.5))
    doc["output"]["quality"] = "high"
    options = x264_options(render(doc, preview=True).video)
    assert float(options["crf"]) == QUALITY_PRESETS["draft"][1]


def test_default_quality_is_standard_on_veryfast_or_faster() -> None:
    assert parse_project(document()).output.quality == "standard"
    assert Encoder() == Encoder.for_render(preview=False)
    assert QUALITY_PRESETS["standard"][0] in {"ultrafast", "superfast", "veryfast"}
    assert QUALITY_PRESETS["high"][0] in {"medium", "slow", "slower", "veryslow"}


def test_unknown_quality_is_refused_by_name() -> None:
    doc = document()
    doc["output"]["quality"] = "ultra"
    with pytest.raises(ReelforgeError, match=r"output\.quality"):
        parse_project(doc)


def test_quality_is_part_of_every_chunk_key(media_dir: Path) -> None:
    project = parse_project(document(color_scene("#111111", 1.0), color_scene("#222222", 1.0)))
    timeline = resolve_timeline(
        project, resolver=DirectoryResolver(media_dir), narrator=EstimateNarrator()
    )
    keys = {
        quality: {
            c.key
            for c in plan_chunks(
                timeline,
                chunk_seconds=0.5,
                encoder=Encoder.for_render(preview=False, quality=quality),
            )
        }
        for quality in QUALITY_PRESETS
    }
    assert all(len(k) == 4 for k in keys.values())
    assert not (keys["draft"] & keys["standard"]) and not (keys["standard"] & keys["high"])
