"""Compose a piece procedurally from a style and a seed: chords, bass, melody, pads, drums.

The piece lasts exactly the requested time: the tempo is nudged (within a few percent) so a
whole number of beats fits, and the last chord is an authentic cadence (dominant, then tonic)
that rings out over the last two beats.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from reelforge.audio.music.midi import DRUM_CHANNEL, Part
from reelforge.audio.music.styles import Style

BEATS_PER_BAR = 4
CRASH = 49


@dataclass(frozen=True)
class Piece:
    """A composed piece: its parts and the constant tempo that makes it exactly `seconds` long."""

    parts: list[Part]
    bpm: float
    beats: int


@dataclass(frozen=True)
class _Harmony:
    """The chord (scale degrees) sounding at each beat."""

    tonic: int  # MIDI pitch of the tonic in octave 4 (C4 = 60)
    scale: tuple[int, ...]

    def pitch(self, degree: int, octave_shift: int = 0) -> int:
        """MIDI pitch of a scale degree (may be negative or above 6) near the tonic."""
        octave, step = divmod(degree, len(self.scale))
        return self.tonic + self.scale[step] + 12 * (octave + octave_shift)

    def chord(self, root: int, sevenths: bool) -> list[int]:
        """Scale degrees of the chord on `root`: a triad, or a seventh chord with a ninth."""
        return [root, root + 2, root + 4] + ([root + 6, root + 8] if sevenths else [])


def _plan_tempo(style: Style, rng: random.Random, seconds: float) -> tuple[float, int]:
    """A tempo in (or close to) the style's range at which a whole number of beats fills it."""
    lo, hi = style.info.tempo_range
    wanted = rng.uniform(lo, hi)
    beats = max(2, round(seconds * wanted / 60.0))
    # prefer whole bars when that stays close to the wanted tempo
    bars = round(beats / BEATS_PER_BAR)
    if bars >= 2 and abs(bars * BEATS_PER_BAR * 60.0 / seconds - wanted) <= 0.06 * wanted:
        beats = bars * BEATS_PER_BAR
    return beats * 60.0 / seconds, beats


def _swing(beat: float, amount: float) -> float:
    """Delay off-beat eighths by `amount` beats."""
    return beat + amount if amount and abs(beat % 1.0 - 0.5) < 1e-6 else beat


