"""An item's rows: its columns, prepared statements, JSON and JSON-LD, and the search query.

Shared by the item endpoints (resources/items.py) and the tag endpoints that answer with
items (resources/tags.py).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from flask import current_app, request
from sqlalchemy import (
    Boolean,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from storeapi import db
from storeapi.auth.guards import current_caller, require_owner
from storeapi.http.pagination import MAX_LIMIT
from storeapi.http.problems import Problem, not_found, validation_error
from storeapi.http.representations import check_if_match, etags_in, json_ld, object_etag
from storeapi.media.names import PREVIEW, THUMBNAIL, media_url
from storeapi.models import Item, ItemTag, Store, Tag, utcnow

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


# Writes, prepared like the hot reads (they run while SQLite's write lock is held: every instant
# there is one other writers wait for): a new version, and with CHANGE_ITEM the fields given
# (a NULL keeps the old value), only if still at `expected`; RETURNING says whether it did.
_BUMP = (
    update(Item)
    .where(Item.id == bindparam("item_id"))
    .values(version=Item.version + 1, updated_at=bindparam("now", type_=Item.updated_at.type))
)
BUMP_ITEM = db.Prepared(_BUMP.returning(Item.id))
_CHANGE = _BUMP.values(
    name=func.coalesce(bindparam("new_name", type_=Item.name.type), Item.name),
    price=func.coalesce(bindparam("new_price", type_=Item.price.type), Item.price),
)
CHANGE_ITEM = db.Prepared(_CHANGE.where(Item.version == bindparam("expected")).returning(Item.id))
STORE_OWNER = db.Prepared(
    select(Store.owner_id, Store.name).where(Store.id == bindparam("store_id"))
)

# Writes that check the caller themselves, in the same statement: a caller who may write changes
# the row at once (on PostgreSQL in autocommit, one round trip), and only a refusal costs a
# second read, to tell why. `is_admin` stands for the administrator's right to any store.
_MAY_WRITE = or_(
    Store.owner_id == bindparam("caller_id", type_=Integer),
    bindparam("is_admin", type_=Boolean),
)
_STORE_ID = bindparam("store_id", type_=Integer)
_NOW = bindparam("now", type_=Item.created_at.type)
INSERT_OWNED_ITEM = db.Prepared(
    insert(Item)
    .from_select(
        [Item.name, Item.price, Item.store_id, Item.version, Item.created_at, Item.updated_at],
        select(
            bindparam("name", type_=Item.name.type),
            bindparam("price", type_=Item.price.type),
            Store.id,
            literal_column("1"),
            _NOW,
            _NOW,
        ).where(Store.id == _STORE_ID, _MAY_WRITE),
    )
    # (RETURNING names the inserted row alone: the store's name by its id, the parameter)
    .returning(*ITEM_COLUMNS, select(Store.name).where(Store.id == _STORE_ID).label("store_name"))
)


@functools.lru_cache(maxsize=2)
def change_owned_item(at_version: bool) -> db.Prepared:
    """PostgreSQL: change an item the caller may change (at `expected`, when `at_version`) and
    answer it with its tags, in one statement. UPDATE takes the row's lock, so writes to one
    item still queue (two PUTs without If-Match both apply) and a version guard is checked
    against the row as the writer before us left it.

    All of a statement's reads share one snapshot, taken before it waited for that lock: the
    tags are read from it, and `version_before` (the item in it) says whether they may be stale
    (the change did not apply on top of that version: see `changed_item_and_etag`)."""
    stmt = _CHANGE.where(Store.id == Item.store_id, _MAY_WRITE)
    if at_version:
        stmt = stmt.where(Item.version == bindparam("expected"))
    changed = stmt.returning(*ITEM_COLUMNS, STORE_NAME).cte("changed")
    before = aliased(Item)
    return db.Prepared(
        select(
            changed,
            before.version.label("version_before"),
            Tag.id.label("tag_id"),
            Tag.name.label("tag_name"),
        )
        .join(before, before.id == changed.c.id)
        .outerjoin(ItemTag, ItemTag.item_id == changed.c.id)
        .outerjoin(Tag, Tag.id == ItemTag.tag_id)
        .order_by(Tag.id)
    )


ITEM_OWNER = db.Prepared(
    select(Item.version, Store.owner_id)
    .join(Store, Store.id == Item.store_id)
    .where(Item.id == bindparam("item_id"))
)
# Writers lock the item row first (PostgreSQL; SQLite writers are serialised anyway): writes to
# one item queue instead of deadlocking (unlink vs delete) or failing a version check they
# never asked for (two PUTs without If-Match).
ITEM_FOR_WRITE = db.Prepared(
    select(Item.id, Item.version, Item.store_id, Store.owner_id, Item.image_sha256)
    .join(Store, Store.id == Item.store_id)
    .where(Item.id == bindparam("item_id"))
    .with_for_update(of=Item)
)


def item_etag(item_id: int, version: int) -> str:
    return object_etag("i", item_id, version)


def item_and_etag(item_id: int) -> tuple[dict, str]:
    """The item's representation and its ETag, in one query (item left-joined to its tags)."""
    rows = ITEM_WITH_TAGS.rows({"item_id": item_id})
    if not rows:
        raise not_found("Item")
    return _item_from_rows(rows)


