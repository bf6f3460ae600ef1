"""An item's rows: its columns, prepared reads, JSON and JSON-LD, and the search query
(writes: resources/item_writes.py).

Shared by the item endpoints (resources/items.py) and the tag endpoints that answer with
items (resources/tags.py).
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    Integer,
    Row,
    Select,
    String,
    bindparam,
    func,
    select,
)

from storeapi import db
from storeapi.http.pagination import MAX_LIMIT
from storeapi.http.problems import not_found
from storeapi.http.representations import json_ld, object_etag
from storeapi.media.names import PREVIEW, THUMBNAIL, media_url
from storeapi.models import Item, ItemTag, Store, Tag

ITEM_COLUMNS = (
    Item.id,
    Item.name,
    Item.price,
    Item.store_id,
    Item.version,
    Item.created_at,
    Item.updated_at,
)
IMAGE_COLUMNS = (Item.image_sha256, Item.image_width, Item.image_height)
IMAGE_KEYS = frozenset(c.key for c in IMAGE_COLUMNS)
ITEM_COLUMNS = (*ITEM_COLUMNS, *IMAGE_COLUMNS)
LD_CONTEXT = {
    "@vocab": "https://schema.org/",
    "store_id": "https://storeapi.dev/vocab#store_id",
    "store": "https://storeapi.dev/vocab#store",
    "tags": "keywords",
    "created_at": "dateCreated",
    "updated_at": "dateModified",
    "thumbnail_url": "thumbnailUrl",
}


def item_json(row: Row[Any], tags: list[dict], store_name: str | None = None) -> dict:
    """An item's JSON from a row of ITEM_COLUMNS and its store's name (`row.store_name`, as
    the reads select it, unless given)."""
    # Written out rather than through `links()`: a list page builds fifty of these.
    item = {
        "id": row.id,
        "name": row.name,
        "price": row.price,
        "store_id": row.store_id,
        "store": {"id": row.store_id, "name": row.store_name if store_name is None else store_name},
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "tags": tags,
        "image": None,
        "_links": {
            "self": {"href": f"/item/{row.id}"},
            "store": {"href": f"/store/{row.store_id}"},
            "tags": [t["_links"]["self"] for t in tags],
            "collection": {"href": "/item"},
        },
    }
    if row.image_sha256 is not None:
        add_image(item, row)
    return item


def add_image(item: dict, row: Row[Any]) -> None:
    """The item's picture (stored files, served by resources/images.py) and its links."""
    sha256, links = row.image_sha256, item["_links"]
    image = item["image"] = {
        "url": media_url(sha256),
        "thumbnail_url": media_url(sha256, THUMBNAIL),
        "width": row.image_width,
        "height": row.image_height,
    }
    links["image"] = {"href": image["url"], "type": "image/webp"}
    links["thumbnail"] = {"href": image["thumbnail_url"], "type": "image/webp"}
    links["preview"] = {"href": media_url(sha256, PREVIEW), "type": "image/webp"}


def item_ld(item: dict, context: bool = True) -> dict:
    """JSON-LD (schema.org Product); `context=False` inside a list that carries it once."""
    return json_ld(item, "Product", LD_CONTEXT if context else None)


def tag_ref(tag_id: int, name: str) -> dict:
    return {"id": tag_id, "name": name, "_links": {"self": {"href": f"/tag/{tag_id}"}}}


# The store's name rides along in the same query: one more primary-key lookup, no round trip.
STORE_NAME = Store.name.label("store_name")
ITEM_WITH_TAGS = db.Prepared(
    select(*ITEM_COLUMNS, STORE_NAME, Tag.id.label("tag_id"), Tag.name.label("tag_name"))
    .join(Store, Store.id == Item.store_id)
    .outerjoin(ItemTag, ItemTag.item_id == Item.id)
    .outerjoin(Tag, Tag.id == ItemTag.tag_id)
    .where(Item.id == bindparam("item_id"))
    .order_by(Tag.id)
)
ITEM_VERSION = db.Prepared(select(Item.version).where(Item.id == bindparam("item_id")))
ID_SLOTS = [f"i{n}" for n in range(MAX_LIMIT)]


@functools.lru_cache(maxsize=MAX_LIMIT)
def tags_of_items(count: int) -> db.Prepared:
    """The tags of `count` items as a prepared read, one bindparam per item (a prepared
    statement cannot expand a list): one statement per page size, most often just the default.
    Not padded to one size: PostgreSQL then expects four times the rows and hashes all tags."""
    return db.Prepared(
        select(ItemTag.item_id, Tag.id, Tag.name)
        .join(Tag, Tag.id == ItemTag.tag_id)
        .where(ItemTag.item_id.in_([bindparam(slot, type_=Integer) for slot in ID_SLOTS[:count]]))
        .order_by(ItemTag.item_id, ItemTag.tag_id)  # = tags.id, in the primary key's order
    )


def item_etag(item_id: int, version: int) -> str:
    return object_etag("i", item_id, version)


def item_and_etag(item_id: int) -> tuple[dict, str]:
    """The item's representation and its ETag, in one query (item left-joined to its tags)."""
    rows = ITEM_WITH_TAGS.rows({"item_id": item_id})
    if not rows:
        raise not_found("Item")
    return item_from_rows(rows)


def item_from_rows(rows: list[Any]) -> tuple[dict, str]:
    """From rows of ITEM_COLUMNS, `store_name`, `tag_id` and `tag_name`, one per tag."""
    tags = [tag_ref(r.tag_id, r.tag_name) for r in rows if r.tag_id is not None]
    return item_json(rows[0], tags), item_etag(rows[0].id, rows[0].version)


def tags_of(item_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {i: [] for i in item_ids}
    if item_ids:
        for start in range(0, len(item_ids), MAX_LIMIT):
            chunk = item_ids[start : start + MAX_LIMIT]
            ids = dict(zip(ID_SLOTS, chunk, strict=False))
            for item_id, tag_id, name in tags_of_items(len(chunk)).rows(ids):
                out[item_id].append(tag_ref(tag_id, name))
    return out


@functools.lru_cache(maxsize=256)
def search_statement(
    q: bool, store: bool, tags: int, min_price: bool, max_price: bool
) -> Select[Any]:
    """The item search with the filters given, their values as bindparams: one statement per
    combination of filters, built once, so its pages run as prepared reads."""
    stmt = select(*ITEM_COLUMNS, STORE_NAME).join(Store, Store.id == Item.store_id)
    if q:
        # lower(name) LIKE lower(pattern): the expression the trigram index is built on.
        pattern = bindparam("q", type_=String)
        stmt = stmt.where(func.lower(Item.name).like(func.lower(pattern), escape="/"))
    if store:
        stmt = stmt.where(Item.store_id == bindparam("store_id", type_=Integer))
    for n in range(tags):
        # One IN per tag (items having all of them), each driven by ix_tags_name_key and
        # ix_item_tags_tag_item; the parameter is the tag's folded key (storeapi.names).
        key = bindparam(f"tag{n}", type_=String)
        stmt = stmt.where(
            Item.id.in_(
                select(ItemTag.item_id)
                .join(Tag, Tag.id == ItemTag.tag_id)
                .where(Tag.name_key == key)
            )
        )
    if min_price:
        stmt = stmt.where(Item.price >= bindparam("min_price", type_=Item.price.type))
    if max_price:
        stmt = stmt.where(Item.price <= bindparam("max_price", type_=Item.price.type))
    return stmt
