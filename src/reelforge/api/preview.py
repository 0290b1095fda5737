"""Live preview: one background build per project, streamed as HLS as its chunks land.

A build resolves the project at preview settings (480p short side, 15 fps), mixes the sound
while the chunks render (in timeline order, through the chunk cache that renders share) and
turns each landed chunk, in order, into an MPEG-TS segment (render/hls.py). A request for a
newer revision supersedes the project's unfinished build: its cancel is set, which kills its
FFmpeg processes. Chunk encoders run at background priority (`render_chunk`), below edits and
still frames, which run in request threads at normal priority.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from reelforge.errors import NotFound, ReelforgeError, RenderCancelled, RenderError
from reelforge.render.hls import (
    AacTrack,
    SegmentSpec,
    media_playlist,
    mux_segment,
    segment_key,
)
from reelforge.spec.models import Project
from reelforge.timeline.assets import AssetResolver

logger = logging.getLogger("reelforge.api.preview")

KEPT_SEGMENT_KEYS = 4096  # per project: the URIs of recent builds that a player may still ask for


@dataclass
class PreviewBuild:
    """The preview of one revision of a project, built in a background thread."""

    project_id: str
    revision: int
    project: Project
    resolver: AssetResolver
    cache_dir: Path
    workers: int | None = None
    on_segment: Callable[[str], None] | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    segments: list[tuple[str, float]] = field(default_factory=list)
    planned: int | None = None  # segments the finished preview has (known once planned)
    target_seconds: float = 1.0
    error: ReelforgeError | None = None
    finished: bool = False
    started_at: float = field(default_factory=time.monotonic)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _thread: threading.Thread | None = None

    @property
    def complete(self) -> bool:
        return self.planned is not None and len(self.segments) == self.planned

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"preview-{self.project_id[:8]}", daemon=True
        )
        self._thread.start()

    def supersede(self) -> None:
        """Stop the unfinished work (kills its FFmpeg processes)."""
        self.cancel.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def wait(self, segments: int | None, timeout: float) -> None:
        """Until `segments` are listed (None: all of them), the build ends, or `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.finished:
                if segments is not None and len(self.segments) >= segments:
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._changed.wait(left)

    def playlist(self, prefix: str = "preview/") -> str:
        with self._changed:
            if self.error is not None:
                raise self.error
            listed = [(f"{prefix}{key}.ts", seconds) for key, seconds in self.segments]
            return media_playlist(
                listed, complete=self.complete, target_seconds=self.target_seconds
            )

    def _run(self) -> None:
        try:
            with tempfile.TemporaryDirectory(prefix="reelforge-preview-") as tmp:
                self._build(Path(tmp))
        except RenderCancelled:
            pass
        except ReelforgeError as exc:
            self.error = exc
        except Exception as exc:
            logger.exception("preview of %s failed", self.project_id)
            self.error = RenderError(f"the preview failed: internal error: {type(exc).__name__}")
        finally:
            with self._changed:
                self.finished = True
                self._changed.notify_all()

    def _build(self, work: Path) -> None:
        from reelforge.config import get_settings
        from reelforge.engine import make_engine
        from reelforge.render.chunks import Encoder, plan_chunks
        from reelforge.render.concat import PREVIEW_AAC_SETTINGS, encode_audio
        from reelforge.render.pipeline import RenderOptions, resolve_project
        from reelforge.render.soundtrack import build_soundtrack
        from reelforge.render.store import ChunkStore
        from reelforge.render.worker import ChunkResult

        settings = get_settings()
        options = RenderOptions(preview=True, cache_dir=self.cache_dir)
        timeline = resolve_project(self.project, resolver=self.resolver, options=options)
        chunks = plan_chunks(
            timeline,
            chunk_seconds=settings.chunk_seconds,
            encoder=Encoder.for_render(preview=True),
        )
        fps = timeline.fps
        specs = [SegmentSpec(c.key, c.start, c.end, fps) for c in chunks]
        with self._changed:
            self.target_seconds = max(s.duration for s in specs)
            self.planned = len(specs)
            self._changed.notify_all()
        store = ChunkStore(self.cache_dir)
        landed = {s.chunk_key for s in specs if store.has(s.chunk_key)}
        lock = threading.Lock()
        audio: Future[AacTrack] = Future()

        def advance() -> None:
            """Mux every landed chunk whose turn has come (in timeline order)."""
            with lock:
                if not audio.done() or audio.exception() is not None:
                    return
                track = audio.result()
                while len(self.segments) < len(specs):
                    spec = specs[len(self.segments)]
                    if spec.chunk_key not in landed or self.cancel.is_set():
                        return
                    i = len(self.segments)
                    end = None if i + 1 == len(specs) else Fraction(spec.end, fps)
                    packets = track.slice(Fraction(spec.start, fps), end)
                    key = segment_key(spec, packets)
                    path = segment_path(self.cache_dir, key)
                    if not path.is_file():
                        mux_segment(
                            spec,
                            chunk=store.path(spec.chunk_key),
                            audio=track,
                            packets=packets,
                            out=path,
                        )
                    if self.on_segment is not None:
                        self.on_segment(key)
                    with self._changed:
                        self.segments.append((key, spec.duration))
                        self._changed.notify_all()

        def mix() -> None:
            try:
                wav = build_soundtrack(
                    timeline, out=work / "mix.wav", cache_dir=self.cache_dir, cancel=self.cancel
                )
                aac = encode_audio(wav, cache_dir=self.cache_dir, cancel=self.cancel,
                                   settings=PREVIEW_AAC_SETTINGS)  # fmt: skip
                audio.set_result(AacTrack.read(aac))
            except BaseException as exc:
                audio.set_exception(exc)

        def chunk_done(result: ChunkResult) -> None:
            with lock:
                landed.add(result.key)
            advance()

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview-mix") as pool:
            pool.submit(mix)
            todo = list({s.chunk_key: c.spec for s, c in zip(specs, chunks, strict=True)
                         if s.chunk_key not in landed}.values())  # fmt: skip
            if todo and not self.cancel.is_set():  # superseded while resolving: start nothing
                engine = make_engine(workers=self.workers or settings.workers)
                try:
                    engine.run(todo, cache_dir=self.cache_dir, on_done=chunk_done,
                               cancel=self.cancel)  # fmt: skip
                finally:
                    engine.close()
            track_error = audio.exception()  # waits for the mix
        if track_error is not None:
            raise track_error
        advance()
        if self.cancel.is_set():
            raise RenderCancelled("the preview was superseded")


def segment_path(cache_dir: Path, key: str) -> Path:
    """Where a preview segment lives in the cache (content-addressed)."""
    return cache_dir.resolve() / "preview" / key[:2] / f"{key}.ts"


class PreviewService:
    """The builds of this server process: one current build per project."""

    def __init__(self, *, workers: int | None = None) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._builds: dict[str, PreviewBuild] = {}
        self._keys: dict[str, dict[str, None]] = {}  # project -> recent segment keys (ordered)

    def build(
        self,
        *,
        project_id: str,
        revision: int,
        project: Project,
        resolver: AssetResolver,
        cache_dir: Path,
    ) -> PreviewBuild:
        """The build of `revision` (or a newer one already under way), started if need be;
        an older unfinished build of the project is superseded."""
        with self._lock:
            current = self._builds.get(project_id)
            failed = current is not None and current.finished and current.error is not None
            if current is not None and current.revision >= revision and not failed:
                return current  # a failed build is tried again (its input may be fixed by now)
            if current is not None:
                current.supersede()
            build = PreviewBuild(
                project_id=project_id,
                revision=revision,
                project=project,
                resolver=resolver,
                cache_dir=cache_dir,
                workers=self.workers,
                on_segment=lambda key: self._remember(project_id, key),
            )
            self._builds[project_id] = build
        build.start()
        return build

    def _remember(self, project_id: str, key: str) -> None:
        with self._lock:
            keys = self._keys.setdefault(project_id, {})
            keys.pop(key, None)
            keys[key] = None
            while len(keys) > KEPT_SEGMENT_KEYS:
                del keys[next(iter(keys))]

    def segment(self, *, project_id: str, key: str, cache_dir: Path) -> Path:
        """The file of a segment this project's previews listed; NotFound otherwise."""
        with self._lock:
            known = key in self._keys.get(project_id, {})
        path = segment_path(cache_dir, key)
        if not known or not path.is_file():
            raise NotFound("no such preview segment")
        return path

    def stop(self, timeout: float = 10.0) -> None:
        """Supersede every build and wait for them to end (used on shutdown)."""
        with self._lock:
            builds = list(self._builds.values())
        for build in builds:
            build.supersede()
        deadline = time.monotonic() + timeout
        for build in builds:
            build.join(max(0.0, deadline - time.monotonic()))
