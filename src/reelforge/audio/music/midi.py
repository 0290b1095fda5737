"""A tiny Standard MIDI File (format 1) writer: just what the music generator needs."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

TICKS_PER_BEAT = 480
DRUM_CHANNEL = 9


@dataclass(frozen=True, order=True)
class Note:
    """One note: start and length in beats, MIDI pitch 0-127, velocity 1-127."""

    start: float
    length: float
    pitch: int
    velocity: int


@dataclass
class Part:
    """The notes of one instrument on one channel (channel 9 is General MIDI percussion)."""

    name: str
    channel: int
    program: int
    volume: int = 100
    pan: int = 64
    reverb: int = 40
    notes: list[Note] = field(default_factory=list)

    def add(self, start: float, length: float, pitch: int, velocity: int) -> None:
        """Add a note, clamping pitch and velocity to the MIDI range."""
        if length <= 0:
            return
        self.notes.append(
            Note(start, length, min(127, max(0, pitch)), min(127, max(1, int(velocity))))
        )


def _varlen(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _track(events: list[tuple[int, int, bytes]]) -> bytes:
    """Serialise (tick, order, message) events into an MTrk chunk."""
    body = bytearray()
    now = 0
    for tick, _order, message in sorted(events, key=lambda e: (e[0], e[1])):
        body += _varlen(tick - now) + message
        now = tick
    body += b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + bytes(body)


def _ticks(beats: float) -> int:
    return max(0, round(beats * TICKS_PER_BEAT))


def write_midi(path: Path, parts: list[Part], *, bpm: float) -> None:
    """Write `parts` as a format-1 MIDI file at a constant tempo of `bpm`."""
    tempo = round(60_000_000 / bpm)
    conductor = _track(
        [
            (0, 0, b"\xff\x51\x03" + tempo.to_bytes(3, "big")),
            (0, 1, b"\xff\x58\x04\x04\x02\x18\x08"),
        ]
    )
    chunks = [conductor]
    for part in parts:
        ch = part.channel & 0x0F
        events: list[tuple[int, int, bytes]] = [
            (0, 0, bytes([0xB0 | ch, 7, part.volume])),
            (0, 0, bytes([0xB0 | ch, 10, part.pan])),
            (0, 0, bytes([0xB0 | ch, 91, part.reverb])),
            (0, 0, bytes([0xB0 | ch, 93, 0])),
            (0, 1, bytes([0xC0 | ch, part.program & 0x7F])),
        ]
        for note in part.notes:
            on = _ticks(note.start)
            off = max(on + 1, _ticks(note.start + note.length))
            # note-offs sort before note-ons at the same tick, so repeated pitches retrigger
            events.append((on, 3, bytes([0x90 | ch, note.pitch, note.velocity])))
            events.append((off, 2, bytes([0x80 | ch, note.pitch, 0])))
        chunks.append(_track(events))
    header = b"MThd" + struct.pack(">IHHH", 6, 1, len(chunks), TICKS_PER_BEAT)
    path.write_bytes(header + b"".join(chunks))
