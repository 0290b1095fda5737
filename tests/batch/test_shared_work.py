"""Work the rows of a batch share is done once: speech per distinct text and voice, music per
style and seed (at one length), chunks per distinct content."""

from __future__ import annotations

from pathlib import Path

from helpers import color_scene, document
from reelforge.batch import make_rows, render_batch
from reelforge.render.pipeline import RenderOptions
from reelforge.timeline.assets import DirectoryResolver


def test_speech_music_and_chunks_once_per_distinct_input(tmp_path: Path) -> None:
    doc = document(
        color_scene("#334455", 2.0, narration="Welcome."),
        color_scene("#556677", 2.0, narration="{{line}}"),
        music={"enabled": True, "style": "lofi", "seed": 3},
        variables={"line": {"type": "text"}},
    )
    rows = make_rows(
        [{"line": "Hello Ada."}, {"line": "Hello Ada."}, {"line": "Hi Bob."}], variables=["line"]
    )
    chunk_counts: list[int] = []
    results = render_batch(
        doc,
        rows,
        resolver=DirectoryResolver(tmp_path),
        out_dir=tmp_path / "out",
        options=RenderOptions(preview=True, cache_dir=tmp_path / "cache", chunk_seconds=2),
        on_progress=lambda e: chunk_counts.append(e.chunks_total),
    )
    assert [r.status for r in results] == ["succeeded"] * 3, results
    cache = tmp_path / "cache"
    speech = sorted(p.name for p in (cache / "speech").glob("*.wav"))
    assert len(speech) == 3, f"'Welcome.', 'Hello Ada.', 'Hi Bob.': {speech}"
    assert len(list((cache / "music").glob("*.wav"))) == 1, "one style, seed and length"
    # narration does not touch pixels: both scenes render once for all three rows
    assert max(chunk_counts) == 2
    assert len(list((cache / "chunks").rglob("*.mp4"))) == 2
    # rows 1 and 2 have the same sound: one mix serves both
    assert len(list((cache / "mixes").glob("*.wav"))) == 2
