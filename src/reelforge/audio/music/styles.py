"""The music styles: tempo, harmony, rhythm and instrumentation of each (data only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reelforge.errors import MusicError

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
DORIAN = (0, 2, 3, 5, 7, 9, 10)
LYDIAN = (0, 2, 4, 6, 7, 9, 11)

Comping = Literal["stabs", "arpeggio", "sustain", "strum", "keys"]
BassLine = Literal["pump", "walk", "ostinato", "drone", "roots"]

# A drum pattern: GM percussion note -> 16 velocities, one per sixteenth of a 4/4 bar (0 = rest).
DrumPattern = tuple[tuple[int, tuple[int, ...]], ...]


def _steps(spec: str, loud: int = 100, soft: int = 60) -> tuple[int, ...]:
    """'X' = loud hit, 'x' = soft hit, '.' = rest; 16 characters per bar."""
    return tuple(loud if c == "X" else soft if c == "x" else 0 for c in spec)


@dataclass(frozen=True)
class StyleInfo:
    """What the editor and `reelforge music-styles` show about a style."""

    id: str
    name: str
    description: str
    tempo_range: tuple[int, int]


@dataclass(frozen=True)
class Style:
    """How to compose one style. Programs are General MIDI numbers (0-based); None = no part."""

    info: StyleInfo
    scale: tuple[int, ...]
    keys: tuple[int, ...]  # tonic pitch classes to pick from (0 = C)
    progressions: tuple[tuple[int, ...], ...]  # scale degrees (0-based), one chord each
    beats_per_chord: int
    sevenths: bool
    comping: Comping
    chords_program: int
    bass_line: BassLine
    bass_program: int
    melody_program: int | None
    melody_step: float  # the melody's rhythmic grid in beats
    melody_density: float  # chance that a grid slot starts a note
    melody_octave: int  # MIDI octave of the melody's tonic (5 = C5 = 72)
    pad_program: int | None
    drums: DrumPattern
    fill_note: int | None  # percussion note of the fill at the end of a phrase
    swing: float  # beats an off-beat eighth is delayed
    velocity: int  # overall loudness of the parts


STYLES: tuple[Style, ...] = (
    Style(
        info=StyleInfo(
            "upbeat",
            "Upbeat",
            "Bright pop: four-on-the-floor drums, piano stabs, "
            "pumping synth bass and a catchy square lead.",
            (120, 132),
        ),
        scale=MAJOR,
        keys=(0, 2, 7, 9),
        beats_per_chord=4,
        sevenths=False,
        progressions=((0, 4, 5, 3), (0, 5, 3, 4), (5, 3, 0, 4)),
        comping="stabs",
        chords_program=1,
        bass_line="pump",
        bass_program=38,
        melody_program=80,
        melody_step=0.5,
        melody_density=0.7,
        melody_octave=5,
        pad_program=None,
        drums=(
            (36, _steps("X...X...X...X...")),
            (39, _steps("....X.......X...")),
            (42, _steps("XxXxXxXxXxXxXxXx", 80, 45)),
            (46, _steps("..x...x...x...x.")),
        ),
        fill_note=38,
        swing=0.0,
        velocity=96,
    ),
    Style(
        info=StyleInfo(
            "corporate",
            "Corporate",
            "Confident and clean: arpeggiated piano over "
            "strings, a steady bass and light drums with bell accents.",
            (104, 116),
        ),
        scale=MAJOR,
        keys=(0, 5, 7, 2),
        beats_per_chord=4,
        sevenths=False,
        progressions=((0, 5, 3, 4), (3, 0, 4, 5), (0, 3, 5, 4)),
        comping="arpeggio",
        chords_program=0,
        bass_line="roots",
        bass_program=33,
        melody_program=9,
        melody_step=1.0,
        melody_density=0.45,
        melody_octave=6,
        pad_program=48,
        drums=(
            (36, _steps("X.......X.x.....", 90)),
            (37, _steps("....X.......X...", 80)),
            (42, _steps("x.x.x.x.x.x.x.x.", 70, 50)),
        ),
        fill_note=45,
        swing=0.0,
        velocity=84,
    ),
    Style(
        info=StyleInfo(
            "cinematic",
            "Cinematic",
            "Epic and dark: sustained strings and choir in "
            "a minor key, a driving cello ostinato, horns and taiko drums.",
            (66, 80),
        ),
        scale=MINOR,
        keys=(2, 4, 9, 0),
        beats_per_chord=4,
        sevenths=False,
        progressions=((0, 5, 2, 6), (0, 3, 5, 4), (0, 5, 3, 4)),
        comping="sustain",
        chords_program=48,
        bass_line="ostinato",
        bass_program=42,
        melody_program=60,
        melody_step=1.0,
        melody_density=0.5,
        melody_octave=4,
        pad_program=52,
        drums=(
            (41, _steps("X..x..X.X..x..x.", 110, 70)),
            (43, _steps("....X.......X...", 90)),
            (36, _steps("X.......X.......", 110)),
        ),
        fill_note=47,
        swing=0.0,
        velocity=92,
    ),
    Style(
        info=StyleInfo(
            "lofi",
            "Lo-fi",
            "Laid back: swung boom-bap drums, jazzy electric piano "
            "seventh chords, a round upright bass and a sparse guitar.",
            (74, 88),
        ),
        scale=DORIAN,
        keys=(2, 5, 9, 0),
        beats_per_chord=4,
        sevenths=True,
        progressions=((1, 4, 0, 0), (0, 3, 1, 4), (5, 1, 4, 0)),
        comping="keys",
        chords_program=4,
        bass_line="walk",
        bass_program=32,
        melody_program=26,
        melody_step=0.5,
        melody_density=0.3,
        melody_octave=5,
        pad_program=None,
        drums=(
            (36, _steps("X......X..X.....", 100)),
            (38, _steps("....X.......X...", 90)),
            (42, _steps("x.x.x.x.x.x.x.x.", 55, 40)),
            (70, _steps("..x...x...x...x.", 50, 35)),
        ),
        fill_note=None,
        swing=0.16,
        velocity=78,
    ),
    Style(
        info=StyleInfo(
            "ambient",
            "Ambient",
            "Calm and spacious: slow evolving pads in a lydian "
            "colour, a soft drone and sparse celesta notes; no drums.",
            (56, 68),
        ),
        scale=LYDIAN,
        keys=(0, 4, 7, 5),
        beats_per_chord=8,
        sevenths=True,
        progressions=((0, 4, 5, 3), (0, 3, 0, 4), (5, 3, 0, 0)),
        comping="sustain",
        chords_program=89,
        bass_line="drone",
        bass_program=49,
        melody_program=8,
        melody_step=1.0,
        melody_density=0.25,
        melody_octave=6,
        pad_program=95,
        drums=(),
        fill_note=None,
        swing=0.0,
        velocity=70,
    ),
    Style(
        info=StyleInfo(
            "acoustic",
            "Acoustic",
            "Warm and organic: strummed steel-string guitar, "
            "acoustic bass, tambourine and shaker, with a flute tune.",
            (92, 104),
        ),
        scale=MAJOR,
        keys=(7, 2, 9, 4),
        beats_per_chord=4,
        sevenths=False,
        progressions=((0, 3, 0, 4), (0, 4, 5, 3), (3, 0, 4, 0)),
        comping="strum",
        chords_program=25,
        bass_line="roots",
        bass_program=32,
        melody_program=73,
        melody_step=0.5,
        melody_density=0.45,
        melody_octave=5,
        pad_program=None,
        drums=(
            (36, _steps("X.......X.......", 70)),
            (54, _steps("....X.......X...", 75)),
            (70, _steps("xxXxxxXxxxXxxxXx", 55, 30)),
        ),
        fill_note=None,
        swing=0.04,
        velocity=86,
    ),
)


def list_styles() -> list[StyleInfo]:
    """Every music style, in display order."""
    return [style.info for style in STYLES]


def get_style(style_id: str) -> Style:
    """The style with this id; MusicError naming it when there is none."""
    for style in STYLES:
        if style.info.id == style_id:
            return style
    known = ", ".join(s.info.id for s in STYLES)
    raise MusicError(f"unknown music style {style_id!r} (known: {known})", field="music.style")
