"""Captions: wrapping, splitting long cues, and SRT / WebVTT files that real parsers read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import srt  # type: ignore[import-untyped]
import webvtt
from hypothesis import given
from hypothesis import strategies as st

from reelforge.audio.captions import (
    MIN_CUE_SECONDS,
    Cue,
    caption_groups,
    screen_cues,
    split_cue,
    wrap_caption,
    write_srt,
    write_vtt,
)

WORDS = ["the", "a", "bottle", "keeps", "water", "cold,", "and", "with", "every", "sip.",
         "SmartBottle", "mountain", "for", "twenty-four", "hours"]  # fmt: skip
CUES = [
    Cue(0.0, 1.25, "Meet SmartBottle."),
    Cue(1.55, 4.0, "Cold for 24 hours & more <really>."),
    Cue(3661.5, 3662.0, "One hour later."),
]
LONG = Cue(
    10.0,
    20.0,
    "SmartBottle keeps your water cold for a whole day, your coffee hot through the longest "
    "meeting, and it fits in every cup holder we have ever tried.",
)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Short one.", 42, ["Short one."]),
        ("", 42, []),
        ("one two three four five six", 14, ["one two three", "four five six"]),
        ("one two three four", 14, ["one two", "three four"]),
        ("aaaa bb cc dddd", 8, ["aaaa bb", "cc dddd"]),
        ("Supercalifragilistic", 5, ["Supercalifragilistic"]),
        ("one two three four five six seven", 8, ["one two", "three four five six seven"]),
    ],
)  # fmt: skip
def test_wrap_caption(text: str, width: int, lines: list[str]) -> None:
    assert wrap_caption(text, width) == lines


def test_split_cue_fits_two_lines_and_keeps_time() -> None:
    parts = split_cue(LONG, 30)
    assert len(parts) > 1
    assert " ".join(p.text for p in parts) == LONG.text
    assert parts[0].start == LONG.start and parts[-1].end == LONG.end
    for before, after in zip(parts, parts[1:], strict=False):
        assert before.end == pytest.approx(after.start)
    for part in parts:
        assert all(len(line) <= 30 for line in wrap_caption(part.text, 30))
        share = len(part.text) / len(LONG.text)
        assert part.end - part.start == pytest.approx(share * 10.0, abs=0.3)
    # Clause punctuation is preferred as a break.
    assert parts[0].text.endswith(",")


def test_short_cue_is_not_split() -> None:
    assert split_cue(CUES[0], 42) == [CUES[0]]
    assert caption_groups([], 42) == []


def test_srt_parses(tmp_path: Path) -> None:
    path = tmp_path / "out.srt"
    write_srt([*CUES, LONG], path)
    subtitles = list(srt.parse(path.read_text(encoding="utf-8")))
    assert [s.index for s in subtitles] == list(range(1, len(subtitles) + 1))
    assert [s.content for s in subtitles[:3]] == [c.text for c in CUES]
    assert subtitles[2].start == timedelta(hours=1, minutes=1, seconds=1, milliseconds=500)
    assert subtitles[1].end == timedelta(seconds=4)
    long_parts = subtitles[3:]
    assert len(long_parts) > 1
    assert " ".join(s.content.replace("\n", " ") for s in long_parts) == LONG.text
    assert all(len(s.content.split("\n")) <= 2 for s in long_parts)
    assert long_parts[-1].end == timedelta(seconds=20)


def test_vtt_parses(tmp_path: Path) -> None:
    path = tmp_path / "out.vtt"
    write_vtt([*CUES, Cue(5.0, 5.0, "  ")], path, max_chars_per_line=42)
    captions = webvtt.read(str(path))
    assert [c.text for c in captions.captions] == [
        "Meet SmartBottle.",
        "Cold for 24 hours &amp; more &lt;really&gt;.",
        "One hour later.",
    ]
    assert [(c.start, c.end) for c in captions.captions] == [
        ("00:00:00.000", "00:00:01.250"),
        ("00:00:01.550", "00:00:04.000"),
        ("01:01:01.500", "01:01:02.500"),  # held for MIN_CUE_SECONDS
    ]
    assert not list(tmp_path.glob(".*.tmp"))


def test_short_cues_stay_on_screen_long_enough() -> None:
    """A 0.6 s cue joins the next one when they fit two lines together; one that cannot join
    stays up for MIN_CUE_SECONDS unless the next one starts sooner."""
    joined = screen_cues([Cue(0.0, 0.6, "Meet SmartBottle."), Cue(0.9, 2.5, "Cold all day.")], 42)
    assert [(c.start, c.end, c.text) for c in joined] == [
        (0.0, 2.5, "Meet SmartBottle. Cold all day.")
    ]
    long_next = "This next caption is far too long to share two lines with the one before it."
    held = screen_cues([Cue(0.0, 0.5, "Hi there."), Cue(0.8, 4.0, long_next)], 30)
    assert held[0].text == "Hi there." and held[0].end == pytest.approx(0.8)
    alone = screen_cues([Cue(3.0, 3.4, "Hi.")], 42)
    assert alone[0].end - alone[0].start == pytest.approx(MIN_CUE_SECONDS)


@pytest.mark.parametrize(
    ("text", "chars", "first"),
    [
        # a break after the article would be more balanced; the phrase boundary wins
        ("Take it up the mountain with the bottle", 24, "Take it up the mountain"),
        ("It keeps your water ice cold, all day long", 30, "It keeps your water ice cold,"),
    ],
)
def test_lines_and_cues_break_at_phrase_boundaries(text: str, chars: int, first: str) -> None:
    assert wrap_caption(text, chars)[0] == first


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), st.integers(16, 42))
def test_caption_groups_never_end_on_an_article_when_they_can_help_it(
    words: list[str], chars: int
) -> None:
    groups = caption_groups(words, chars)
    assert [w for a, b in groups for w in words[a:b]] == words
    for a, b in groups[:-1]:
        if words[b - 1].lower() in {"the", "a", "an"}:
            # only when no other cut keeps 40 % of the group
            assert b - a <= 2, (words[a:b], words[b:])
