"""Pictures as users have them, turned into one canonical form: upright, sRGB, 8-bit RGB(A).

Phones store EXIF orientation instead of turning the pixels, embed Display P3 (or other ICC)
profiles and save HEIC; print workflows give CMYK (and YCCK) JPEGs; PNGs come as 16-bit,
grayscale or palette with transparency. Every place that uses a picture goes through here:
the probe (`open_image`, `upright_size`: the size a picture shows at, without decoding it),
and the renderer's layers (`canonical_picture`: the picture decoded once, normalised, and
kept as a PNG named by its content hash). This module decides pixels, so it is part of the
renderer version (render/chunks.py).
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from reelforge.errors import MediaError
from reelforge.files import atomic_write_bytes

logger = logging.getLogger("reelforge.pictures")

ORIENTATION_TAG = 0x0112
# EXIF orientations that turn the picture a quarter turn: its upright width is its height.
QUARTER_TURNS = frozenset({5, 6, 7, 8})
CANONICAL_VERSION = 1  # bump when the canonical pixels of the same file change
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "La", "RGBa"})


@functools.cache
def _register_decoders() -> None:
    """HEIC/HEIF through pillow-heif (AVIF is Pillow's own); once, on first use."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def open_image(path: Path) -> ImageFile.ImageFile:
    """Open a picture lazily (header only), with every decoder we support registered.

    Raises what Pillow raises (UnidentifiedImageError, OSError); an AVIF file on a Pillow
    built without AVIF support is a MediaError that says so.
    """
    _register_decoders()
    # Our own pixel limit is enforced by the probe, with a message that gives the size.
    Image.MAX_IMAGE_PIXELS = None
    try:
        return Image.open(path)
    except UnidentifiedImageError:
        if path.suffix.lower() in (".avif", ".avifs"):
            from PIL import features

            if not features.check("avif"):
                raise MediaError(
                    f"{path.name}: AVIF pictures need Pillow built with AVIF support; "
                    "convert it to JPEG, PNG or WebP",
                    field="file",
                ) from None
        raise


def orientation(image: Image.Image) -> int:
    """The EXIF orientation (1-8; 1 when absent or nonsense)."""
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block must not make a readable picture unusable
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def upright_size(image: Image.Image) -> tuple[int, int]:
    """The picture's width and height as shown, its EXIF orientation applied."""
    w, h = image.size
    return (h, w) if orientation(image) in QUARTER_TURNS else (w, h)


def has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def normalise(image: Image.Image) -> Image.Image:
    """`image` upright, converted to sRGB, as 8-bit `RGB` or (if it has transparency) `RGBA`."""
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    alpha = _alpha(upright)
    colour = _to_srgb(_eight_bit(upright))
    if alpha is not None:
        colour.putalpha(alpha)
    return colour


def _alpha(image: Image.Image) -> Image.Image | None:
    """The alpha channel, or None for an opaque picture (a tRNS colour counts as alpha)."""
    if not has_alpha(image):
        return None
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A")
    if image.mode in ("P", "L", "RGB", "La", "RGBa"):
        return image.convert("RGBA").getchannel("A")
    return None  # 16-bit gray with a transparent colour: rare enough to show opaque


def _eight_bit(image: Image.Image) -> Image.Image:
    """Colour channels only, 8 bits each, in L, RGB or CMYK (16-bit gray scaled, not clipped),
    keeping the ICC profile."""
    mode = image.mode
    if mode.startswith("I;16") or mode == "I":
        import numpy as np

        data = np.asarray(image, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or data.max(initial=0) > 255 else 255.0
        scaled = np.clip(np.round(data * (255.0 / top)), 0, 255).astype(np.uint8)
        out = Image.fromarray(scaled, "L")
    elif mode in ("L", "RGB", "CMYK"):
        return image
    elif mode in ("1", "F", "LA", "La"):
        out = image.convert("L")
    else:  # P, PA, RGBA, RGBa, RGBX, YCbCr, LAB, HSV...
        out = image.convert("RGB")
    if "icc_profile" in image.info:
        out.info["icc_profile"] = image.info["icc_profile"]
    return out


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colour-manage `image` (1, L, RGB or CMYK) from its embedded ICC profile to sRGB RGB."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("L", "RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                image,
                source,
                _srgb(),
                renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                outputMode="RGB",
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            # A broken or unusual profile: the pixels as they are beat no picture at all.
            logger.info("ignoring an unusable ICC profile: %s", exc)
    return image.convert("RGB")


def canonical_picture(path: Path, content_hash: str, cache: Path) -> Path:
    """The picture at `path` (whose bytes hash to `content_hash`) in canonical form, as a PNG
    in `cache/pictures`, made on first use. Raises MediaError when it cannot be decoded."""
    out = cache / "pictures" / content_hash[:2] / f"{content_hash}-v{CANONICAL_VERSION}.png"
    if out.is_file():
        return out
    try:
        with open_image(path) as image:
            canonical = normalise(image)
    except MediaError:
        raise
    except Exception as exc:  # untrusted bytes can trip a decoder in unforeseen ways
        raise MediaError(f"{path.name}: the picture cannot be decoded ({exc})") from None
    buffer = io.BytesIO()
    canonical.save(buffer, format="PNG", compress_level=1)
    atomic_write_bytes(out, buffer.getvalue())
    return out
