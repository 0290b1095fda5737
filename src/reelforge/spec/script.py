"""A project from a plain script: one scene per paragraph, drafted to look designed.

Each scene gets a headline of a few words taken from its narration (a short clause, never the
narration cut off), its own gradient from the brand's palette with its own angle and camera
motion, and, once the project has a product image, the product on the first scene, every
other scene and the last one.
"""

from __future__ import annotations

import colorsys
import re
from typing import Any

from reelforge.errors import ProjectError
from reelforge.spec.models import Brand, Project, Scene

HEADLINE_WORDS = (2, 5)  # a headline has this many words (a one-word paragraph keeps its word)
_CLAUSE = re.compile(r"[.!?;:,—–()]+(?:\s+|$)|\s+[-–—]\s+")
_LEADING = {"and", "but", "so", "or", "then", "also", "a", "an", "the", "plus"}
_TRAILING = {"and", "or", "but", "the", "a", "an", "to", "of", "for", "with", "in", "on", "at",
             "by", "from", "your", "our", "my", "its", "their", "is", "are", "that", "over",
             "under", "than", "as", "into", "about", "have", "has", "had", "was", "were", "be",
             "will", "can", "it", "us", "we", "they", "you", "this", "these", "those", "who",
             "which", "what", "when", "more", "most", "very", "just", "not"}  # fmt: skip
_POSSESSIVE = {"our", "your", "my", "their", "its", "his", "her"}

# (hue shift in degrees, lightness) stops per scene, the gradient's angle and its motion
_LOOKS: list[tuple[list[tuple[float, float]], float, str]] = [
    ([(0, 0.12), (0, -1)], 135, "zoom-in"),
    ([(25, 0.34), (-20, 0.10)], 200, "pan-right"),
    ([(180, 0.14), (0, 0.30)], 45, "zoom-out"),
    ([(0, 0.08), (40, 0.38), (0, -1)], 160, "pan-left"),
    ([(-30, 0.30), (0, 0.09)], 300, "zoom-in"),
    ([(60, 0.12), (0, -1)], 90, "pan-right"),
]


def headline(text: str) -> str:
    """A headline of a few words from a scene's narration: its first clause of two to five
    words (leading "and", "the"... dropped), else the opening words of its first clause up
    to a word that can end a phrase. Never an ellipsis."""
    clauses = [c.split() for c in _CLAUSE.split(text) if c and c.strip()]
    trimmed = [_trim(words) for words in clauses]
    lo, hi = HEADLINE_WORDS
    for words in trimmed:
        if lo <= len(words) <= hi:
            return _sentence_case(words)
    words = next((w for w in trimmed if w), [])
    if len(words) <= hi:
        return _sentence_case(words)
    if len(words) > 2 and words[0].lower() in _POSSESSIVE:
        words = words[1:]
    return _sentence_case(_trim(words[:hi]))


def _trim(words: list[str]) -> list[str]:
    words = [w.strip("\"'“”‘’") for w in words]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words = words[:-1]
    return words


def _sentence_case(words: list[str]) -> str:
    if not words:
        return ""
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def scene_palette(primary: str, index: int) -> tuple[list[str], float, str]:
    """The gradient colours, angle and camera motion of draft scene `index`: variations of the
    brand colour (darker, lighter, neighbouring and opposite hues)."""
    r, g, b = (int(primary[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    stops, angle, motion = _LOOKS[index % len(_LOOKS)]
    colors = []
    for shift, lightness in stops:
        if lightness < 0:
            colors.append(primary.upper())
            continue
        rr, gg, bb = colorsys.hls_to_rgb((hue + shift / 360) % 1.0, lightness, min(0.85, sat))
        colors.append("#" + "".join(f"{round(c * 255):02X}" for c in (rr, gg, bb)))
    return colors, float(angle), motion


def product_overlay(index: int, count: int) -> dict[str, Any] | None:
    """The draft's product overlay for scene `index` of `count`: on the first scene, every
    other scene and the last one; None for the scenes in between."""
    last = index == count - 1
    if index == 0:
        return {"enabled": True, "position": {"x": "right", "y": "center"}, "scale": 0.45,
                "animation": "slide"}  # fmt: skip
    if last:
        return {"enabled": True, "position": {"x": "center", "y": "center"}, "scale": 0.4,
                "animation": "zoom"}  # fmt: skip
    if index % 2 == 0:
        return {"enabled": True, "position": {"x": "left", "y": "center"}, "scale": 0.4,
                "animation": "fade"}  # fmt: skip
    return None


def with_product_overlays(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the draft's product overlays switched on (first, every other and
    last scene), for a project that has just got its first product image: without one, no
    scene could show it. Scenes keep their other overlay settings when they have no draft."""
    scenes = document.get("scenes") or []
    out = []
    for index, scene in enumerate(scenes):
        overlay = product_overlay(index, len(scenes))
        drafted = overlay is not None and isinstance(scene, dict)
        out.append({**scene, "productOverlay": overlay} if drafted else scene)
    return {**document, "scenes": out}


def project_from_script(
    script: str,
    *,
    title: str = "Untitled",
    brand: Brand | None = None,
    product_image: str | None = None,
) -> Project:
    """Split `script` on blank lines; each paragraph becomes a scene narrating it, with a
    headline, its own look from the brand's palette, and the product once there is an image.

    Durations stay `null`: they follow the synthesised narration when the project renders.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", script.replace("\r\n", "\n"))]
    paragraphs = [" ".join(p.split()) for p in paragraphs if p]
    if not paragraphs:
        raise ProjectError("script: the script is empty", field="script")
    brand = brand or Brand()
    count = len(paragraphs)
    scenes = []
    for i, text in enumerate(paragraphs):
        if len(text) > 5000:
            raise ProjectError(f"script: paragraph {i + 1} is over 5000 characters", field="script")
        colors, angle, motion = scene_palette(brand.primary_color, i)
        heading = headline(text)
        position = "center" if i == 0 or i == count - 1 else "top"
        scene: dict[str, Any] = {
            "id": f"scene-{i + 1}",
            "narration": text,
            "visual": {"type": "gradient", "colors": colors, "angle": angle, "motion": motion},
            "title": {"text": heading[:200], "position": position} if heading else None,
            "transition": {"type": "crossfade", "duration": 0.5},
        }
        overlay = product_overlay(i, count) if product_image else None
        if overlay:
            scene["productOverlay"] = overlay
        scenes.append(Scene.model_validate(scene))
    document: dict[str, Any] = {"title": title[:200], "scenes": scenes, "brand": brand}
    if product_image:
        document["product"] = {"image": product_image}
    return Project.model_validate(document)
