"""The resolved timeline: plain frozen dataclasses, every time in frames.

A `SceneContent` holds everything that decides a scene's pixels and nothing about where the
scene sits in the video, so a chunk built from it is position independent. Assets appear by
content hash (`Asset.hash`); their paths are carried beside the hash but never hashed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    """A file by content hash. `path` is where this machine has it (not part of any key)."""

    hash: str
    path: str = field(compare=False)


@dataclass(frozen=True)
class StillVisual:
    """A still picture (image, solid colour or gradient), optionally with camera motion."""

    source: str  # "image" | "color" | "gradient"
    image: Asset | None = None
    fit: str = "cover"
    colors: tuple[str, ...] = ()
    angle: float = 0.0
    motion: str = "none"


@dataclass(frozen=True)
class VideoClip:
    """A video file played from `start`, looped or held on its last frame."""

    video: Asset
    start: float = 0.0
    loop: bool = True
    duration: float = 0.0
    fit: str = "cover"
    hdr: str = ""  # "pq" or "hlg": tone-mapped to SDR BT.709 when rendered


@dataclass(frozen=True)
class TitleLayer:
    text: str
    position: str = "bottom"


@dataclass(frozen=True)
class OverlayLayer:
    """The product image on the 3×3 grid."""

    image: Asset
    x: str = "center"
    y: str = "center"
    scale: float = 0.4
    animation: str = "fade"


@dataclass(frozen=True)
class CaptionCue:
    """A caption: scene-local frames [start, end) and its text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SceneContent:
    """What a scene shows, independent of its position in the video."""

    visual: StillVisual | VideoClip
    frames: int  # the scene's own length; camera motion spans it
    title: TitleLayer | None = None
    overlay: OverlayLayer | None = None
    captions: tuple[CaptionCue, ...] = ()


@dataclass(frozen=True)
class Look:
    """Output geometry and brand: shared by every chunk of a render."""

    width: int
    height: int
    fps: int
    font: Asset
    primary_color: str
    text_color: str
    logo: Asset | None = None


@dataclass(frozen=True)
class Narration:
    """A scene's synthesised speech."""

    path: Path | None
    duration: float
    cues: tuple[tuple[float, float, str], ...] = ()  # seconds relative to the speech start
    key: str = ""


@dataclass(frozen=True)
class TimelineScene:
    id: str
    index: int
    start_frame: int
    end_frame: int
    content: SceneContent
    transition: str  # into the next scene
    transition_frames: int
    narration: Narration | None = None
    video_audio: Asset | None = None  # a video visual's own sound, when not muted
    video_start: float = 0.0

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame


@dataclass(frozen=True)
class MusicBed:
    """The music under the video: generated (style, seed) or an own track."""

    volume: float
    ducking: bool
    style: str = "corporate"
    seed: int = 1
    track: Asset | None = None


@dataclass(frozen=True)
class Timeline:
    look: Look
    scenes: tuple[TimelineScene, ...]
    total_frames: int
    music: MusicBed | None = None
    captions_burned: bool = True
    title: str = ""

    @property
    def fps(self) -> int:
        return self.look.fps

    @property
    def duration(self) -> float:
        return self.total_frames / self.look.fps

    def caption_cues(self) -> list[tuple[float, float, str]]:
        """All captions in timeline seconds, in order (for SRT and WebVTT)."""
        out = []
        for scene in self.scenes:
            base = scene.start_frame / self.fps
            for cue in scene.content.captions:
                out.append((base + cue.start / self.fps, base + cue.end / self.fps, cue.text))
        return out
