"""Render a template once per row, sharing every piece of work the rows have in common.

1. Each row's values are substituted into the template and its timeline is planned (speech is
   synthesised here, once per distinct text and voice: the speech cache is keyed by them).
2. The chunks missing from the cache, over all rows, go to one engine run, once per distinct
   chunk key: a scene that does not depend on a row's values renders once for the batch, and
   the rows' chunks together keep every worker (local pool or Ray) busy.
3. Each row is then finished by the ordinary render (`render_project`), which finds its chunks
   in the cache: the audio mix (music cached by style and seed), the join, captions, poster.

A row that fails (a bad value, a missing file, a failing chunk) fails alone with one line naming
the row and the field or file; the others go on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reelforge.batch.rows import Row, RowResult
from reelforge.config import get_settings
from reelforge.errors import ReelforgeError, RenderCancelled
from reelforge.render.chunks import ChunkSpec
from reelforge.render.pipeline import (
    RenderOptions,
    default_narrator,
    plan_render,
    render_project,
)
from reelforge.render.store import ChunkStore
from reelforge.spec import check_template, parse_project
from reelforge.spec.models import Project
from reelforge.timeline.assets import AssetResolver
from reelforge.timeline.resolve import Narrator


@dataclass(frozen=True)
class BatchProgress:
    """One progress event of a batch."""

    rows_done: int
    rows_failed: int
    rows_total: int
    chunks_done: int
    chunks_total: int
    percent: float
    eta_seconds: float | None


@dataclass
class _Planned:
    row: Row
    project: Project
    seconds: float


class _Reporter:
    def __init__(self, rows: int, callback: Callable[[BatchProgress], None] | None) -> None:
        self.callback = callback
        self.started = time.monotonic()
        self.rows_total = rows
        self.rows_done = 0
        self.rows_failed = 0
        self.chunks_done = 0
        self.chunks_total = 0
        self.lock = threading.Lock()

    def emit(self) -> None:
        if self.callback is None:
            return
        # a row's finish (mix, join, poster) weighs about as much as one chunk
        units = self.chunks_total + self.rows_total
        done = self.chunks_done + self.rows_done
        percent = 100.0 * done / units if units else 100.0
        elapsed = time.monotonic() - self.started
        eta = elapsed * (100 - percent) / percent if percent > 1 else None
        self.callback(
            BatchProgress(
                rows_done=self.rows_done,
                rows_failed=self.rows_failed,
                rows_total=self.rows_total,
                chunks_done=self.chunks_done,
                chunks_total=self.chunks_total,
                percent=round(percent, 2),
                eta_seconds=eta,
            )
        )


def render_batch(
    template: Mapping[str, Any],
    rows: Sequence[Row],
    *,
    resolver: AssetResolver,
    out_dir: Path,
    options: RenderOptions,
    on_progress: Callable[[BatchProgress], None] | None = None,
    on_row: Callable[[Row, RowResult], None] | None = None,
    cancel: threading.Event | None = None,
    narrator: Narrator | None = None,
) -> list[RowResult]:
    """Render `template` once per row to `out_dir/<row id>.mp4` (+ `.srt`, `.vtt`, poster).

    Returns one result per row, in row order. A bad template raises ProjectError before any
    work; a bad row is a failed result. RenderCancelled propagates.
    """
    cancel = cancel or threading.Event()
    check_template(dict(template))
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = get_settings()
    cache = options.cache_dir or settings.cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    options = replace(options, cache_dir=cache)
    narrator = narrator or default_narrator(cache, options.voices_dir)
    report = _Reporter(len(rows), on_progress)
    results: dict[int, RowResult] = {}

    def failed(row: Row, exc: ReelforgeError, started: float) -> None:
        result = RowResult(
            id=row.id,
            status="failed",
            error=f"{row.label}: {exc}",
            seconds=time.monotonic() - started,
        )
        with report.lock:
            results[row.number] = result
            report.rows_done += 1
            report.rows_failed += 1
        if on_row is not None:
            on_row(row, result)
        report.emit()

    # 1. substitute and plan every row
    planned: list[_Planned] = []
    missing: dict[str, ChunkSpec] = {}
    store = ChunkStore(cache)
    report.emit()
    for row in rows:
        _check(cancel)
        started = time.monotonic()
        try:
            project = parse_project(dict(template), row.values)
            _, chunks = plan_render(project, resolver=resolver, options=options, narrator=narrator)
        except RenderCancelled:
            raise
        except ReelforgeError as exc:
            failed(row, exc, started)
            continue
        for chunk in chunks:
            if chunk.key not in missing and not store.has(chunk.key):
                missing[chunk.key] = chunk.spec
        planned.append(_Planned(row=row, project=project, seconds=time.monotonic() - started))
    report.chunks_total = len(missing)
    report.emit()

    # 2. every missing chunk of every row, once, on one engine
    _render_chunks(list(missing.values()), options=options, cache=cache, report=report,
                   cancel=cancel)  # fmt: skip

    # 3. finish each row; the first alone, so the rows after it reuse its music and mix
    def finish(item: _Planned) -> None:
        if cancel.is_set():
            return
        started = time.monotonic()
        out = out_dir / f"{item.row.id}.mp4"
        try:
            render_project(
                item.project,
                resolver=resolver,
                out=out,
                options=options,
                cancel=cancel,
                narrator=narrator,
            )
        except RenderCancelled:
            return
        except ReelforgeError as exc:
            failed(item.row, exc, started - item.seconds)
            return
        result = RowResult(
            id=item.row.id,
            status="succeeded",
            output=out.name,
            seconds=item.seconds + time.monotonic() - started,
        )
        with report.lock:
            results[item.row.number] = result
            report.rows_done += 1
        if on_row is not None:
            on_row(item.row, result)
        report.emit()

    if planned:
        finish(planned[0])
    threads = max(1, min(options.workers or settings.workers or 2, len(planned)))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="batch-row") as pool:
        list(pool.map(finish, planned[1:]))
    _check(cancel)
    return [results[row.number] for row in rows]


def _render_chunks(
    specs: list[ChunkSpec],
    *,
    options: RenderOptions,
    cache: Path,
    report: _Reporter,
    cancel: threading.Event,
) -> None:
    """Render the specs on one engine. A chunk that fails after its retries is left for its
    rows' own renders to try again, so that only those rows fail."""
    if not specs:
        return
    from reelforge.engine import make_engine

    settings = get_settings()
    engine = make_engine(
        workers=options.workers or settings.workers,
        ray_address=options.ray_address or settings.ray_address,
        use_ray=options.use_ray,
    )

    def landed(_: object) -> None:
        with report.lock:
            report.chunks_done += 1
        report.emit()

    try:
        engine.run(specs, cache_dir=cache, on_done=landed, cancel=cancel)
    except RenderCancelled:
        raise
    except ReelforgeError:
        pass  # the rows that need the failed chunk render it again and fail with its reason
    finally:
        engine.close()


def _check(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise RenderCancelled("batch cancelled")
