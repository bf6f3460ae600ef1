"""Real images made with Pillow for the picture tests, good and bad."""

from __future__ import annotations

import io
import os
import struct
import zlib

from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, size, (40, 90, 160, 255) if mode == "RGBA" else (40, 90, 160))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w // 8, h // 8, w // 2, h // 2), fill=(240, 200, 40))
    draw.rectangle((w // 2, h // 2, w - w // 8, h - h // 8), fill=(200, 40, 60))
    draw.line((0, h - 1, w - 1, 0), fill=(255, 255, 255), width=max(1, w // 100))
    return image


def jpeg_with_gps(size: tuple[int, int] = (640, 480), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF holds a camera model, GPS coordinates and perhaps an orientation."""
    exif = Image.Exif()
    exif[0x0110] = "Test Camera"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    _scene(size).save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def png_with_alpha(size: tuple[int, int] = (320, 200)) -> bytes:
    image = _scene(size, "RGBA")
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 3, size[1]), fill=(0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    _scene(size).save(out, "WEBP", quality=85)
    return out.getvalue()


def gif(size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    _scene(size).convert("P").save(out, "GIF")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declared_as(width: int, height: int) -> bytes:
    """A 1 x 1 PNG whose header claims another size (a decompression bomb's header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def png_with_text(text: bytes) -> bytes:
    """A valid PNG with a tEXt chunk holding `text` (markup, for a polyglot)."""
    image = png_with_alpha((32, 32))
    end = image.rindex(b"IEND") - 4
    return image[:end] + _chunk(b"tEXt", b"Comment\x00" + text) + image[end:]


PNG_THEN_HTML = (
    b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def noise(size: int) -> bytes:
    return os.urandom(size)


def truncated_jpeg() -> bytes:
    whole = jpeg_with_gps((640, 480))
    return whole[: len(whole) // 2]