def compose(style: Style, seed: int, seconds: float) -> Piece:
    """The piece for this style, seed and length. Same arguments, same notes."""
    rng = random.Random(f"reelforge-music:{style.info.id}:{seed}")
    bpm, beats = _plan_tempo(style, rng, seconds)
    harmony = _Harmony(
        tonic=60 + rng.choice(style.keys) - (12 if rng.random() < 0.3 else 0), scale=style.scale
    )
    if harmony.tonic > 64:
        harmony = _Harmony(harmony.tonic - 12, harmony.scale)
    main, alt = rng.sample(style.progressions, 2)

    # the cadence: the tonic for the last two beats (or half the piece when it is tiny), the
    # dominant (plagal IV for ambient) just before it; the groove plays until then, so the
    # music is still heard in the video's last second
    final_len = min(2.0, beats / 2)
    final_at = beats - final_len
    dominant = 3 if style.info.id == "ambient" else 4
    chords: list[tuple[float, float, int]] = []  # (start, length, root degree)
    t, index = 0.0, 0
    section_bars = 8 * style.beats_per_chord // BEATS_PER_BAR * BEATS_PER_BAR
    while t < final_at - 1e-9:
        section = int(t // max(section_bars, 1)) % 2
        progression = main if section == 0 else alt
        length = min(float(style.beats_per_chord), final_at - t)
        chords.append((t, length, progression[index % len(progression)]))
        t += length
        index += 1
    if chords:
        start, length, root = chords[-1]
        if length > 2:
            chords[-1] = (start, length - 2, root)
            chords.append((start + length - 2, 2.0, dominant))
        else:
            chords[-1] = (start, length, dominant)
    chords.append((final_at, final_len, 0))

    intro_end = min(2 * BEATS_PER_BAR, beats // 4)
    composer = _Composer(style, rng, harmony, chords, beats, final_at, intro_end)
    return Piece(parts=composer.parts(), bpm=bpm, beats=beats)


class _Composer:
    """Writes each part of one piece over its chord plan."""

    def __init__(
        self,
        style: Style,
        rng: random.Random,
        harmony: _Harmony,
        chords: list[tuple[float, float, int]],
        beats: int,
        final_at: float,
        intro_end: float,
    ) -> None:
        self.style = style
        self.rng = rng
        self.harmony = harmony
        self.chords = chords
        self.beats = beats
        self.final_at = final_at
        self.intro_end = intro_end
        self.velocity = style.velocity

    def vel(self, base: float) -> int:
        """A humanised velocity around `base` (scaled by the style's loudness)."""
        return round(base * self.velocity / 100) + self.rng.randint(-5, 5)

    def chord_at(self, beat: float) -> int:
        for start, length, root in self.chords:
            if start <= beat < start + length:
                return root
        return self.chords[-1][2]

    def parts(self) -> list[Part]:
        style = self.style
        parts = [self.comping(), self.bass()]
        if style.pad_program is not None:
            parts.append(self.pad())
        if style.melody_program is not None:
            parts.append(self.melody())
        if style.drums:
            parts.append(self.drums())
        if style.info.id == "cinematic":
            parts.append(self.timpani())
        return parts

    def voicing(self, root: int, center: int, size: int) -> list[int]:
        """Close voicing of the chord on `root`, `size` notes, each near `center`."""
        degrees = self.harmony.chord(root, self.style.sevenths)
        pitches: list[int] = []
        for i in range(size):
            degree = degrees[i % len(degrees)]
            p = self.harmony.pitch(degree)
            p += 12 * round((center - p) / 12) + 12 * (i // len(degrees))
            pitches.append(p)
        return sorted(set(pitches))

    # -- chords -------------------------------------------------------------------------
    def comping(self) -> Part:
        style = self.style
        part = Part("chords", 0, style.chords_program, volume=92, pan=54, reverb=50)
        for start, length, root in self.chords:
            final = start >= self.final_at
            if style.comping == "sustain" or final:
                notes = self.voicing(root, 60, 4 if not style.sevenths else 5)
                for p in notes:
                    part.add(start, length, p, self.vel(72 if not final else 80))
                continue
            if style.comping == "stabs":
                notes = self.voicing(root, 64, 3)
                hits = [
                    (0.0, 0.4, 90),
                    (0.5, 0.35, 70),
                    (1.5, 0.35, 75),
                    (2.5, 0.35, 75),
                    (3.0, 0.4, 85),
                    (3.5, 0.35, 70),
                ]
                for offset, dur, v in hits:
                    if offset < length:
                        for p in notes:
                            part.add(start + offset, dur, p, self.vel(v))
            elif style.comping == "arpeggio":
                notes = self.voicing(root, 62, 4)
                cycle = notes + notes[1:-1][::-1]
                steps = int(length / 0.5)
                for i in range(steps):
                    part.add(
                        start + 0.5 * i,
                        0.9,
                        cycle[i % len(cycle)] + 12 * (i % 8 >= 4),
                        self.vel(78 if i % 2 == 0 else 62),
                    )
            elif style.comping == "keys":
                notes = self.voicing(root, 62, 5)
                for offset, dur, v in ((0.0, 1.4, 70), (2.5, 1.3, 62)):
                    if offset < length:
                        for k, p in enumerate(notes):
                            at = _swing(start + offset, style.swing) + 0.02 * k
                            part.add(at, dur, p, self.vel(v))
            elif style.comping == "strum":
                low = self.harmony.pitch(root, -1)
                notes = [low] + self.voicing(root, 60, 5)
                strums = [
                    (0.0, "down", 88),
                    (1.0, "down", 70),
                    (1.5, "up", 58),
                    (2.5, "up", 60),
                    (3.0, "down", 75),
                    (3.5, "up", 58),
                ]
                for offset, direction, v in strums:
                    if offset >= length:
                        continue
                    order = notes if direction == "down" else notes[::-1][:4]
                    at = _swing(start + offset, style.swing)
                    for k, p in enumerate(order):
                        part.add(at + 0.018 * k, 0.9, p, self.vel(v - 3 * k))
        return part

    # -- bass ---------------------------------------------------------------------------
    def bass(self) -> Part:
        style = self.style
        part = Part("bass", 1, style.bass_program, volume=100, pan=64, reverb=20)
        h = self.harmony
        for start, length, root in self.chords:
            low = h.pitch(root, -2)
            if low < 33:
                low += 12
            final = start >= self.final_at
            if final or style.bass_line == "drone":
                part.add(start, length, low, self.vel(80))
                continue
            if start < self.intro_end and style.bass_line != "ostinato":
                part.add(start, length, low, self.vel(70))
                continue
            fifth = low + h.pitch(root + 4) - h.pitch(root)
            if style.bass_line == "pump":
                for i in range(int(length / 0.5)):
                    p = low + 12 if i % 4 == 3 else low
                    part.add(start + 0.5 * i, 0.4, p, self.vel(95 if i % 2 else 80))
            elif style.bass_line == "roots":
                pattern = [(0.0, 1.5, low), (1.5, 0.5, low), (2.0, 1.0, fifth), (3.0, 1.0, low)]
                for offset, dur, p in pattern:
                    if offset < length:
                        part.add(
                            start + offset,
                            min(dur, length - offset) * 0.95,
                            p,
                            self.vel(88 if offset == 0 else 72),
                        )
            elif style.bass_line == "walk":
                third = low + h.pitch(root + 2) - h.pitch(root)
                nxt = self.chord_at(start + length)
                approach = h.pitch(nxt, -2) + (1 if self.rng.random() < 0.5 else -1)
                for offset, p in ((0.0, low), (1.0, third), (2.0, fifth), (3.0, approach)):
                    if offset < length:
                        part.add(
                            _swing(start + offset, self.style.swing),
                            0.9,
                            p,
                            self.vel(84 if offset == 0 else 70),
                        )
            elif style.bass_line == "ostinato":
                for i in range(int(length / 0.5)):
                    p = fifth if i % 4 == 2 else low
                    part.add(start + 0.5 * i, 0.45, p, self.vel(90 if i % 2 == 0 else 66))
        return part

    # -- pads ---------------------------------------------------------------------------
    def pad(self) -> Part:
        style = self.style
        assert style.pad_program is not None
        part = Part("pad", 2, style.pad_program, volume=78, pan=76, reverb=80)
        for start, length, root in self.chords:
            if start < self.intro_end and style.info.id == "cinematic":
                continue
            for p in self.voicing(root, 67, 3):
                part.add(start, length, p, self.vel(60))
        return part

    # -- melody -------------------------------------------------------------------------
    def melody(self) -> Part:
        style = self.style
        assert style.melody_program is not None
        part = Part("melody", 3, style.melody_program, volume=88, pan=70, reverb=55)
        rng = self.rng
        step = style.melody_step
        phrase = 4 * BEATS_PER_BAR
        slots = int(phrase / 2 / step)  # a motif spans half a phrase
        octave_shift = style.melody_octave - 4
        motif: list[tuple[int, int]] = []  # (slot, slots long)
        degree = 4
        start = float(self.intro_end)
        phrase_index = 0
        while start < self.final_at - 1e-9:
            if phrase_index % 2 == 0 or not motif:
                motif = self._motif_rhythm(slots)
            for half in (0, 1):
                base = start + half * slots * step
                for index, (slot, span) in enumerate(motif):
                    at = base + slot * step
                    dur = span * step
                    if at >= self.final_at - 1e-9:
                        break
                    dur = min(dur, self.final_at - at)
                    chord = self.harmony.chord(self.chord_at(at), False)
                    degree += rng.choice((-2, -1, -1, 0, 1, 1, 2))
                    strong = abs(at % 2.0) < 1e-6 or (half == 1 and index == len(motif) - 1)
                    if strong:  # land strong beats on a chord tone
                        degree = min(
                            (c + 7 * k for c in chord for k in (-1, 0, 1)),
                            key=lambda d: abs(d - degree),
                        )
                    degree = max(-2, min(9, degree))
                    pitch = self.harmony.pitch(degree, octave_shift)
                    part.add(
                        _swing(at, style.swing), dur * 0.92, pitch, self.vel(86 if strong else 72)
                    )
            start += phrase
            phrase_index += 1
        return part

    def _motif_rhythm(self, slots: int) -> list[tuple[int, int]]:
        """Onsets (in grid slots) of a motif, each with its length up to the next onset."""
        onsets = [0] + [s for s in range(1, slots) if self.rng.random() < self.style.melody_density]
        # leave the end of the motif as breathing room
        onsets = [s for s in onsets if s < slots - max(1, slots // 8)]
        return [
            (s, (onsets[i + 1] if i + 1 < len(onsets) else slots) - s) for i, s in enumerate(onsets)
        ]

    # -- drums --------------------------------------------------------------------------
    def drums(self) -> Part:
        style = self.style
        part = Part("drums", DRUM_CHANNEL, 0, volume=100, pan=64, reverb=30)
        bars = math.ceil(self.final_at / BEATS_PER_BAR)
        for bar in range(bars):
            bar_start = bar * BEATS_PER_BAR
            if bar_start < self.intro_end:
                continue
            phrase_end = (bar + 1) % 4 == 0
            for note, steps in style.drums:
                for i, velocity in enumerate(steps):
                    at = bar_start + i * 0.25
                    if not velocity or at >= self.final_at - 1e-9:
                        continue
                    if phrase_end and style.fill_note is not None and i >= 12:
                        continue
                    part.add(_swing(at, style.swing), 0.2, note, self.vel(velocity))
            if phrase_end and style.fill_note is not None:
                for i in range(12, 16):
                    at = bar_start + i * 0.25
                    if at < self.final_at - 1e-9:
                        part.add(at, 0.2, style.fill_note - (i - 12), self.vel(70 + 6 * (i - 12)))
            if bar % 8 == 0 or bar_start == self.intro_end:
                part.add(bar_start, 1.0, CRASH, self.vel(80))
        part.add(self.final_at, 2.0, CRASH, self.vel(85))
        part.add(self.final_at, 0.5, style.drums[0][0], self.vel(95))
        return part

    def timpani(self) -> Part:
        part = Part("timpani", 4, 47, volume=100, pan=64, reverb=60)
        for start, _length, root in self.chords:
            if start >= self.intro_end or start == 0:
                p = self.harmony.pitch(root, -2)
                part.add(start, 1.5, p if p >= 40 else p + 12, self.vel(100))
        return part
