"""Script drafts: short headline titles taken from the narration, scenes that look different,
and the product overlay once there is a product image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from reelforge.render.pipeline import RenderOptions, render_still, resolve_project
from reelforge.spec import parse_project
from reelforge.spec.script import HEADLINE_WORDS, headline, project_from_script
from reelforge.store.edits import patch_project
from reelforge.timeline.assets import DirectoryResolver
from reelforge.timeline.resolve import EstimateNarrator

SCRIPT = """Meet SmartBottle. Cold for twenty-four hours, hot all morning.

Take it up the mountain. It keeps your water ice cold, all day long.

Our customers in over forty countries have told us that hydration is the one habit they want.

Order today for $29.99, and save 20% on your second bottle."""


def test_titles_are_short_headlines_not_cut_narration() -> None:
    project = project_from_script(SCRIPT)
    titles = [s.title.text for s in project.scenes if s.title]
    assert titles == [
        "Meet SmartBottle",
        "Take it up the mountain",
        "Customers in over forty countries",
        "Order today for $29.99",
    ]
    for scene in project.scenes:
        assert scene.title is not None and "…" not in scene.title.text
        assert scene.title.text.lower() in scene.narration.lower()


WORD = st.sampled_from(
    ["the", "SmartBottle", "keeps", "water", "cold", "and", "a", "bottle", "for", "every",
     "mountain", "$29.99", "20%", "your", "sip", "our", "hours"]
)  # fmt: skip
PUNCT = st.sampled_from(["", "", "", ",", ".", "!", " —"])


@given(st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=80))
def test_headline_is_a_few_words_of_the_narration(tokens: list[tuple[str, str]]) -> None:
    text = " ".join(word + mark for word, mark in tokens)
    title = headline(text)
    words = title.split()
    assert 1 <= len(words) <= HEADLINE_WORDS[1]
    assert "…" not in title and "..." not in title
    spoken = [w.strip(",.!—").lower() for w in text.split()]
    said = [w.lower() for w in words]
    runs = [spoken[i : i + len(said)] for i in range(len(spoken))]
    assert said in runs, (title, text)


def test_scenes_look_different(tmp_path: Path) -> None:
    project = project_from_script(SCRIPT)
    visuals = [s.visual.model_dump() for s in project.scenes]
    for a, b in zip(visuals, visuals[1:], strict=False):
        assert a["colors"] != b["colors"] and a["angle"] != b["angle"]
    assert len({v["motion"] for v in visuals}) >= 3
    doc = project.to_document()
    doc["output"] = {"aspect": "16:9", "resolution": 360, "fps": 24}
    doc["music"] = {"enabled": False}
    doc["captions"] = {"enabled": False}
    for scene in doc["scenes"]:
        scene["title"] = None
    draft = parse_project(doc)
    timeline = resolve_project(draft, resolver=DirectoryResolver(tmp_path),
                               options=RenderOptions(), narrator=EstimateNarrator())  # fmt: skip
    means = []
    for i, scene in enumerate(timeline.scenes):
        at = (scene.start_frame + scene.end_frame) / 2 / timeline.fps
        out = tmp_path / f"s{i}.png"
        render_still(draft, resolver=DirectoryResolver(tmp_path), at=at, out=out,
                     cache_dir=tmp_path / "cache", narrator=EstimateNarrator())  # fmt: skip
        with Image.open(out) as img:
            pixels = np.asarray(img.convert("RGB")).astype(float)
        means.append(pixels[::40, ::40].ravel())  # a coarse picture of the scene
    for i in range(len(means)):
        for j in range(i + 1, len(means)):
            assert np.abs(means[i] - means[j]).mean() > 12, (i, j)


def test_overlay_on_once_a_product_image_exists() -> None:
    without = project_from_script(SCRIPT)
    assert not any(s.product_overlay.enabled for s in without.scenes)
    drafted = project_from_script(SCRIPT, product_image="product.png")
    shown = [s.product_overlay.enabled for s in drafted.scenes]
    assert shown == [True, False, True, True]
    # the server's path: the first product image switches the draft's overlays on
    document, _ = patch_project(without.to_document(), {"product": {"image": "asset:p1"}})
    assert [s["productOverlay"]["enabled"] for s in document["scenes"]] == shown
    # a second image (or a project that already shows the product) changes no scene
    again, _ = patch_project(document, {"product": {"image": "asset:p2"}})
    assert again["scenes"] == document["scenes"]
