"""The names of stored pictures and their URLs: `<sha256>.webp` for the picture itself and
`<sha256>-<size>.webp` for a thumbnail that fits `size` pixels (long side).

Apart from media/images.py so that rendering an item does not load Pillow."""

from __future__ import annotations

THUMBNAIL = "256"
PREVIEW = "1024"
SIZES = {THUMBNAIL: 256, PREVIEW: 1024}
VARIANTS = ("", PREVIEW, THUMBNAIL)  # "" is the picture itself
MEDIA_TYPE = "image/webp"
MEDIA_NAME = r"[0-9a-f]{64}(?:-(?:256|1024))?\.webp"  # what /media/ serves


def media_name(sha256: str, variant: str = "") -> str:
    """The file name of a rendition, as stored and as served under /media/."""
    return f"{sha256}-{variant}.webp" if variant else f"{sha256}.webp"


def media_url(sha256: str, variant: str = "") -> str:
    return "/media/" + media_name(sha256, variant)
