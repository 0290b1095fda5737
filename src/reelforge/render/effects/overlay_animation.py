"""How the product overlay enters: fade, zoom, slide, or none.

The animation starts `DELAY` seconds into the scene and lasts `DURATION`; times are written
against the scene-local clock (stream time minus the fixed offset `PTS_OFFSET`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reelforge.graph import Filter

DELAY = 0.3
DURATION = 0.6


@dataclass(frozen=True)
class OverlayAnimation:
    kind: str  # fade | zoom | slide | none
    start: float  # stream time (seconds) at which the scene's local clock is DELAY

    def on_layer(self, width: int, height: int, retime: list[Filter]) -> list[Filter]:
        """Filters on the overlay's own stream (alpha fade, zoom).

        `retime` restores the stream's timestamps after a filter (zoompan) that resets them.
        """
        if self.kind == "fade":
            return [Filter.of("fade", t="in", st=self.start, d=DURATION, alpha=1)]
        if self.kind == "zoom":
            # Grow from half size to full around the centre while fading in.
            p = self._progress("it")
            return [
                Filter.of(
                    "pad", w=width * 2, h=height * 2, x=width // 2, y=height // 2, color="black@0"
                ),
                Filter.of(
                    "zoompan",
                    z=f"1+{p}",
                    x="(iw-iw/zoom)/2",
                    y="(ih-ih/zoom)/2",
                    d=1,
                    s=f"{width}x{height}",
                ),
                *retime,
                Filter.of("fade", t="in", st=self.start, d=DURATION / 2, alpha=1),
            ]
        return []

    def position(
        self, x: int, y: int, frame_w: int, frame_h: int, width: int, height: int, column: str
    ) -> tuple[str, str]:
        """The overlay filter's x and y expressions."""
        if self.kind != "slide":
            return str(x), str(y)
        ease = f"(1-pow(1-{self._progress('t')},3))"
        if column == "left":
            return f"{-width}+({x + width})*{ease}", str(y)
        if column == "right":
            return f"{frame_w}-({frame_w - x})*{ease}", str(y)
        return str(x), f"{frame_h}-({frame_h - y})*{ease}"

    def _progress(self, clock: str) -> str:
        return f"clip(({clock}-{self.start:.6f})/{DURATION},0,1)"
