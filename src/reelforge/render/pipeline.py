"""Render a project: plan → audio → chunks (engine) → assemble → MP4, SRT, VTT, poster.

There is one renderer: a whole-video render is the one-chunk case of the chunked path, and a
still frame is a one-frame chunk written as PNG.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reelforge.config import get_settings
from reelforge.delivery.ladder import RenderedChunk
from reelforge.delivery.outputs import Delivered, FinishedRender, deliver
from reelforge.errors import RenderCancelled
from reelforge.ffmpeg import ffmpeg_argv, run
from reelforge.files import atomic_output
from reelforge.render.chunks import Chunk, Encoder, chunk_spec, plan_chunks
from reelforge.render.compile import compile_chunk, require_tone_mapping
from reelforge.render.concat import AAC_SETTINGS, PREVIEW_AAC_SETTINGS, assemble, encode_audio
from reelforge.render.soundtrack import build_soundtrack
from reelforge.render.store import ChunkStore
from reelforge.render.worker import ChunkResult
from reelforge.spec.models import Project
from reelforge.timeline.assets import AssetResolver
from reelforge.timeline.model import Timeline
from reelforge.timeline.resolve import Narrator, resolve_timeline

PHASE_WEIGHTS = {"plan": 0.05, "audio": 0.10, "render": 0.80, "assemble": 0.05}


@dataclass(frozen=True)
class Progress:
    """One progress event."""

    phase: str  # plan | audio | render | assemble | done
    chunks_done: int
    chunks_total: int
    percent: float
    eta_seconds: float | None
    chunks_cached: int = 0


@dataclass(frozen=True)
class RenderOptions:
    preview: bool = False
    chunk_seconds: float | None = None  # None: settings default; 0: one chunk
    workers: int | None = None
    ray_address: str | None = None
    use_ray: bool = False
    cache_dir: Path | None = None
    lossless: bool = False  # tests only: lossless x264 so frames can be compared exactly
    fit_speech: bool = False
    voices_dir: Path | None = None
    quality: str | None = None  # overrides the document's output.quality (benchmarks)


@dataclass(frozen=True)
class RenderResult:
    video: Path
    srt: Path
    vtt: Path
    poster: Path
    frames: int
    duration: float
    chunks_rendered: int
    chunks_cached: int
    chunk_nodes: tuple[str, ...] = ()
    delivered: Delivered | None = None  # the other outputs (HLS, WebM, GIF, MP3), if any


def _cache_dir(options: RenderOptions) -> Path:
    path = options.cache_dir or get_settings().cache_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_narrator(cache_dir: Path, voices_dir: Path | None = None) -> Narrator:
    from reelforge.timeline.narration import PiperNarrator

    return PiperNarrator(cache_dir=cache_dir, voices_dir=voices_dir or get_settings().voices_dir)


class _Reporter:
    def __init__(self, callback: Callable[[Progress], None] | None) -> None:
        self.callback = callback
        self.started = time.monotonic()
        self.done = 0
        self.total = 0
        self.cached = 0

    def emit(self, phase: str, fraction: float = 0.0) -> None:
        if self.callback is None:
            return
        before = 0.0
        for name, weight in PHASE_WEIGHTS.items():
            if name == phase:
                break
            before += weight
        percent = 100.0 if phase == "done" else 100 * (before + PHASE_WEIGHTS[phase] * fraction)
        elapsed = time.monotonic() - self.started
        eta = elapsed * (100 - percent) / percent if percent > 1 else None
        self.callback(
            Progress(
                phase=phase,
                chunks_done=self.done,
                chunks_total=self.total,
                percent=round(percent, 2),
                eta_seconds=eta,
                chunks_cached=self.cached,
            )
        )


def resolve_project(
    project: Project,
    *,
    resolver: AssetResolver,
    options: RenderOptions,
    narrator: Narrator | None = None,
    cancel: threading.Event | None = None,
) -> Timeline:
    """The timeline a render with these options would use (`cancel` is checked per scene)."""
    cache = _cache_dir(options)
    timeline = resolve_timeline(
        project,
        resolver=resolver,
        narrator=narrator or default_narrator(cache, options.voices_dir),
        preview=options.preview,
        fit_speech=options.fit_speech,
        max_pixels=get_settings().max_image_pixels,
        on_scene=(lambda _done, _total: _check(cancel)) if cancel is not None else None,
    )
    require_tone_mapping(timeline)
    return timeline


def plan_render(
    project: Project,
    *,
    resolver: AssetResolver,
    options: RenderOptions,
    narrator: Narrator | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Timeline, list[Chunk]]:
    """The timeline and the chunks a render with these options would use."""
    timeline = resolve_project(
        project, resolver=resolver, options=options, narrator=narrator, cancel=cancel
    )
    settings = get_settings()
    chunk_seconds = (
        settings.chunk_seconds if options.chunk_seconds is None else options.chunk_seconds
    )
    return timeline, plan_chunks(
        timeline, chunk_seconds=chunk_seconds, encoder=render_encoder(project, options)
    )


def render_encoder(project: Project, options: RenderOptions) -> Encoder:
    """The x264 settings of a render: the options' quality, else the document's."""
    return Encoder.for_render(
        preview=options.preview,
        lossless=options.lossless,
        quality=options.quality or project.output.quality,
    )


def render_project(
    project: Project,
    *,
    resolver: AssetResolver,
    out: Path,
    options: RenderOptions,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    narrator: Narrator | None = None,
    outputs: Sequence[Path] = (),
) -> RenderResult:
    """Render the project to `out` (MP4) plus `out.srt`, `out.vtt` and `out.poster.jpg`, and
    to each of `outputs` in the format its extension names (reelforge.delivery)."""
    from reelforge.audio.captions import write_srt, write_vtt
    from reelforge.audio.tts import Cue
    from reelforge.engine import make_engine

    cancel = cancel or threading.Event()
    cache = _cache_dir(options)
    report = _Reporter(on_progress)
    report.emit("plan")
    timeline, chunks = plan_render(
        project, resolver=resolver, options=options, narrator=narrator, cancel=cancel
    )
    settings = get_settings()
    store = ChunkStore(cache)
    store.mark_used([c.key for c in chunks])  # before deciding: a budget pass then keeps them
    todo = [c for c in chunks if not store.has(c.key)]
    report.total, report.cached = len(chunks), len(chunks) - len(todo)
    report.done = report.cached
    _check(cancel)

    with tempfile.TemporaryDirectory(prefix="reelforge-") as tmp:
        work = Path(tmp)
        report.emit("audio")
        audio = build_soundtrack(timeline, out=work / "mix.wav", cache_dir=cache, cancel=cancel)
        _check(cancel)
        report.emit("render", report.done / max(1, report.total))

        def landed(result: ChunkResult) -> None:
            report.done += 1
            report.emit("render", report.done / max(1, report.total))

        nodes: tuple[str, ...] = ()
        if todo:
            engine = make_engine(
                workers=options.workers or settings.workers,
                ray_address=options.ray_address or settings.ray_address,
                use_ray=options.use_ray,
            )
            try:
                results = engine.run(
                    [c.spec for c in todo], cache_dir=cache, on_done=landed, cancel=cancel
                )
            finally:
                engine.close()
            nodes = tuple(r.node for r in results)
        report.emit("assemble")
        assemble(
            [(store.path(c.key), c.frames) for c in chunks],
            fps=timeline.fps,
            audio=audio,
            out=out,
            work_dir=work,
            cache_dir=cache,
            cancel=cancel,
            aac_settings=PREVIEW_AAC_SETTINGS if options.preview else AAC_SETTINGS,
        )
        delivered = None
        if outputs:
            finished = FinishedRender(
                video=out,
                chunks=tuple(RenderedChunk(store.path(c.key), c.frames, c.key) for c in chunks),
                size=(timeline.look.width, timeline.look.height),
                fps=timeline.fps,
                duration=timeline.duration,
                encoder=render_encoder(project, options),
                aac=encode_audio(audio, cache_dir=cache, cancel=cancel),
                mix=audio,
            )
            delivered = deliver(
                finished,
                outputs,
                cache_dir=cache,
                work_dir=work,
                workers=options.workers or settings.workers or os.cpu_count() or 1,
                cancel=cancel,
            )
    srt, vtt = out.with_suffix(".srt"), out.with_suffix(".vtt")
    cues = [Cue(start=a, end=b, text=t) for a, b, t in timeline.caption_cues()]
    write_srt(cues, srt)
    write_vtt(cues, vtt)
    poster = out.with_suffix(".poster.jpg")
    _poster(out, poster, min(timeline.duration / 2, 1.5))
    report.emit("done", 1.0)
    return RenderResult(
        video=out,
        srt=srt,
        vtt=vtt,
        poster=poster,
        frames=timeline.total_frames,
        duration=timeline.duration,
        chunks_rendered=len(todo),
        chunks_cached=len(chunks) - len(todo),
        chunk_nodes=nodes,
        delivered=delivered,
    )


def _check(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise RenderCancelled("render cancelled")


def _poster(video: Path, out: Path, at: float) -> None:
    with atomic_output(out) as temp:
        run(ffmpeg_argv("-ss", f"{at:.3f}", "-i", str(video), "-frames:v", "1", "-q:v", "3",
                        str(temp)))  # fmt: skip


def render_still(
    project: Project,
    *,
    resolver: AssetResolver,
    at: float,
    out: Path,
    cache_dir: Path | None = None,
    preview: bool = False,
    narrator: Narrator | None = None,
) -> Path:
    """The frame at `at` seconds as a PNG, rendered alone (no frames before it)."""
    options = RenderOptions(preview=preview, cache_dir=cache_dir)
    timeline = resolve_project(project, resolver=resolver, options=options, narrator=narrator)
    frame = min(max(0, int(at * timeline.fps + 1e-6)), timeline.total_frames - 1)
    spec = chunk_spec(timeline, frame, frame + 1, Encoder.for_render(preview=preview))
    cache = _cache_dir(options)
    compiled = compile_chunk(spec, cache=cache)
    with atomic_output(out) as temp:
        run(compiled.argv(temp, spec, still=True))
    return out
