"""Cut a timeline into chunks, and describe each chunk position-independently.

A chunk covers timeline frames [start, end) inside one scene. Its `ChunkSpec` names what the
frames show (scene contents, scene-local frame numbers, transitions) but not where the chunk
sits in the video, so its key survives edits to other scenes and reordering. A transition is
always rendered whole: a chunk that touches one renders it from its first frame (pre-roll) to
its last (post-roll) and trims, so the frames match a one-chunk render exactly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path

from reelforge.timeline.model import Asset, Look, SceneContent, Timeline

RENDERER_VERSION = "reelforge-render-2"


@cache
def renderer_version() -> str:
    """The renderer's version for cache keys: the name above plus a hash of the code that
    decides a chunk's pixels, so a change to it can never serve stale chunks from a cache."""
    import reelforge.graph as graph_module
    import reelforge.pictures as pictures_module
    import reelforge.render as render_package

    render_dir = Path(render_package.__file__).parent
    files = sorted(
        [
            Path(graph_module.__file__),
            Path(pictures_module.__file__),
            *render_dir.glob("*.py"),
            *render_dir.glob("effects/*.py"),
        ]
    )
    pixel_code = [f for f in files if f.stem not in _NOT_PIXELS]
    digest = hashlib.sha256()
    for path in pixel_code:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{RENDERER_VERSION}-{digest.hexdigest()[:16]}"


# Modules that schedule, store or join chunks but never change a pixel.
_NOT_PIXELS = frozenset({"__init__", "pipeline", "worker", "store", "concat", "soundtrack", "hls"})


def _keyable(value: object) -> object:
    """The spec as plain data for hashing: an asset by its content hash only, never its path."""
    if isinstance(value, Asset):
        return {"asset": value.hash}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _keyable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_keyable(v) for v in value]
    return value


@dataclass(frozen=True)
class Encoder:
    """x264 settings shared by every chunk of a render (so stream copy can join them)."""

    preset: str = "veryfast"
    crf: int = 18
    lossless: bool = False
    gop_seconds: float = 2.0

    @classmethod
    def for_render(
        cls, *, preview: bool, lossless: bool = False, quality: str = "standard"
    ) -> Encoder:
        """The encoder for a render: a preview is always `draft`; tests may ask for lossless."""
        if lossless:
            return cls(preset="ultrafast", crf=0, lossless=True)
        preset, crf = QUALITY_PRESETS["draft" if preview else quality]
        return cls(preset=preset, crf=crf)


# output.quality → (x264 preset, CRF), chosen by measurement: docs/benchmarks.md, bench/quality.py.
QUALITY_PRESETS: dict[str, tuple[str, int]] = {
    "draft": ("ultrafast", 28),
    "standard": ("veryfast", 18),
    "high": ("medium", 18),
}


@dataclass(frozen=True)
class Segment:
    """Scene-local frames [first, first + count) of one scene's content."""

    content: SceneContent
    first: int
    count: int


@dataclass(frozen=True)
class Join:
    """How segment i joins segment i+1: a cut, or a transition overlapping `frames` frames."""

    kind: str
    frames: int


@dataclass(frozen=True)
class ChunkSpec:
    """Everything that decides a chunk's pixels; `key()` is its cache key."""

    look: Look
    segments: tuple[Segment, ...]
    joins: tuple[Join, ...]
    trim: int  # frames to drop at the start (pre-roll)
    frames: int  # frames the chunk keeps
    encoder: Encoder

    def key(self) -> str:
        """Hash of the spec, its assets' content hashes and the renderer version (not the
        assets' paths: the same picture in another folder is the same chunk)."""
        data = {"spec": _keyable(self), "renderer": renderer_version()}
        blob = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    def assets(self) -> list[Asset]:
        """Every file the chunk reads (deduplicated by content hash)."""
        found: dict[str, Asset] = {self.look.font.hash: self.look.font}
        if self.look.logo:
            found[self.look.logo.hash] = self.look.logo
        for seg in self.segments:
            visual = seg.content.visual
            for a in (
                getattr(visual, "image", None),
                getattr(visual, "video", None),
                seg.content.overlay.image if seg.content.overlay else None,
            ):
                if a is not None:
                    found[a.hash] = a
        return list(found.values())


