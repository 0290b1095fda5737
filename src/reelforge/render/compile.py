"""Compile a ChunkSpec into an FFmpeg filter graph and command line.

Every scene segment becomes a stream whose frame `j` (scene-local) has the timestamp
`j + PTS_OFFSET` at 1/fps, so each frame's pixels depend only on its scene-local number; the
streams are joined by cuts and transitions (xfade over just the blended frames, then concat),
the pre-roll is trimmed, the logo goes on top, and x264 (or PNG, for a still) writes the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelforge.errors import MediaError
from reelforge.ffmpeg import ffmpeg_argv, filters_work
from reelforge.graph import Filter, FilterGraph
from reelforge.render.chunks import ChunkSpec, Encoder, Segment
from reelforge.render.effects.motion import Motion
from reelforge.render.effects.overlay_animation import DELAY, OverlayAnimation
from reelforge.render.effects.transitions import transition_filter
from reelforge.render.layers import Placed, draw_logo, draw_overlay, draw_still, image_size
from reelforge.render.layout import Box, logo_box, scene_layout
from reelforge.render.text import (
    CAPTION_PANEL_ALPHA,
    TITLE_PANEL_ALPHA,
    caption_colors,
    draw_block,
    title_colors,
)
from reelforge.timeline.model import Look, StillVisual, Timeline, VideoClip

PTS_OFFSET = 256  # frames; keeps scene-local timestamps positive during a pre-roll
# Compositing runs in the output's own 4:2:0, so no frame pays for a chroma conversion (at
# 1080p each one costs more than the overlays themselves). Formats are pinned after every
# stage, so negotiation cannot differ between a chunk's graph and a longer one.
WORK_FORMAT = "yuv420p"
BLEND_FORMAT = "yuv420"  # `overlay`'s name for WORK_FORMAT
LAYER_FORMAT = "yuva420p"  # animated layers with alpha
XFADE_FORMAT = "yuv444p"  # xfade has no 4:2:0 mode; only a transition's frames use this
HD_SHORT_SIDE = 720  # from here up the output is BT.709; below, BT.601 (SMPTE 170M)


def colour_space(look: Look) -> str:
    """The output's colour space, as FFmpeg names it: `bt709` for HD and larger, `smpte170m`
    (BT.601) for SD. The same name is the RGB → YUV matrix of every picture and the tags
    (matrix, primaries, transfer) written into the video, so the two always agree."""
    return "bt709" if min(look.width, look.height) >= HD_SHORT_SIDE else "smpte170m"


def from_rgb(look: Look, pix_fmt: str) -> list[Filter]:
    """An sRGB picture (a still, a layer) into `pix_fmt` with the output's own matrix,
    limited range: never the converter's default matrix, which is BT.601 whatever the size."""
    return [
        Filter.of("scale", out_color_matrix=colour_space(look), out_range="tv"),
        Filter.of("format", pix_fmts=pix_fmt),
    ]


@dataclass(frozen=True)
class CompiledChunk:
    graph: FilterGraph
    output_label: str

    def argv(
        self,
        out: Path,
        spec: ChunkSpec,
        *,
        still: bool = False,
    ) -> list[str]:
        """The full FFmpeg command line writing the chunk (or one still PNG) to `out`.

        Thread counts are left to FFmpeg: with chunks in parallel the cores stay busy, and the
        last chunk of a render still uses them all (measured in docs/benchmarks.md).
        """
        base = ffmpeg_argv()
        base += [
            *self.graph.input_argv(),
            "-filter_complex",
            self.graph.serialise(),
            "-map",
            f"[{self.output_label}]",
        ]
        if still:
            return [
                *base,
                "-frames:v",
                "1",
                "-update",
                "1",
                "-c:v",
                "png",
                "-f",
                "image2",
                str(out),
            ]
        return [
            *base,
            "-frames:v",
            str(spec.frames),
            "-an",
            *x264_argv(spec.encoder, spec.look.fps, colour=colour_space(spec.look)),
            "-f",
            "mp4",
            str(out),
        ]


