"""Where each element of a scene goes: title, product overlay, captions and logo.

One pure function, `layout_scene`, decides every box from the frame size, the scene's
content and the sizes of the product image and the logo. The rule (docs/rendering.md):

- Everything stays inside the safe area: 5 % of the short side from each edge, and on 9:16
  frames also clear of the platforms' own interface (`PORTRAIT_UI`).
- Captions own the bottom of the safe area; the logo its top-left corner.
- The title keeps its position (top, centre or bottom) and wraps (or shrinks) to the safe
  width; it moves only to clear the logo (top) or the captions (bottom).
- The product overlay yields: it keeps its column (left, centre, right) and goes to the free
  place in that column nearest its row; where no free place is tall enough it shrinks to fit
  the tallest one. It is drawn under the texts, so even while it animates in it never hides
  them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reelforge.audio.captions import wrap_caption
from reelforge.render.layers import image_size
from reelforge.render.text import TextBlock, caption_block, fit_title
from reelforge.timeline.model import Look, SceneContent
from reelforge.timeline.resolve import caption_chars_per_line, caption_font_px

SAFE_MARGIN = 0.05  # of the short side, on every edge
# 9:16: the share of the frame that TikTok, Reels and Shorts cover with their own interface
# (top: tabs and status bar; bottom: account, description and sound; right: the buttons).
PORTRAIT_UI = {"top": 0.10, "bottom": 0.20, "left": 0.05, "right": 0.12}
GAP = 0.02  # of the short side, kept between elements
LOGO_HEIGHT = 0.08  # of the short side
MIN_OVERLAY = 2  # px: an overlay never gets smaller than this


@dataclass(frozen=True)
class Box:
    """A rectangle on the frame: left, top, width, height in pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def inside(self, other: Box) -> bool:
        return (
            other.x <= self.x
            and other.y <= self.y
            and self.right <= other.right
            and self.bottom <= other.bottom
        )


@dataclass(frozen=True)
class SceneLayout:
    """Every element's box on one scene (None when the scene has no such element)."""

    safe: Box
    title: Box | None = None
    title_block: TextBlock | None = None
    overlay: Box | None = None
    captions: Box | None = None  # the band captions sit in (each is centred, bottom-aligned)
    caption_blocks: tuple[TextBlock, ...] = ()
    logo: Box | None = None

    def caption_box(self, index: int) -> Box:
        """Where caption `index` of the scene goes."""
        assert self.captions is not None
        block = self.caption_blocks[index]
        band = self.captions
        return Box((self.safe.x + self.safe.right - block.width) // 2,
                   band.bottom - block.height, block.width, block.height)  # fmt: skip


def is_portrait_story(width: int, height: int) -> bool:
    """A 9:16 frame (the one whose platforms draw over the picture)."""
    return height * 9 >= width * 15


def safe_area(width: int, height: int) -> Box:
    """The part of the frame that elements may use."""
    m = round(min(width, height) * SAFE_MARGIN)
    if not is_portrait_story(width, height):
        return Box(m, m, width - 2 * m, height - 2 * m)
    left = max(m, math.ceil(width * PORTRAIT_UI["left"]))
    right = width - max(m, math.ceil(width * PORTRAIT_UI["right"]))
    top = max(m, math.ceil(height * PORTRAIT_UI["top"]))
    bottom = height - max(m, math.ceil(height * PORTRAIT_UI["bottom"]))
    return Box(left, top, right - left, bottom - top)


