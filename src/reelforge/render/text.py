"""Text on the frame: fonts, wrapping, legible colours, and the title and caption panels.

Every text sits on a panel whose colour is chosen so that the text keeps its contrast ratio
(WCAG 2: titles 3:1 as large text, captions 4.5:1) against the panel *whatever is behind the
panel*: the panel is partly transparent, and the check takes the worst case, a black and a
white picture behind it. The brand colour is kept where it already passes; otherwise the panel
is shaded towards black or white (whichever gets there), keeping its hue as long as it can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from reelforge.render.layers import Placed, _cached, _key, _rgb
from reelforge.timeline.model import Look

TITLE_MIN_CONTRAST = 3.0  # WCAG 2 AA, large text
CAPTION_MIN_CONTRAST = 4.5  # WCAG 2 AA, normal text
# Designed with headroom: 4:2:0 chroma and x264 move colours by a few levels.
CONTRAST_HEADROOM = 1.15
TITLE_PANEL_ALPHA = 235
CAPTION_PANEL_ALPHA = 200
CAPTION_TEXT = "#FFFFFF"
CAPTION_PANEL = "#000000"
TITLE_MAX_LINES = 3
TITLE_MIN_SCALE = 0.6  # a long title shrinks to this share of its size before it takes more lines
LINE_SPACING = 1.12

RGB = tuple[int, int, int]


@lru_cache(maxsize=64)
def font(path: str, size: int, weight: int) -> ImageFont.FreeTypeFont:
    """The font at `size` px, with its weight axis set when it is a variable font."""
    loaded = ImageFont.truetype(path, size)
    try:
        axes = loaded.get_variation_axes()
        values: list[float] = []
        for axis in axes:
            name = str(axis.get("name", b""))
            if "eight" in name or "wght" in name:
                values.append(weight)
            elif "ptical" in name or "opsz" in name:
                values.append(
                    min(float(axis["maximum"] or 0), max(float(axis["minimum"] or 0), size // 2))
                )
            else:
                values.append(float(axis.get("default", axis["minimum"]) or 0))
        loaded.set_variation_by_axes(values)
    except OSError:
        pass  # not a variable font
    return loaded


def wrap(text: str, face: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Words filled into lines no wider than `max_width` (a word wider than that stands alone)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if face.getlength(candidate) > max_width and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


# -- contrast ------------------------------------------------------------------------------


def relative_luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0-255 channels)."""

    def linear(c: float) -> float:
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, 1 to 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _over(panel: RGB, alpha: float, behind: RGB) -> tuple[float, float, float]:
    r, g, b = (alpha * p + (1 - alpha) * q for p, q in zip(panel, behind, strict=True))
    return r, g, b


def worst_contrast(text: RGB, panel: RGB, alpha: float) -> float:
    """The lowest contrast of `text` on the panel over any picture.

    Blending is linear per channel and luminance rises with every channel, so the panel's
    luminance over any picture lies between its luminance over black and over white; the text
    must sit on one side of that whole range (else some picture makes the ratio 1).
    """
    lt = relative_luminance(text)
    lows = relative_luminance(_over(panel, alpha, (0, 0, 0)))
    highs = relative_luminance(_over(panel, alpha, (255, 255, 255)))
    if lows <= lt <= highs:
        return 1.0
    if lt > highs:
        return (lt + 0.05) / (highs + 0.05)
    return (lows + 0.05) / (lt + 0.05)


def legible_panel(text: RGB, panel: RGB, alpha: float, min_ratio: float) -> RGB:
    """`panel` unchanged if `text` keeps `min_ratio` on it over any picture; else the least
    shade of it towards black or white that does (pure black or white if nothing less does)."""
    target = min_ratio * CONTRAST_HEADROOM
    if worst_contrast(text, panel, alpha) >= target:
        return panel
    ends: list[RGB] = [(0, 0, 0), (255, 255, 255)]
    end = max(ends, key=lambda e: worst_contrast(text, e, alpha))

    def shade(t: float) -> RGB:
        r, g, b = (round(p + (q - p) * t) for p, q in zip(panel, end, strict=True))
        return r, g, b

    if worst_contrast(text, end, alpha) < target:
        return end
    lo, hi = 0.0, 1.0
    for _ in range(20):
        mid = (lo + hi) / 2
        if worst_contrast(text, shade(mid), alpha) >= target:
            hi = mid
        else:
            lo = mid
    return shade(hi)