def x264_argv(enc: Encoder, fps: int, *, colour: str | None = None) -> list[str]:
    """The encoder options of every chunk (also the benchmarks' encode floor, so both match):
    fixed GOP, closed, no scene-cut keyframes, so chunks join by stream copy.

    `colour` names the matrix, primaries and transfer to tag (see `colour_space`); without it
    the tags come from the frames (a re-encode of a rendered chunk keeps the chunk's)."""
    gop = max(1, round(enc.gop_seconds * fps))
    quality = ["-qp", "0"] if enc.lossless else ["-crf", str(enc.crf)]
    return [
        "-c:v",
        "libx264",
        "-preset",
        enc.preset,
        *quality,
        "-pix_fmt",
        "yuv420p",
        "-g",
        str(gop),
        "-keyint_min",
        str(gop),
        "-sc_threshold",
        "0",
        "-x264-params",
        "open-gop=0",
        *(
            ["-colorspace", colour, "-color_primaries", colour, "-color_trc", colour]
            if colour
            else []
        ),
        "-fps_mode",
        "passthrough",
        "-video_track_timescale",
        str(fps * 1000),
    ]


def compile_chunk(spec: ChunkSpec, *, cache: Path) -> CompiledChunk:
    """Build the filter graph of a chunk; layer images are drawn into `cache` as needed."""
    g = FilterGraph()
    look = spec.look
    fps = look.fps
    streams = [_segment_stream(g, seg, look, cache) for seg in spec.segments]
    label = _join(g, streams, spec)
    label = g.chain(
        label,
        Filter.of("trim", start_frame=spec.trim, end_frame=spec.trim + spec.frames),
        Filter.of("settb", expr=f"1/{fps}"),  # concat may have changed it
        Filter.of("setpts", expr="N"),
    )
    if look.logo is not None:
        logo = logo_box(look, image_size(look.logo))
        src = g.chain(
            g.add_input(str(draw_logo(look, logo.w, logo.h, cache))), *from_rgb(look, LAYER_FORMAT)
        )
        label = g.chain(
            [label, src], Filter.of("overlay", x=logo.x, y=logo.y, eval="init", format=BLEND_FORMAT)
        )
    space = colour_space(look)
    label = g.chain(
        label,
        Filter.of("format", pix_fmts="yuv420p"),
        # Tag every frame (matrix, primaries, transfer, range): the encoder takes the tags
        # from the frames, and a tag left unspecified there overrides the command line's.
        Filter.of(
            "setparams", colorspace=space, color_primaries=space, color_trc=space, range="tv"
        ),
        label="out",
    )
    return CompiledChunk(graph=g, output_label=label)


def _join(g: FilterGraph, streams: list[str], spec: ChunkSpec) -> str:
    """Join the segment streams in order: a cut by concatenation, a transition by `xfade` over
    only the frames it blends.

    xfade works in 4:4:4 only, so each transition's frames (and only those) make a
    4:2:0 → 4:4:4 → 4:2:0 round trip; every chunk renders a transition whole, so a frame takes
    the same path in any chunk. Each segment is split into head (blended with the previous
    segment), body and tail (blended with the next), and the pieces are concatenated.
    """
    fps = spec.look.fps
    blend = [0 if j.kind == "cut" else j.frames for j in spec.joins]
    heads, tails = [0, *blend], [*blend, 0]
    pieces: list[str] = []
    tail_of_previous = ""
    for i, (stream, seg) in enumerate(zip(streams, spec.segments, strict=True)):
        head, tail = heads[i], tails[i]
        body = seg.count - head - tail
        if body < 0:
            raise ValueError(f"segment {i} has {seg.count} frames, fewer than its transitions")
        ranges = [(a, b) for a, b in ((0, head), (head, head + body), (head + body, seg.count))]
        wanted = [(a, b) for a, b in ranges if b > a]
        outs = g.split(stream, len(wanted))
        part: dict[tuple[int, int], str] = {}
        for (a, b), out in zip(wanted, outs, strict=True):
            part[(a, b)] = (
                out
                if len(wanted) == 1
                else g.chain(out, Filter.of("trim", start_frame=a or None, end_frame=b))
            )
        if head:
            kind = spec.joins[i - 1].kind
            blended = g.chain(
                [
                    tail_of_previous,
                    g.chain(part[ranges[0]], Filter.of("format", pix_fmts=XFADE_FORMAT)),
                ],
                transition_filter(kind, frames=head, offset_frames=0, fps=fps),
                Filter.of("format", pix_fmts=WORK_FORMAT),
            )
            pieces.append(blended)
        if body:
            pieces.append(part[ranges[1]])
        if tail:
            tail_of_previous = g.chain(part[ranges[2]], Filter.of("format", pix_fmts=XFADE_FORMAT))
    if len(pieces) == 1:
        return pieces[0]
    return g.chain(
        pieces,
        Filter.of("concat", n=len(pieces), v=1, a=0),
        Filter.of("format", pix_fmts=WORK_FORMAT),
    )


