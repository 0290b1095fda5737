"""A streamed preview: the chunks of a render as an HLS media playlist of MPEG-TS segments.

Each segment is one chunk's video (stream copy) muxed with the packets of the one AAC
encode of the whole mix whose timestamps fall in the chunk's time span. The audio is never
cut or re-encoded per segment: played back to back, the segments carry exactly the packets of
one continuous AAC stream (its priming packet included, at its negative time), so seams have
neither a gap nor a click. Timestamps are the timeline's, offset by `TS_BASE_SECONDS`.

A segment's key hashes its chunk's key, its place on the timeline and the bytes of its audio
packets: a chunk that an edit did not touch, at the same time, with the same sound, keeps its
key and so its URI (and the browser's cache).
"""

from __future__ import annotations

import hashlib
import math
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

HLS_VERSION = "reelforge-hls-1"  # part of every segment key: bump when the muxing changes
TS_BASE_SECONDS = 10  # MPEG-TS timestamps start here, so the AAC priming packet stays positive
TS_CLOCK = 90_000


@dataclass(frozen=True)
class AudioPacket:
    """One AAC packet of the mix: its start in samples (negative for priming) and bytes."""

    pts: int
    duration: int
    data: bytes


@dataclass(frozen=True)
class AacTrack:
    """The whole mix's AAC packets, read once, and the file they came from (for the codec
    parameters a muxer copies)."""

    path: Path
    sample_rate: int
    packets: tuple[AudioPacket, ...]

    @classmethod
    def read(cls, path: Path) -> AacTrack:
        import av

        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            rate = stream.codec_context.sample_rate
            tb = stream.time_base
            assert tb is not None
            packets = []
            for packet in container.demux(stream):
                if packet.size == 0 or packet.pts is None:
                    continue
                pts = round(packet.pts * tb * rate)
                duration = round((packet.duration or 0) * tb * rate)
                packets.append(AudioPacket(pts=pts, duration=duration, data=bytes(packet)))
        return cls(path=path, sample_rate=rate, packets=tuple(packets))

    def slice(self, start: Fraction, end: Fraction | None) -> list[AudioPacket]:
        """Packets starting in [start, end) seconds; the first slice (start 0) also takes the
        priming packets before 0, the last (end None) everything after."""
        lo = None if start == 0 else start * self.sample_rate
        hi = None if end is None else end * self.sample_rate
        return [
            p for p in self.packets if (lo is None or p.pts >= lo) and (hi is None or p.pts < hi)
        ]


@dataclass(frozen=True)
class SegmentSpec:
    """Segment of timeline frames [start, end), showing chunk `chunk_key`."""

    chunk_key: str
    start: int
    end: int
    fps: int

    @property
    def duration(self) -> float:
        return (self.end - self.start) / self.fps


def segment_key(spec: SegmentSpec, audio: Sequence[AudioPacket]) -> str:
    """Content address of a segment: its chunk, place, and audio packets."""
    digest = hashlib.sha256()
    digest.update(f"{HLS_VERSION}|{spec.chunk_key}|{spec.start}|{spec.end}|{spec.fps}".encode())
    for packet in audio:
        digest.update(f"|{packet.pts}:{packet.duration}:".encode())
        digest.update(packet.data)
    return digest.hexdigest()


def mux_segment(
    spec: SegmentSpec, *, chunk: Path, audio: AacTrack, packets: Sequence[AudioPacket], out: Path
) -> Path:
    """Write the MPEG-TS segment `out` (atomically): the chunk's video, copied, and `packets`."""
    import av

    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.part")
    base = TS_BASE_SECONDS * TS_CLOCK
    video_offset = base + spec.start * TS_CLOCK // spec.fps
    try:
        with (
            av.open(str(chunk)) as source,
            av.open(str(audio.path)) as audio_source,
            av.open(str(temp), "w", format="mpegts") as target,
        ):
            video_in = source.streams.video[0]
            video_out = target.add_stream_from_template(video_in)
            video_out.time_base = Fraction(1, TS_CLOCK)
            audio_out = target.add_stream_from_template(audio_source.streams.audio[0])
            audio_out.time_base = Fraction(1, TS_CLOCK)
            tb = video_in.time_base
            assert tb is not None
            first: int | None = None
            video_packets = []
            for packet in source.demux(video_in):
                if packet.size == 0 or packet.pts is None or packet.dts is None:
                    continue
                if first is None:
                    first = packet.pts
                pts = video_offset + round((packet.pts - first) * tb * TS_CLOCK)
                dts = video_offset + round((packet.dts - first) * tb * TS_CLOCK)
                video_packets.append((packet, pts, dts))
            items: list[tuple[int, int, Any]] = []
            for packet, pts, dts in video_packets:
                packet.stream = video_out
                packet.pts, packet.dts = pts, dts
                packet.time_base = Fraction(1, TS_CLOCK)
                items.append((dts, 0, packet))
            scale = Fraction(TS_CLOCK, audio.sample_rate)
            for p in packets:
                sound = av.Packet(p.data)
                sound.stream = audio_out
                sound.time_base = Fraction(1, TS_CLOCK)
                sound.pts = sound.dts = base + round(p.pts * scale)
                sound.duration = round(p.duration * scale)
                items.append((sound.dts, 1, sound))
            items.sort(key=lambda item: (item[0], item[1]))
            for _, _, packet in items:
                target.mux(packet)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return out


def media_playlist(
    segments: Sequence[tuple[str, float]], *, complete: bool, target_seconds: float
) -> str:
    """An HLS media playlist (EVENT: segments are only ever appended) of (uri, seconds);
    `#EXT-X-ENDLIST` when `complete`. `target_seconds` is the longest segment the whole
    preview will have, so the target duration stays the same while segments land."""
    longest = max([target_seconds, *(seconds for _, seconds in segments)])
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{max(1, math.ceil(longest - 1e-9))}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for uri, seconds in segments:
        lines.append(f"#EXTINF:{seconds:.6f},")
        lines.append(uri)
    if complete:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"