# -- text blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextBlock:
    """Lines of text in one font size, and the size of the panel they sit on."""

    lines: tuple[str, ...]
    font_px: int
    weight: int
    pad: int
    width: int
    height: int


def measure(look: Look, lines: list[str], font_px: int, weight: int) -> TextBlock:
    """The panel size of `lines` at `font_px` (padding a third of the font size)."""
    face = font(look.font.path, font_px, weight)
    ascent, descent = face.getmetrics()
    line_h = round((ascent + descent) * LINE_SPACING)
    pad = max(2, font_px // 3)
    widest = max((math.ceil(face.getlength(line)) for line in lines), default=0)
    return TextBlock(
        lines=tuple(lines),
        font_px=font_px,
        weight=weight,
        pad=pad,
        width=widest + 2 * pad,
        height=line_h * len(lines) + 2 * pad,
    )


def title_px(look: Look) -> int:
    """The title's font size: 7.5 % of the short side (8.5 % on portrait frames)."""
    short = min(look.width, look.height)
    return max(12, round(short * (0.075 if look.width >= look.height else 0.085)))


def fit_title(look: Look, text: str, max_width: int) -> TextBlock:
    """The title wrapped into `max_width`: at full size in at most three lines, else smaller
    (down to TITLE_MIN_SCALE), and at that size in as many lines as it needs (never cut)."""
    full = title_px(look)
    smallest = max(10, round(full * TITLE_MIN_SCALE))
    size = full
    while True:
        block = _wrapped(look, text, size, 700, max_width)
        if (len(block.lines) <= TITLE_MAX_LINES and block.width <= max_width) or size <= smallest:
            return block
        size = max(smallest, round(size * 0.92))


def _wrapped(look: Look, text: str, size: int, weight: int, max_width: int) -> TextBlock:
    pad = max(2, size // 3)
    lines = wrap(text, font(look.font.path, size, weight), max_width - 2 * pad)
    return measure(look, lines, size, weight)


def caption_block(look: Look, lines: list[str], font_px: int, max_width: int) -> TextBlock:
    """A caption's panel; the font shrinks if a line is wider than `max_width`."""
    size = font_px
    block = measure(look, lines, size, 600)
    while block.width > max_width and size > 10:
        size = max(10, math.floor(size * max_width / block.width))
        block = measure(look, lines, size, 600)
        if size == 10:
            break
    return block


# -- drawing -------------------------------------------------------------------------------


def title_colors(look: Look) -> tuple[RGB, RGB]:
    """(text, panel) colours of titles: the brand's, the panel shaded if it must be."""
    text = _rgb(look.text_color)[:3]
    panel = _rgb(look.primary_color)[:3]
    return text, legible_panel(text, panel, TITLE_PANEL_ALPHA / 255, TITLE_MIN_CONTRAST)


def caption_colors() -> tuple[RGB, RGB]:
    """(text, panel) colours of captions."""
    text, panel = _rgb(CAPTION_TEXT)[:3], _rgb(CAPTION_PANEL)[:3]
    return text, legible_panel(text, panel, CAPTION_PANEL_ALPHA / 255, CAPTION_MIN_CONTRAST)


def draw_block(
    look: Look, block: TextBlock, cache: Path, *, text: RGB, panel: RGB, alpha: int, x: int, y: int
) -> Placed:
    """The block's panel with its lines centred on it, as a PNG placed at (x, y)."""
    key = _key("text", look.font.hash, block, text, panel, alpha)

    def draw() -> Image.Image:
        face = font(look.font.path, block.font_px, block.weight)
        ascent, descent = face.getmetrics()
        line_h = round((ascent + descent) * LINE_SPACING)
        img = Image.new("RGBA", (block.width, block.height), (0, 0, 0, 0))
        canvas = ImageDraw.Draw(img)
        canvas.rounded_rectangle(
            (0, 0, block.width - 1, block.height - 1),
            radius=block.pad // 2,
            fill=(*panel, alpha),
        )
        for i, line in enumerate(block.lines):
            lx = (block.width - math.ceil(face.getlength(line))) // 2
            canvas.text((lx, block.pad + i * line_h), line, font=face, fill=(*text, 255))
        return img

    return Placed(_cached(cache, key, draw), x, y, block.width, block.height)