def _segment_stream(g: FilterGraph, seg: Segment, look: Look, cache: Path) -> str:
    content = seg.content
    fps = look.fps
    w, h = look.width, look.height
    visual = content.visual
    if isinstance(visual, StillVisual):
        png = draw_still(look, visual, cache)
        src = g.add_input(str(png), "-framerate", str(fps))
        # Convert the picture once, before it is repeated, not once per frame. A still with
        # camera motion is cropped from a 2× picture, so even in 4:2:0 its chroma moves in
        # one-pixel steps at the output (finer than the output's own 4:2:0 grid).
        filters = [
            *from_rgb(look, WORK_FORMAT),
            Filter.of("loop", loop=seg.count - 1, size=1),
        ]
        filters += Motion(visual.motion, content.frames, seg.first).filters(w, h, fps)
    else:
        src, filters = _video_source(g, seg, visual, look)
    filters += [
        Filter.of("settb", expr=f"1/{fps}"),
        Filter.of("setpts", expr=f"N+{seg.first + PTS_OFFSET}"),
        Filter.of("format", pix_fmts=WORK_FORMAT),
    ]
    label = base = g.chain(src, *filters)

    layout = scene_layout(look, content)
    # The product goes under the texts: even while it animates in, it never hides them.
    if content.overlay is not None and layout.overlay is not None:
        label = _product_overlay(g, label, seg, look, cache, layout.overlay)
    if layout.title is not None and layout.title_block is not None:
        text, panel = title_colors(look)
        title = draw_block(look, layout.title_block, cache, text=text, panel=panel,
                           alpha=TITLE_PANEL_ALPHA, x=layout.title.x, y=layout.title.y)  # fmt: skip
        t_src = g.chain(g.add_input(str(title.path)), *from_rgb(look, LAYER_FORMAT))
        label = g.chain(
            [label, t_src],
            Filter.of("overlay", x=title.x, y=title.y, eval="init", format=BLEND_FORMAT),
        )
    last = seg.first + seg.count
    text, panel = caption_colors()
    for index, cue in enumerate(content.captions):
        if cue.end <= seg.first or cue.start >= last:
            continue
        box = layout.caption_box(index)
        cap = draw_block(look, layout.caption_blocks[index], cache, text=text, panel=panel,
                         alpha=CAPTION_PANEL_ALPHA, x=box.x, y=box.y)  # fmt: skip
        c_src = g.chain(g.add_input(str(cap.path)), *from_rgb(look, LAYER_FORMAT))
        lo = (cue.start - 0.5 + PTS_OFFSET) / fps
        hi = (cue.end - 0.5 + PTS_OFFSET) / fps
        label = g.chain(
            [label, c_src],
            Filter.of(
                "overlay",
                x=cap.x,
                y=cap.y,
                eval="init",
                format=BLEND_FORMAT,
                enable=f"between(t,{lo:.6f},{hi:.6f})",
            ),
        )
    if label == base:
        return label
    # Pin the format so negotiation cannot differ between a chunk's graph and a longer one.
    return g.chain(label, Filter.of("format", pix_fmts=WORK_FORMAT))


def _product_overlay(
    g: FilterGraph,
    label: str,
    seg: Segment,
    look: Look,
    cache: Path,
    box: Box,
) -> str:
    overlay = seg.content.overlay
    assert overlay is not None
    fps = look.fps
    placed = Placed(draw_overlay(overlay, box.w, box.h, cache), box.x, box.y, box.w, box.h)
    anim = OverlayAnimation(overlay.animation, start=PTS_OFFSET / fps + DELAY)
    src = g.add_input(str(placed.path), "-framerate", str(fps))
    retime = [
        Filter.of("settb", expr=f"1/{fps}"),
        Filter.of("setpts", expr=f"N+{seg.first + PTS_OFFSET}"),
    ]
    layer = g.chain(
        src,
        *from_rgb(look, LAYER_FORMAT),
        Filter.of("loop", loop=seg.count - 1, size=1),
        *retime,
        *anim.on_layer(placed.width, placed.height, retime),
    )
    x, y = anim.position(
        placed.x, placed.y, look.width, look.height, placed.width, placed.height, overlay.x
    )
    return g.chain(
        [label, layer],
        Filter.of(
            "overlay",
            x=x,
            y=y,
            eval="frame" if overlay.animation == "slide" else "init",
            format=BLEND_FORMAT,
        ),
    )


