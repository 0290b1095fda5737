"""Real-world media made on the spot: phone photos (EXIF orientation, Display P3, HEIC), every
common picture format, phone videos (rotated, variable frame rate, odd size, 10-bit HDR) and
music tracks in every common audio format. Small on purpose; nothing is downloaded.

`python tests/realworld_media.py DIR` writes one of each into DIR to look at.
"""

from __future__ import annotations

import io
import math
import struct
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from reelforge.config import ffmpeg_exe

# The four quadrants of an upright test picture: which corner is where after orientation.
TOP_LEFT, TOP_RIGHT = (230, 30, 30), (30, 200, 40)
BOTTOM_LEFT, BOTTOM_RIGHT = (30, 60, 230), (240, 240, 240)
ORANGE = (200, 90, 40)  # a plain sRGB colour for format tests


def quadrants(width: int, height: int) -> np.ndarray:
    """An upright picture (H×W×3) with a different colour in each quadrant."""
    out = np.zeros((height, width, 3), dtype=np.uint8)
    out[: height // 2, : width // 2] = TOP_LEFT
    out[: height // 2, width // 2 :] = TOP_RIGHT
    out[height // 2 :, : width // 2] = BOTTOM_LEFT
    out[height // 2 :, width // 2 :] = BOTTOM_RIGHT
    return out


def stored_for_orientation(upright: np.ndarray, orientation: int) -> np.ndarray:
    """The pixels a camera stores for an `upright` picture under EXIF `orientation`, from the
    EXIF definition (where the stored row 0 and column 0 are), not from Pillow's code."""
    return {
        1: lambda d: d,
        2: lambda d: d[:, ::-1],  # row 0 top, column 0 right
        3: lambda d: d[::-1, ::-1],  # row 0 bottom, column 0 right
        4: lambda d: d[::-1, :],  # row 0 bottom, column 0 left
        5: lambda d: d.transpose(1, 0, 2),  # row 0 left, column 0 top
        6: lambda d: np.rot90(d, 1),  # row 0 right, column 0 top (phone held upright)
        7: lambda d: d[::-1, ::-1].transpose(1, 0, 2),  # row 0 right, column 0 bottom
        8: lambda d: np.rot90(d, -1),  # row 0 left, column 0 bottom
    }[orientation](upright).copy()


def oriented_jpeg(path: Path, orientation: int, width: int = 96, height: int = 64) -> Path:
    """A JPEG that shows the quadrant picture (width × height) once its orientation is applied."""
    stored = stored_for_orientation(quadrants(width, height), orientation)
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(stored).save(path, format="JPEG", quality=95, exif=exif.tobytes())
    return path


# --- ICC profiles -------------------------------------------------------------------------

D65 = (0.3127, 0.3290)
P3_PRIMARIES = ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060))
SRGB_PRIMARIES = ((0.640, 0.330), (0.300, 0.600), (0.150, 0.060))
D50_XYZ = np.array([0.9642, 1.0, 0.8249])


def rgb_to_xyz(
    primaries: tuple[tuple[float, float], ...], white: tuple[float, float]
) -> np.ndarray:
    """The RGB → XYZ matrix of linear RGB with these primaries and white point."""
    xyz = np.array([[x / y, 1.0, (1 - x - y) / y] for x, y in primaries]).T
    wx, wy = white
    w = np.array([wx / wy, 1.0, (1 - wx - wy) / wy])
    return xyz * np.linalg.solve(xyz, w)


def _bradford_to_d50(white: tuple[float, float]) -> np.ndarray:
    m = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])
    wx, wy = white
    src = m @ np.array([wx / wy, 1.0, (1 - wx - wy) / wy])
    dst = m @ D50_XYZ
    return np.asarray(np.linalg.inv(m) @ np.diag(dst / src) @ m)


def srgb_decode(v: np.ndarray) -> np.ndarray:
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def srgb_encode(v: np.ndarray) -> np.ndarray:
    v = np.clip(v, 0.0, 1.0)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055)


def p3_to_srgb(rgb: tuple[int, int, int]) -> np.ndarray:
    """What a Display P3 colour is in sRGB (0-255 floats): the reference for ICC tests."""
    linear = srgb_decode(np.array(rgb) / 255.0)  # Display P3 uses the sRGB curve
    srgb_linear = np.linalg.solve(
        rgb_to_xyz(SRGB_PRIMARIES, D65), rgb_to_xyz(P3_PRIMARIES, D65) @ linear
    )
    return np.asarray(srgb_encode(srgb_linear) * 255.0)


