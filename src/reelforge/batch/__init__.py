"""Batch rendering: one video per row of a spreadsheet, from a template with merge fields."""

from reelforge.batch.rows import Row, RowResult, make_rows, read_rows, results_csv, write_results
from reelforge.batch.run import BatchProgress, render_batch

__all__ = [
    "BatchProgress",
    "Row",
    "RowResult",
    "make_rows",
    "read_rows",
    "render_batch",
    "results_csv",
    "write_results",
]