def _video_source(
    g: FilterGraph, seg: Segment, visual: VideoClip, look: Look
) -> tuple[str, list[Filter]]:
    fps = look.fps
    w, h = look.width, look.height
    first = max(0, seg.first)
    seek = visual.start + first / fps
    options: list[str] = []
    if visual.loop and visual.duration > 0:
        options += ["-stream_loop", "-1"]
        seek = seek % visual.duration
    elif visual.duration > 0:
        seek = min(seek, max(0.0, visual.duration - 1.0 / fps))
    if seek > 0:
        options += ["-ss", f"{seek:.6f}"]
    src = g.add_input(visual.video.path, *options)
    # The video's own matrix (read from its frames) into the output's; FFmpeg has already
    # turned it upright by its display matrix (a phone's rotation).
    colour = {"out_color_matrix": colour_space(look), "out_range": "tv"}
    if visual.fit == "cover":
        fit = [
            Filter.of("scale", w=w, h=h, force_original_aspect_ratio="increase", **colour),
            Filter.of("crop", w=w, h=h),
        ]
    else:
        fit = [
            Filter.of("scale", w=w, h=h, force_original_aspect_ratio="decrease", **colour),
            Filter.of("pad", w=w, h=h, x="(ow-iw)/2", y="(oh-ih)/2", color="black"),
        ]
    filters = [*tone_map(visual.hdr), Filter.of("fps", fps=fps), *fit, Filter.of("setsar", r=1)]
    if seg.first < 0:
        filters.append(Filter.of("tpad", start=-seg.first, start_mode="clone"))
    filters += [
        Filter.of("tpad", stop=-1, stop_mode="clone"),
        Filter.of("trim", end_frame=seg.count),
    ]
    return src, filters


HDR_TRANSFER_NAMES = {"pq": "smpte2084", "hlg": "arib-std-b67"}


def tone_map(hdr: str) -> list[Filter]:
    """HDR (BT.2020 PQ or HLG, as phones record) to SDR BT.709: to linear light, BT.2020 to
    BT.709 primaries, the Möbius curve (linear up to SDR white, so faces and mid-tones keep
    their brightness, only highlights are compressed; Hable darkened mid-gray from 128 to
    about 90), then the BT.709 transfer and matrix. Nothing for SDR video."""
    if not hdr:
        return []
    return [
        # The frames' own tags decide zscale's input: pin them to what the probe found.
        Filter.of(
            "setparams",
            color_primaries="bt2020",
            color_trc=HDR_TRANSFER_NAMES[hdr],
            colorspace="bt2020nc",
        ),
        Filter.of(
            "zscale",
            tin=HDR_TRANSFER_NAMES[hdr],
            min="bt2020nc",
            pin="bt2020",
            rin="tv",
            t="linear",
            npl=100,
        ),
        Filter.of("format", pix_fmts="gbrpf32le"),
        Filter.of("zscale", p="bt709"),
        Filter.of("tonemap", tonemap="mobius", desat=0),
        Filter.of("zscale", t="bt709", m="bt709", r="tv"),
        Filter.of("format", pix_fmts="yuv420p"),
    ]


def require_tone_mapping(timeline: Timeline) -> None:
    """Refuse HDR video up front, with the reason, when this FFmpeg cannot tone-map it (a
    build without zscale); the bundled FFmpeg can."""
    for scene in timeline.scenes:
        visual = scene.content.visual
        if isinstance(visual, VideoClip) and visual.hdr:
            chain = ("format=yuv420p10le", *(f.serialise() for f in tone_map(visual.hdr)))
            if not filters_work(*chain):
                field = f"scenes[{scene.index}].visual.src"
                raise MediaError(
                    f"{field}: {Path(visual.video.path).name} is HDR ({visual.hdr.upper()}) "
                    "video and this FFmpeg has no zscale/tonemap filters to turn it into SDR: "
                    "convert it to SDR BT.709, or set REELFORGE_FFMPEG to a full FFmpeg build",
                    field=field,
                )
