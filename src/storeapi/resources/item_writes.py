"""Writing items: the owner, If-Match and version checks, and the statements that change rows.

A POST of an item is one statement that checks the caller itself, and so is a PUT on
PostgreSQL; there it runs in autocommit (one round trip), and only a refusal costs a second
read, to tell why. On SQLite the INSERT runs in a writer's transaction (BEGIN IMMEDIATE), and a
PUT checks the item under the write lock, then changes it.
Shared by the item, tag and picture endpoints (resources/items.py, tags.py, images.py).
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
from storeapi.http.problems import Problem, not_found, validation_error
from storeapi.http.representations import check_if_match, etags_in
from storeapi.models import Item, ItemTag, Store, Tag, utcnow
from storeapi.resources.item_rows import (
    ITEM_COLUMNS,
    STORE_NAME,
    item_and_etag,
    item_etag,
    item_from_rows,
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
    (the change did not apply on top of that version: see `change_item`)."""
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
    return item_from_rows(rows)


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
