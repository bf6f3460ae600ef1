"""Pictures for `storeapi seed-demo`: drawn by Pillow from the product's name (no downloads),
the same picture for the same product on every run and in every store (so stored once)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from storeapi.media import library
from storeapi.media.images import Picture, picture_from_upload
from storeapi.media.storage import Storage
from storeapi.models import Item

SIZE = (640, 480)
SUFFIX = re.compile(r" \(\d+\)$")  # "Dog Leash (2)" is drawn as "Dog Leash"


def draw(product: str) -> bytes:
    """A PNG: a backdrop and a shape in colours taken from the name, and the name itself."""
    digest = hashlib.sha256(product.encode()).digest()
    back = tuple(150 + b % 100 for b in digest[:3])
    fore = tuple(30 + b % 120 for b in digest[3:6])
    image = Image.new("RGB", SIZE, back)  # type: ignore[arg-type]
    canvas = ImageDraw.Draw(image)
    w, h = SIZE
    for band in range(0, h, 24):  # a soft vertical gradient
        shade = tuple(max(0, c - band // 12) for c in back)
        canvas.rectangle((0, band, w, band + 24), fill=shade)  # type: ignore[arg-type]
    box = (w // 4, h // 6, 3 * w // 4, 2 * h // 3)
    shape = digest[6] % 3
    if shape == 0:
        canvas.ellipse(box, fill=fore, outline=(255, 255, 255), width=6)  # type: ignore[arg-type]
    elif shape == 1:
        canvas.rounded_rectangle(box, 40, fill=fore, outline=(255, 255, 255), width=6)  # type: ignore[arg-type]
    else:
        top = (w // 2, box[1])
        canvas.polygon([top, (box[2], box[3]), (box[0], box[3])], fill=fore)  # type: ignore[arg-type]
    font = ImageFont.load_default(size=34)
    text_box = canvas.textbbox((0, 0), product, font=font)
    x = (w - (text_box[2] - text_box[0])) // 2
    canvas.text((x, h - 110), product, fill=(20, 20, 20), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class DemoPictures:
    """Gives a store's items without a picture their product's, in the store's transaction."""

    def __init__(self, storage: Storage, max_pixels: int) -> None:
        self.storage = storage
        self.max_pixels = max_pixels
        self.pictures: dict[str, Picture] = {}  # drawn once per run, per product
        self.pinned: dict[str, dt.datetime] = {}  # this transaction's, released after it
        self.added = 0

    def picture(self, product: str) -> Picture:
        if product not in self.pictures:
            self.pictures[product] = picture_from_upload(draw(product), self.max_pixels)
        return self.pictures[product]

    def add_to_store(self, session: Session, store_id: int) -> None:
        bare = session.execute(
            select(Item.id, Item.name).where(Item.store_id == store_id, Item.image_sha256.is_(None))
        ).all()
        for item_id, name in bare:
            picture = self.picture(SUFFIX.sub("", name))
            if picture.sha256 not in self.pinned:
                self.pinned[picture.sha256] = library.keep_in(session, self.storage, picture)
            session.execute(
                update(Item)
                .where(Item.id == item_id)
                .values(
                    image_sha256=picture.sha256,
                    image_width=picture.width,
                    image_height=picture.height,
                    version=Item.version + 1,
                )
            )
            self.added += 1

    def release(self, engine: Engine) -> None:
        """After the store's transaction: its pictures are held by their items now."""
        for sha256, pinned in self.pinned.items():
            library.release(engine, self.storage, sha256, pinned)
        self.pinned.clear()
