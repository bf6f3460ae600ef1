"""Turning uploaded bytes into a safe picture: the type read from the bytes, the size and pixel
limits, a full decode, and new WebP files (the picture and its thumbnails) that keep nothing of
the upload but its pixels.

Every refusal is a `Problem`: 413 for too many bytes or pixels, 415 for what is not a JPEG, PNG
or WebP image (or is one and also markup: a polyglot), 422 for a truncated or corrupt one.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from storeapi.http.problems import Problem
from storeapi.media.names import PREVIEW, SIZES, THUMBNAIL

WEBP_MAX_SIDE = 16383  # the format's own limit
# Lossy WebP. The picture is encoded with a faster method than the thumbnails: it is
# encoded once per upload and is large, the thumbnails are small and served far more often.
PICTURE_OPTIONS = {"quality": 82, "method": 2}
THUMBNAIL_OPTIONS = {"quality": 80, "method": 4}

# What each accepted format starts with; a WebP file is RIFF....WEBP.
SIGNATURES = {"JPEG": (b"\xff\xd8\xff",), "PNG": (b"\x89PNG\r\n\x1a\n",)}
NAMED_REFUSALS = {b"GIF87a": "GIF", b"GIF89a": "GIF", b"BM": "BMP", b"II*\x00": "TIFF"}
# Markup that a browser or an interpreter would act on, anywhere in the file: an image that
# carries it is a polyglot (say a PNG whose chunks hold an HTML page), refused whole.
MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?php)[\s>/]", re.IGNORECASE
)
SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Picture:
    """A re-encoded picture: its key (SHA-256 of its WebP bytes), size, and each rendition."""

    sha256: str
    width: int
    height: int
    renditions: dict[str, bytes]  # variant ("" for the picture itself) -> WebP bytes

    @property
    def stored_bytes(self) -> int:
        return sum(map(len, self.renditions.values()))


def unsupported(detail: str) -> Problem:
    return Problem(415, detail, type="unsupported-image")


def unreadable(detail: str) -> Problem:
    return Problem(
        422,
        detail,
        type="invalid-image",
        errors=[{"field": "body", "message": detail}],
    )


def too_large(detail: str) -> Problem:
    return Problem(413, detail, type="image-too-large")


def image_format(data: bytes) -> str:
    """JPEG, PNG or WEBP, from the first bytes alone; 415 for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for name, starts in SIGNATURES.items():
        if data.startswith(starts):
            return name
    for start, name in NAMED_REFUSALS.items():
        if data.startswith(start):
            raise unsupported(f"{name} images are not accepted: send a JPEG, PNG or WebP image")
    raise unsupported("This is not a JPEG, PNG or WebP image (the type is read from the bytes)")


def picture_from_upload(data: bytes, max_pixels: int) -> Picture:
    """The picture in `data`, decoded in full and re-encoded, with its thumbnails."""
    if not data:
        raise unreadable("The body is empty: send the image's bytes")
    kind = image_format(data)
    if MARKUP.search(data):
        raise unsupported("The file holds markup besides the image (a polyglot): refused")
    image = _decoded(data, kind, max_pixels)
    return _renditions(_normalised(image))


def _decoded(data: bytes, kind: str, max_pixels: int) -> Image.Image:
    """The decoded image, its size checked before a pixel is decoded (decompression bombs)."""
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
    except Image.DecompressionBombError:  # over twice Pillow's limit, refused at the header
        raise _too_many_pixels(max_pixels) from None
    except Exception:  # Pillow reports a bad header in several ways; all mean the same here
        raise unreadable(f"The {kind} image cannot be read: it is corrupt") from None
    width, height = image.size
    if width * height > max_pixels or max(width, height) > WEBP_MAX_SIDE:
        raise _too_many_pixels(max_pixels)
    if getattr(image, "n_frames", 1) > 1:
        raise unsupported("Animated images are not accepted: send a single picture")
    try:
        image.load()
    except Exception:
        raise unreadable(f"The {kind} image cannot be read: it is truncated or corrupt") from None
    return image


def _too_many_pixels(max_pixels: int) -> Problem:
    return too_large(
        f"The image has more than {max_pixels} pixels or a side over {WEBP_MAX_SIDE} pixels"
    )


def _normalised(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), in sRGB, RGB or RGBA, and without any metadata.
    Copies only where something changes: a 12-megapixel copy costs tens of milliseconds."""
    ImageOps.exif_transpose(image, in_place=True)
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: the pixels are taken as sRGB
    if has_alpha and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")  # an alpha channel that hides nothing
    image.info = {}
    return image


def _webp(image: Image.Image, options: dict[str, int]) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", exif=b"", xmp=b"", icc_profile=None, **options)
    return out.getvalue()


def _renditions(image: Image.Image) -> Picture:
    picture = _webp(image, PICTURE_OPTIONS)
    renditions = {"": picture}
    smaller = image
    for variant in (PREVIEW, THUMBNAIL):  # each from the one before: less to resample
        smaller = smaller.copy()
        smaller.thumbnail((SIZES[variant], SIZES[variant]), Image.Resampling.LANCZOS, 2.0)
        renditions[variant] = _webp(smaller, THUMBNAIL_OPTIONS)
    sha256 = hashlib.sha256(picture).hexdigest()
    return Picture(sha256, image.width, image.height, renditions)
