"""Camera motion on a still (Ken Burns): zoom-in, zoom-out, pan-left, pan-right.

The still is drawn at 2× (layers.MOTION_SUPERSAMPLE) and cropped by `zoompan`, whose crop
origin is whole pixels of that 2× image: half-pixel steps at the output, so motion is smooth.
The camera's position depends only on the scene-local frame number, so any chunk of the scene
shows the same pixels for the same frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelforge.graph import Filter

ZOOM = 0.12  # how far a zoom or pan moves in: 12% of the frame


@dataclass(frozen=True)
class Motion:
    kind: str  # none | zoom-in | zoom-out | pan-left | pan-right
    scene_frames: int
    first: int  # scene-local frame of the first input frame

    def filters(self, width: int, height: int, fps: int) -> list[Filter]:
        if self.kind == "none":
            return []
        span = max(1, self.scene_frames - 1)
        p = f"clip((in+{self.first})/{span},0,1)"
        z = {
            "zoom-in": f"1+{ZOOM}*{p}",
            "zoom-out": f"{1 + ZOOM}-{ZOOM}*{p}",
        }.get(self.kind, f"{1 + ZOOM}")
        x = {
            "pan-left": f"(iw-iw/zoom)*(1-{p})",
            "pan-right": f"(iw-iw/zoom)*{p}",
        }.get(self.kind, "(iw-iw/zoom)/2")
        y = "(ih-ih/zoom)/2"
        return [Filter.of("zoompan", z=z, x=x, y=y, d=1, s=f"{width}x{height}", fps=fps)]
