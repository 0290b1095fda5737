"""Captions: timed narration text, wrapped to two lines, written as SRT and WebVTT."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelforge.files import atomic_write_bytes

CAPTION_LINE_CHARS = 42  # a common subtitle line length; burned-in captions may pass fewer
MIN_CUE_SECONDS = 1.0  # a caption stays at least this long on screen (when there is room)
MERGE_GAP = 0.4  # seconds: a too-short cue joins the next one across a pause this short
_CLAUSE_ENDS = (",", ";", ":", ".", "!", "?", "…", "—", "–")
# Phrases start before these words; a line or a caption should not end on the second set.
_PHRASE_STARTS = {"and", "but", "or", "so", "because", "with", "without", "to", "for", "that",
                  "which", "who", "while", "when", "where", "if", "in", "on", "at", "from",
                  "into", "through", "until", "after", "before", "like"}  # fmt: skip
_NO_END = {"a", "an", "the", "to", "of", "for", "with", "in", "on", "at", "and", "or", "but",
           "your", "our", "my", "its", "their", "this", "that", "is", "are", "be", "from", "by",
           "every", "each", "no", "not", "very", "so", "as"}  # fmt: skip


def _break_score(words: Sequence[str], index: int) -> int:
    """How good a break before `words[index]` is: best after a clause's punctuation, good
    before a conjunction or preposition, bad after an article or a preposition."""
    before, after = words[index - 1], words[index]
    if before.endswith(_CLAUSE_ENDS):
        return 3
    score = 2 if after.lower().strip("\"'") in _PHRASE_STARTS else 0
    if before.lower().strip("\"'") in _NO_END:
        score -= 3
    return score


@dataclass(frozen=True)
class Cue:
    """A piece of narration text and when it is spoken, in seconds."""

    start: float
    end: float
    text: str


def wrap_caption(text: str, max_chars: int) -> list[str]:
    """The text on at most two lines of at most `max_chars` characters, as balanced as possible.

    Text that does not fit two lines is still returned as two lines (the second one too long):
    split such a cue first with `split_cue`.
    """
    words = text.split()
    one_line = " ".join(words)
    if len(one_line) <= max_chars or len(words) < 2:
        return [one_line] if one_line else []
    best: tuple[int, int] | None = None  # (cost, break index)
    for index in range(1, len(words)):
        first = len(" ".join(words[:index]))
        second = len(" ".join(words[index:]))
        if first <= max_chars and second <= max_chars:
            # balanced lines, broken between phrases (a point of score is worth 3 characters)
            cost = max(first, second) - 3 * _break_score(words, index)
            # On a tie, keep the earlier break: a shorter top line reads better over the video.
            if best is None or cost < best[0]:
                best = (cost, index)
    if best is None:  # does not fit: fill the first line, the rest goes on the second
        index = 1
        while index < len(words) - 1 and len(" ".join(words[: index + 1])) <= max_chars:
            index += 1
        best = (0, index)
    return [" ".join(words[: best[1]]), " ".join(words[best[1] :])]


def fits_two_lines(text: str, max_chars: int) -> bool:
    """Whether the text fits on two caption lines of `max_chars` characters."""
    return all(len(line) <= max_chars for line in wrap_caption(text, max_chars))


def caption_groups(words: Sequence[str], max_chars_per_line: int) -> list[tuple[int, int]]:
    """Split a run of words into consecutive groups that each fit two lines.

    Returns `(first, end)` index ranges. A group that overflows is cut at its best phrase
    boundary (after a clause's punctuation, before a conjunction or preposition, never after
    an article) among the cuts that keep at least 40 % of it; the latest of equals wins.
    """
    groups: list[tuple[int, int]] = []
    start = 0
    index = start
    while index < len(words):
        candidate = " ".join(words[start : index + 1])
        if index == start or fits_two_lines(candidate, max_chars_per_line):
            index += 1
            continue
        used = len(" ".join(words[start:index]))
        cuts = [k for k in range(start + 1, index + 1)
                if len(" ".join(words[start:k])) >= 0.4 * used] or [index]  # fmt: skip
        cut = max(cuts, key=lambda k: (_break_score(words, k) if k < len(words) else 3, k))
        groups.append((start, cut))
        start = index = cut
    if start < len(words):
        groups.append((start, len(words)))
    return groups


def split_cue(cue: Cue, max_chars_per_line: int) -> list[Cue]:
    """The cue as consecutive cues that each fit two lines, timed by their share of characters."""
    words = cue.text.split()
    groups = caption_groups(words, max_chars_per_line)
    if len(groups) <= 1:
        return [cue]
    texts = [" ".join(words[a:b]) for a, b in groups]
    total = sum(len(t) + 1 for t in texts)
    cues: list[Cue] = []
    done = 0
    for number, text in enumerate(texts):
        start = cue.start + (cue.end - cue.start) * done / total
        done += len(text) + 1
        end = (
            cue.end
            if number == len(texts) - 1
            else cue.start + (cue.end - cue.start) * done / total
        )
        cues.append(Cue(start=start, end=end, text=text))
    return cues


def screen_cues(cues: Sequence[Cue], max_chars_per_line: int) -> list[Cue]:
    """Every cue split to fit two lines, empty cues dropped, and each kept on screen at least
    MIN_CUE_SECONDS: a shorter one joins the next (when both fit two lines together and the
    pause between them is short), else it stays up longer, until the next one starts."""
    parts = [p for cue in cues if cue.text.strip() for p in split_cue(cue, max_chars_per_line)]
    joined: list[Cue] = []
    for part in parts:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.end - last.start < MIN_CUE_SECONDS
            and -0.01 <= part.start - last.end <= MERGE_GAP
            and fits_two_lines(f"{last.text} {part.text}", max_chars_per_line)
        ):
            joined[-1] = Cue(start=last.start, end=part.end, text=f"{last.text} {part.text}")
        else:
            joined.append(part)
    held: list[Cue] = []
    for i, cue in enumerate(joined):
        end = cue.end
        if end - cue.start < MIN_CUE_SECONDS:
            limit = joined[i + 1].start if i + 1 < len(joined) else cue.start + MIN_CUE_SECONDS
            end = max(end, min(cue.start + MIN_CUE_SECONDS, limit))
        held.append(Cue(start=cue.start, end=end, text=cue.text))
    return held


def write_srt(
    cues: Sequence[Cue], path: Path, *, max_chars_per_line: int = CAPTION_LINE_CHARS
) -> None:
    """Write SubRip captions (cues split and wrapped to two lines), atomically."""
    blocks = []
    for number, cue in enumerate(screen_cues(cues, max_chars_per_line), start=1):
        lines = "\n".join(wrap_caption(cue.text, max_chars_per_line))
        start, end = _times(cue)
        blocks.append(f"{number}\n{_clock(start, ',')} --> {_clock(end, ',')}\n{lines}\n")
    atomic_write_bytes(path, "\n".join(blocks).encode("utf-8"))


def write_vtt(
    cues: Sequence[Cue], path: Path, *, max_chars_per_line: int = CAPTION_LINE_CHARS
) -> None:
    """Write WebVTT captions (cues split and wrapped to two lines), atomically."""
    blocks = ["WEBVTT\n"]
    for cue in screen_cues(cues, max_chars_per_line):
        lines = "\n".join(
            html.escape(line, quote=False) for line in wrap_caption(cue.text, max_chars_per_line)
        )
        start, end = _times(cue)
        blocks.append(f"{_clock(start, '.')} --> {_clock(end, '.')}\n{lines}\n")
    atomic_write_bytes(path, "\n".join(blocks).encode("utf-8"))


def _times(cue: Cue) -> tuple[int, int]:
    """Start and end in whole milliseconds; the end is never before the start."""
    start = max(0, round(cue.start * 1000))
    return start, max(start, round(cue.end * 1000))


def _clock(milliseconds: int, separator: str) -> str:
    seconds, ms = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{ms:03d}"