@dataclass(frozen=True)
class Chunk:
    """A planned chunk: where it sits in this render, and its spec."""

    index: int
    start: int
    end: int
    spec: ChunkSpec = field(repr=False)

    @property
    def frames(self) -> int:
        return self.end - self.start

    @property
    def key(self) -> str:
        return self.spec.key()


def plan_chunks(
    timeline: Timeline, *, chunk_seconds: float | None, encoder: Encoder
) -> list[Chunk]:
    """Chunks aligned to scene boundaries, none longer than `chunk_seconds` (long scenes split).

    A transition is a chunk of its own, so a scene's other chunks show only that scene: an
    edit of one scene (or a batch row that changes one scene) re-renders that scene's chunks
    and the transitions into and out of it, never its neighbours. Split points inside a long
    scene are spaced evenly, so shortening a scene slightly changes only that scene's chunks.
    `chunk_seconds=None` (or 0) plans the one-chunk render.
    """
    if not chunk_seconds or chunk_seconds <= 0:
        spec = chunk_spec(timeline, 0, timeline.total_frames, encoder)
        return [Chunk(index=0, start=0, end=timeline.total_frames, spec=spec)]
    limit = max(1, round(chunk_seconds * timeline.fps))
    spans: list[tuple[int, int, bool]] = []  # (start, end, is a transition)
    for scene in timeline.scenes:
        spans.append((scene.start_frame, scene.end_frame, False))
    spans = _transitions_apart(timeline, spans)
    chunks: list[Chunk] = []
    for start, end, whole in spans:
        n = 1 if whole else max(1, -(-(end - start) // limit))
        cuts = [start + ((end - start) * i) // n for i in range(n + 1)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                chunks.append(
                    Chunk(
                        index=len(chunks), start=a, end=b, spec=chunk_spec(timeline, a, b, encoder)
                    )
                )
    return chunks


def _transitions_apart(
    timeline: Timeline, scenes: list[tuple[int, int, bool]]
) -> list[tuple[int, int, bool]]:
    """Scene spans with each transition region [cut - d//2, cut + d - d//2) cut out as a span of
    its own; the scene spans as given if regions would overlap (very short scenes)."""
    spans: list[tuple[int, int, bool]] = []
    position = 0
    for k, scene in enumerate(timeline.scenes):
        d = scene.transition_frames if k + 1 < len(timeline.scenes) else 0
        lo, hi = scene.end_frame - d // 2, scene.end_frame + d - d // 2
        if not d:
            lo = hi = scene.end_frame
        if lo < position or (
            k + 1 < len(timeline.scenes) and hi > timeline.scenes[k + 1].end_frame
        ):
            return scenes
        if lo > position:
            spans.append((position, lo, False))
        if hi > lo:
            spans.append((lo, hi, True))
        position = hi
    if position < timeline.total_frames:
        spans.append((position, timeline.total_frames, False))
    return spans


def chunk_spec(timeline: Timeline, start: int, end: int, encoder: Encoder) -> ChunkSpec:
    """The spec for timeline frames [start, end), across as many scenes as it spans."""
    if not 0 <= start < end <= timeline.total_frames:
        raise ValueError(f"chunk [{start}, {end}) is outside the timeline")
    scenes = timeline.scenes
    # Transition k joins scenes k and k+1 over timeline frames [cut - head, cut + tail).
    regions = []
    for k in range(len(scenes) - 1):
        d = scenes[k].transition_frames
        if d:
            cut = scenes[k].end_frame
            regions.append((cut - d // 2, cut + d - d // 2))
    a, b = start, end
    for lo, hi in regions:
        if lo < start < hi:
            a = min(a, lo)  # pre-roll: render the whole transition, then trim
        if lo < end < hi:
            b = max(b, hi)  # post-roll
    segments: list[Segment] = []
    joins: list[Join] = []
    for k, scene in enumerate(scenes):
        d_in = scenes[k - 1].transition_frames if k > 0 else 0
        d_out = scene.transition_frames if k + 1 < len(scenes) else 0
        lo = max(a, scene.start_frame - (d_in // 2))
        hi = min(b, scene.end_frame + d_out - d_out // 2)
        if lo >= hi:
            continue
        if segments:
            joins.append(Join(scenes[k - 1].transition, d_in))
        segments.append(Segment(content=scene.content, first=lo - scene.start_frame, count=hi - lo))
    return ChunkSpec(
        look=timeline.look,
        segments=tuple(segments),
        joins=tuple(joins),
        trim=start - a,
        frames=end - start,
        encoder=encoder,
    )