def logo_box(look: Look, logo_size: tuple[int, int]) -> Box:
    """The logo: top-left of the safe area, LOGO_HEIGHT of the short side high."""
    safe = safe_area(look.width, look.height)
    h = max(2, round(min(look.width, look.height) * LOGO_HEIGHT))
    w = max(2, round(logo_size[0] * h / max(1, logo_size[1])))
    if w > safe.w // 3:  # a very wide logo fits a third of the safe width, keeping its aspect
        w = max(2, safe.w // 3)
        h = max(2, round(logo_size[1] * w / max(1, logo_size[0])))
    return Box(safe.x, safe.y, w, h)


def overlay_size(look: Look, scale: float, image_size: tuple[int, int]) -> tuple[int, int]:
    """The product image fitted into a square of `scale` × the frame's short side."""
    side = round(scale * min(look.width, look.height))
    w0, h0 = max(1, image_size[0]), max(1, image_size[1])
    factor = side / max(w0, h0)
    return max(MIN_OVERLAY, round(w0 * factor)), max(MIN_OVERLAY, round(h0 * factor))


def scene_layout(look: Look, content: SceneContent) -> SceneLayout:
    """The layout of a scene as the renderer draws it (captions wrapped as burned in; the
    product image's and logo's sizes read from their files)."""
    chars = caption_chars_per_line(look.width, look.height)
    lines = [wrap_caption(cue.text, chars)[:2] for cue in content.captions]
    product = image_size(content.overlay.image) if content.overlay is not None else None
    logo = image_size(look.logo) if look.logo is not None else None
    return layout_scene(look, content, caption_lines=lines, product_size=product, logo_size=logo)


def layout_scene(
    look: Look,
    content: SceneContent,
    *,
    caption_lines: list[list[str]],
    product_size: tuple[int, int] | None,
    logo_size: tuple[int, int] | None,
) -> SceneLayout:
    """Place the scene's elements (see the module's docstring for the rule).

    `caption_lines` holds each caption cue of the scene as wrapped lines (empty: none).
    """
    safe = safe_area(look.width, look.height)
    gap = max(2, round(min(look.width, look.height) * GAP))
    logo = logo_box(look, logo_size) if logo_size is not None else None

    band: Box | None = None
    blocks: tuple[TextBlock, ...] = ()
    if caption_lines:
        px = caption_font_px(look.width, look.height)
        blocks = tuple(caption_block(look, lines, px, safe.w) for lines in caption_lines)
        bw = max(b.width for b in blocks)
        bh = max(b.height for b in blocks)
        band = Box((safe.x + safe.right - bw) // 2, safe.bottom - bh, bw, bh)
    floor = band.y - gap if band is not None else safe.bottom  # lowest y a title may reach

    title: Box | None = None
    block: TextBlock | None = None
    if content.title is not None:
        block = fit_title(look, content.title.text, safe.w)
        x = (safe.x + safe.right - block.width) // 2
        top = safe.y
        if logo is not None and x < logo.right + gap:
            top = logo.bottom + gap
        y = {
            "top": top,
            "center": (look.height - block.height) // 2,
            "bottom": floor - block.height,
        }[content.title.position]
        y = max(top, min(y, floor - block.height))
        title = Box(x, y, block.width, block.height)

    overlay: Box | None = None
    if content.overlay is not None and product_size is not None:
        obstacles = [b for b in (title, band, logo) if b is not None]
        overlay = _place_overlay(look, content, safe, gap, product_size, obstacles)
    return SceneLayout(
        safe=safe,
        title=title,
        title_block=block,
        overlay=overlay,
        captions=band,
        caption_blocks=blocks,
        logo=logo,
    )


def _place_overlay(
    look: Look,
    content: SceneContent,
    safe: Box,
    gap: int,
    product_size: tuple[int, int],
    obstacles: list[Box],
) -> Box:
    """The overlay in its column, at the free place nearest its row (shrunk if it must)."""
    assert content.overlay is not None
    column, row = content.overlay.x, content.overlay.y
    w, h = overlay_size(look, content.overlay.scale, product_size)
    w, h = _fit_within(w, h, safe.w, safe.h)

    def x_for(width: int) -> int:
        return {"left": safe.x, "center": (safe.x + safe.right - width) // 2,
                "right": safe.right - width}[column]  # fmt: skip

    def wanted_y(height: int) -> int:
        return {"top": safe.y, "center": (look.height - height) // 2,
                "bottom": safe.bottom - height}[row]  # fmt: skip

    x = x_for(w)
    gaps = _free_runs(safe, gap, obstacles, x, w)
    fitting = [(a, b) for a, b in gaps if b - a >= h]
    if not fitting:
        # shrink into the tallest free run of the column (its width only gets smaller)
        a, b = max(gaps, key=lambda run: run[1] - run[0], default=(safe.y, safe.y))
        factor = max(0, b - a) / h
        w, h = max(MIN_OVERLAY, int(w * factor)), max(MIN_OVERLAY, int(h * factor))
        x = x_for(w)
        gaps = _free_runs(safe, gap, obstacles, x, w)
        fitting = [(a, b) for a, b in gaps if b - a >= h] or [(a, max(b, a + h))]
    target = wanted_y(h)
    best = min(
        (min(max(target, a), b - h) for a, b in fitting),
        key=lambda y: (abs(y - target), y),
    )
    return Box(x, best, w, h)


def _fit_within(w: int, h: int, max_w: int, max_h: int) -> tuple[int, int]:
    factor = min(1.0, max_w / w, max_h / h)
    if factor >= 1.0:
        return w, h
    return max(MIN_OVERLAY, int(w * factor)), max(MIN_OVERLAY, int(h * factor))


def _free_runs(safe: Box, gap: int, obstacles: list[Box], x: int, w: int) -> list[tuple[int, int]]:
    """Vertical runs [a, b) of the safe area free of every obstacle (plus `gap`) that overlaps
    the column [x, x + w)."""
    blocked = sorted(
        (o.y - gap, o.bottom + gap) for o in obstacles if x < o.right + gap and o.x - gap < x + w
    )
    runs: list[tuple[int, int]] = []
    y = safe.y
    for a, b in blocked:
        if a > y:
            runs.append((y, min(a, safe.bottom)))
        y = max(y, b)
    if y < safe.bottom:
        runs.append((y, safe.bottom))
    return [(a, b) for a, b in runs if b > a]