def _item_from_rows(rows: list[Any]) -> tuple[dict, str]:
    """From rows of ITEM_COLUMNS, `store_name`, `tag_id` and `tag_name`, one per tag."""
    tags = [tag_ref(r.tag_id, r.tag_name) for r in rows if r.tag_id is not None]
    return item_json(rows[0], tags), item_etag(rows[0].id, rows[0].version)


def create_owned_item(name: str, price: Any, store_id: int) -> Row[Any]:
    """Insert an item into the caller's store (any store for an administrator), in one
    statement: 422 when there is no such store, 403 when it is another's."""
    caller = current_caller()
    params = {"name": name, "price": price, "store_id": store_id, "now": utcnow()}
    params |= {"caller_id": caller.id, "is_admin": caller.is_admin}
    while not (rows := INSERT_OWNED_ITEM.write(params)):
        store = STORE_OWNER.first({"store_id": store_id})
        if store is None:
            raise validation_error("store_id", "no store with this id")
        require_owner(store.owner_id)  # passes only if the store has just become the caller's
    return rows[0]


def change_item(item_id: int, values: dict[str, Any]) -> tuple[dict, str]:
    """Change an item's name and/or price (`values`) as the caller: the item's representation
    as this write left it, and its ETag; 404, 403 or 412 otherwise.

    On PostgreSQL in one statement, unless If-Match names several versions of the item. On
    SQLite, where a statement is a call inside the process, the item is checked under the
    write lock, then changed and read back, in one transaction."""
    expected = _version_in_if_match(item_id) if _on_postgresql() else _SEVERAL
    if expected is _SEVERAL:
        row = item_for_write(item_id)
        bump_version(item_id, row.version, **values)
        return item_and_etag(item_id)
    caller = current_caller()
    params = {"item_id": item_id, "now": utcnow(), "new_name": None, "new_price": None}
    params |= {f"new_{k}": v for k, v in values.items()}
    params |= {"caller_id": caller.id, "is_admin": caller.is_admin, "expected": expected}
    rows = change_owned_item(expected is not None).write(params)
    if not rows:  # nothing changed: why, told from the item as it is now
        check_may_change(item_id, ITEM_OWNER.first({"item_id": item_id}))
        raise _changed_meanwhile()
    if rows[0].version != rows[0].version_before + 1:
        # Changed on top of a version newer than the statement's snapshot: its tags may be
        # stale, so read the item anew (it may then show a later write too, with its ETag).
        return item_and_etag(item_id)
    return _item_from_rows(rows)


def _on_postgresql() -> bool:
    return current_app.extensions["engine"].dialect.name == "postgresql"  # type: ignore[no-any-return]


_SEVERAL = object()  # If-Match names several versions of the item


def _version_in_if_match(item_id: int) -> int | object | None:
    """The version a PUT's If-Match asks for: None without one (or with `*`), -1 when it names
    no version of this item (none can match), `_SEVERAL` when it names more than one."""
    header = request.environ.get("HTTP_IF_MATCH")
    if not header:
        return None
    tags = etags_in(header)
    if "*" in tags:
        return None  # any current representation: the item only has to exist
    versions = set()
    for tag in tags:
        found = _ITEM_ETAG.fullmatch(tag)
        if found and int(found["id"]) == item_id:
            versions.add(int(found["version"]))
    if len(versions) > 1:
        return _SEVERAL
    return versions.pop() if versions else -1


# The strong ETags of an item's representations (`item_etag`, with JSON-LD's and XML's suffix)
_ITEM_ETAG = re.compile(r'"i(?P<id>[0-9]+)v(?P<version>[0-9]+)(?:ld|xml)?"')


def tags_of(item_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {i: [] for i in item_ids}
    if item_ids:
        for start in range(0, len(item_ids), MAX_LIMIT):
            chunk = item_ids[start : start + MAX_LIMIT]
            ids = dict(zip(ID_SLOTS, chunk, strict=False))
            for item_id, tag_id, name in tags_of_items(len(chunk)).rows(ids):
                out[item_id].append(tag_ref(tag_id, name))
    return out


def item_for_write(item_id: int) -> Row[Any]:
    """Version, store, owner and picture of an item the caller may change; 404, 403, 412
    otherwise."""
    db.begin()  # the lock and the checks belong to the write
    return check_may_change(item_id, ITEM_FOR_WRITE.first({"item_id": item_id}))


def check_may_change(item_id: int, row: Row[Any] | None) -> Row[Any]:
    """The item's row (with `owner_id` and `version`) if the caller may change it: 404, 403,
    412 otherwise."""
    if row is None:
        raise not_found("Item")
    require_owner(row.owner_id)
    check_if_match(item_etag(item_id, row.version))
    return row


def bump_version(item_id: int, expected: int | None = None, **values: Any) -> None:
    """Change an item (if still at `expected`): 412 when someone else changed it first."""
    params = {"item_id": item_id, "now": utcnow()}
    if expected is None:
        changed = len(BUMP_ITEM.rows(params))
    else:
        params |= {"expected": expected, "new_name": None, "new_price": None}
        params |= {f"new_{k}": v for k, v in values.items()}
        changed = len(CHANGE_ITEM.rows(params))
    if changed != 1:
        raise _changed_meanwhile()


def _changed_meanwhile() -> Problem:
    return Problem(
        412, "The item changed while you were writing; fetch it again", type="precondition-failed"
    )


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
