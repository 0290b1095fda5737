"""Terminal progress bars for render events (phase, chunks done/total, ETA) and batches."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelforge.batch.run import BatchProgress
    from reelforge.render.pipeline import Progress


class ProgressBar:
    """Draws a rich progress bar on stderr when enabled; otherwise does nothing."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: object | None = None
        self._task: Any = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            progress = Progress(
                TextColumn("{task.fields[phase]:<9}"),
                BarColumn(),
                TextColumn("{task.percentage:>5.1f}%"),
                TextColumn("chunks {task.fields[chunks]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            progress.start()
            self._task = progress.add_task("render", total=100, phase="plan", chunks="0/0")
            self._progress = progress
        return self

    def update(self, event: Progress) -> None:
        if self._progress is None or self._task is None:
            return
        from rich.progress import Progress as RichProgress

        assert isinstance(self._progress, RichProgress)
        self._progress.update(
            self._task,
            completed=event.percent,
            phase=event.phase,
            chunks=f"{event.chunks_done}/{event.chunks_total}",
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            from rich.progress import Progress as RichProgress

            assert isinstance(self._progress, RichProgress)
            self._progress.stop()


class BatchProgressBar:
    """A batch's bar on stderr: rows done (and failed), chunks done, ETA; or nothing."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> BatchProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("batch"),
                BarColumn(),
                TextColumn("{task.percentage:>5.1f}%"),
                TextColumn("rows {task.fields[rows]}"),
                TextColumn("chunks {task.fields[chunks]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self._progress.start()
            self._task = self._progress.add_task("batch", total=100, rows="0/0", chunks="0/0")
        return self

    def update(self, event: BatchProgress) -> None:
        if self._progress is None:
            return
        failed = f" ({event.rows_failed} failed)" if event.rows_failed else ""
        self._progress.update(
            self._task,
            completed=event.percent,
            rows=f"{event.rows_done}/{event.rows_total}{failed}",
            chunks=f"{event.chunks_done}/{event.chunks_total}",
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
