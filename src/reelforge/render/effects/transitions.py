"""Transitions into the next scene, centred on the cut, as FFmpeg `xfade` modes."""

from __future__ import annotations

from reelforge.graph import Filter

XFADE_MODES = {
    "crossfade": "fade",
    "fade-black": "fadeblack",
    "slide-left": "slideleft",
    "wipe": "wipeleft",
}


def transition_filter(kind: str, *, frames: int, offset_frames: int, fps: int) -> Filter:
    """Blend the end of one stream into the start of the next over `frames` frames."""
    return Filter.of(
        "xfade", transition=XFADE_MODES[kind], duration=frames / fps, offset=offset_frames / fps
    )