def display_p3_icc() -> bytes:
    """A Display P3 ICC profile (matrix + sRGB curve), written from its definition."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(v: np.ndarray) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(float(c)) for c in v)

    curve = b"para\0\0\0\0" + struct.pack(">H2x", 3)
    curve += b"".join(s15(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045))
    text = b"Display P3 (reelforge test)\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 12 + b"\0" * 67
    columns = _bradford_to_d50(D65) @ rgb_to_xyz(P3_PRIMARIES, D65)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(D50_XYZ)),
        (b"rXYZ", xyz(columns[:, 0])),
        (b"gXYZ", xyz(columns[:, 1])),
        (b"bXYZ", xyz(columns[:, 2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s", size, b"\0\0\0\0", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
    header += b"".join(s15(float(c)) for c in D50_XYZ)
    header += b"\0" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + data


# --- pictures in every format -------------------------------------------------------------

PICTURE_FORMATS = (
    "jpeg",
    "jpeg-cmyk",
    "jpeg-ycck",
    "png",
    "png-16bit",
    "png-gray",
    "png-gray-16bit",
    "png-palette-transparent",
    "webp",
    "heic",
    "avif",
    "tiff",
    "tiff-16bit",
)


def picture(fmt: str, path_stem: Path, color: tuple[int, int, int] = ORANGE) -> Path:
    """A 64×48 picture of one colour in `fmt` (gray formats: the colour's gray level; the
    palette picture is transparent on its right half)."""
    size = (64, 48)
    gray = round(0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2])
    suffix = {"jpeg": ".jpg", "heic": ".heic", "avif": ".avif", "webp": ".webp"}
    path = path_stem.with_suffix(suffix.get(fmt.split("-")[0], "." + fmt.split("-")[0]))
    rgb = Image.new("RGB", size, color)
    if fmt == "jpeg":
        rgb.save(path, quality=95)
    elif fmt == "jpeg-cmyk":
        rgb.convert("CMYK").save(path, format="JPEG", quality=95)
    elif fmt == "jpeg-ycck":
        path.write_bytes(_ycck_jpeg(rgb.convert("CMYK")))
    elif fmt == "png":
        rgb.save(path)
    elif fmt in ("png-16bit", "tiff-16bit"):
        _sixteen_bit_rgb(path, color, size, "png" if fmt == "png-16bit" else "tiff")
    elif fmt == "png-gray":
        Image.new("L", size, gray).save(path)
    elif fmt == "png-gray-16bit":
        Image.fromarray(np.full(size[::-1], gray * 257, dtype=np.uint16)).save(path)
    elif fmt == "png-palette-transparent":
        pal = Image.new("P", size, 0)
        pal.putpalette([*color, 0, 0, 0])
        pal.paste(1, (size[0] // 2, 0, size[0], size[1]))
        pal.save(path, transparency=1)
    elif fmt == "webp":
        rgb.save(path, quality=95)
    elif fmt == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        rgb.save(path, format="HEIF", quality=95)
    elif fmt == "avif":
        rgb.save(path, format="AVIF", quality=95)
    elif fmt == "tiff":
        rgb.save(path, format="TIFF")
    else:
        raise ValueError(fmt)
    return path


def _ycck_jpeg(cmyk: Image.Image) -> bytes:
    """`cmyk` as an Adobe YCCK JPEG (what Photoshop writes for CMYK). Pillow writes only
    plain CMYK, so the channels are converted by hand and the Adobe marker's transform byte
    set to 2 (YCCK). Pillow writes and reads Adobe CMYK inverted; libjpeg turns YCC into
    255 - RGB: so the stored channels are 255 - YCbCr of the C, M, Y channels, and K."""
    c, m, y, k = cmyk.split()
    ycc = Image.merge("RGB", [c, m, y]).convert("YCbCr")
    channels = [255 - np.asarray(ch, dtype=np.int16) for ch in ycc.split()]
    stored = np.stack([*channels, np.asarray(k, dtype=np.int16)], -1).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(stored, "CMYK").save(buffer, format="JPEG", quality=100)
    data = bytearray(buffer.getvalue())
    adobe = data.index(b"Adobe")
    data[adobe + 11] = 2  # "Adobe", version (2), flags0 (2), flags1 (2), transform
    return bytes(data)


def _sixteen_bit_rgb(
    path: Path, color: tuple[int, int, int], size: tuple[int, int], fmt: str
) -> None:
    frame = np.empty((size[1], size[0], 3), dtype=np.uint16)
    frame[...] = [c * 257 for c in color]
    run_ffmpeg(
        "-f", "rawvideo", "-pix_fmt", "rgb48le", "-s", f"{size[0]}x{size[1]}", "-i", "-",
        "-frames:v", "1", "-pix_fmt", "rgb48be", "-c:v", fmt, "-f", "image2", str(path),
        stdin=frame.astype("<u2").tobytes(),
    )  # fmt: skip


# --- phone videos --------------------------------------------------------------------------


def run_ffmpeg(*args: str, stdin: bytes | None = None) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", *args], check=True, input=stdin, capture_output=True
    )


def rotated_phone_video(path: Path, width: int = 96, height: int = 160, fps: int = 30) -> Path:
    """An H.264 MP4 like a phone's portrait video: stored landscape (height × width) with a
    display matrix saying to turn it 90°, so that it shows `quadrants(width, height)`."""
    stored = stored_for_orientation(quadrants(width, height), 6)  # 90° clockwise to show
    raw = path.with_suffix(".raw.mp4")
    _encode(raw, [stored] * fps, fps=fps)
    # FFmpeg's rotation is counter-clockwise: -90 turns the stored picture clockwise.
    run_ffmpeg("-display_rotation", "-90", "-i", str(raw), "-c", "copy", str(path))
    raw.unlink()
    return path


def variable_rate_video(path: Path, seconds: float = 2.0) -> Path:
    """A video whose frames come 20-50 ms apart (a phone under load), each frame numbered by
    its brightness ramp."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        t, index = 0, 0
        rng = np.random.default_rng(1)
        while t < seconds * 1000:
            level = 40 + (index * 7) % 180
            frame = av.VideoFrame.from_ndarray(np.full((64, 96, 3), level, np.uint8), "rgb24")
            frame.pts, frame.time_base = t, Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
            t += int(rng.integers(20, 51))
            index += 1
        for packet in stream.encode():
            container.mux(packet)
    return path


def odd_size_video(path: Path, width: int = 97, height: int = 71) -> Path:
    """A video of odd width and height (4:4:4, as a 4:2:0 stream cannot be odd)."""
    run_ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r=25:d=1", "-c:v", "libx264",
        "-pix_fmt", "yuv444p", "-preset", "ultrafast", str(path),
    )  # fmt: skip
    return path


HDR_TRANSFERS = {"hlg": "arib-std-b67", "pq": "smpte2084"}


def hdr_video(path: Path, transfer: str = "hlg", seconds: float = 1.0) -> Path:
    """A 10-bit HEVC clip tagged BT.2020 with an HLG or PQ transfer, like an iPhone's HDR video:
    a bright red square on mid gray."""
    trc = HDR_TRANSFERS[transfer]
    run_ffmpeg(
        "-f", "lavfi", "-i", f"color=c=0x808080:s=128x96:r=25:d={seconds}",
        "-f", "lavfi", "-i", "color=c=0xC02020:s=48x48:r=25",
        "-filter_complex",
        "[0][1]overlay=40:24:shortest=1,zscale=tin=bt709:min=bt709:pin=bt709:"
        f"t={trc}:m=bt2020nc:p=bt2020:npl=100,format=yuv420p10le",
        "-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
        f"log-level=error:colorprim=bt2020:transfer={trc}:colormatrix=bt2020nc",
        "-color_primaries", "bt2020", "-color_trc", trc, "-colorspace", "bt2020nc",
        "-tag:v", "hvc1", str(path),
    )  # fmt: skip
    return path


def _encode(path: Path, frames: list[np.ndarray], *, fps: int) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "10", "preset": "ultrafast"}
        for pixels in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


# --- music tracks --------------------------------------------------------------------------

AUDIO_CODECS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
    "m4a": ["-c:a", "aac", "-b:a", "128k"],
    "ogg": ["-c:a", "libvorbis"],
    "flac": ["-c:a", "flac"],
}
MUSIC_HZ = 440.0


def music_track(path: Path, seconds: float = 2.0) -> Path:
    """A 440 Hz tone with a slow tremolo, in the format of `path`'s extension."""
    codec = AUDIO_CODECS[path.suffix.lstrip(".")]
    tone = f"sine=f={MUSIC_HZ:g}:d={seconds}:sample_rate=44100,tremolo=f=2:d=0.3"
    run_ffmpeg("-f", "lavfi", "-i", tone, "-ac", "2", *codec, str(path))
    return path


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    """The strongest frequency of a mono signal."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def rms_db(samples: np.ndarray) -> float:
    rms = math.sqrt(float(np.mean(samples.astype(np.float64) ** 2)) or 1e-20)
    return 20 * math.log10(rms)


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 9):
        oriented_jpeg(folder / f"orientation-{n}.jpg", n, 480, 640)
    for fmt in PICTURE_FORMATS:
        picture(fmt, folder / f"picture-{fmt}")
    p3 = Image.new("RGB", (64, 48), (204, 77, 51))
    p3.save(folder / "display-p3.jpg", quality=95, icc_profile=display_p3_icc())
    rotated_phone_video(folder / "phone-portrait.mp4")
    variable_rate_video(folder / "phone-vfr.mp4")
    odd_size_video(folder / "odd-size.mp4")
    for transfer in HDR_TRANSFERS:
        hdr_video(folder / f"hdr-{transfer}.mp4", transfer)
    for ext in AUDIO_CODECS:
        music_track(folder / f"music.{ext}")
    buffer = io.StringIO()
    buffer.write("\n".join(sorted(p.name for p in folder.iterdir())))
    print(buffer.getvalue())


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "realworld-media"))
