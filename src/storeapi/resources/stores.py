"""Stores: the objects that own items and tags; the creator is the owner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response
from sqlalchemy import Row, bindparam, delete, insert, select

from storeapi import db
from storeapi.auth.guards import FRESH, TOKEN, current_caller, require_owner
from storeapi.http.api import operation
from storeapi.http.links import links
from storeapi.http.pagination import PageQuery, SortKey, paginate
from storeapi.http.problems import Problem, not_found
from storeapi.http.representations import check_if_match_body, no_content, render, render_page
from storeapi.http.schemas import Input, Links, ListLinks, Name, Output, PriceOut
from storeapi.media.library import collect_pictures
from storeapi.models import Item, Store, Tag, utcnow
from storeapi.names import folded

bp = Blueprint("stores", __name__)
TAG = "Stores"
EMBEDDED = 50  # items and tags shown inside a store; the rest through its links


class StoreCreate(Input):
    name: Name


class ItemBrief(Output):
    id: int
    name: str
    price: PriceOut
    links: Links


class TagBrief(Output):
    id: int
    name: str
    links: Links


class StorePublic(Output):
    id: int
    name: str
    owner_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    items: list[ItemBrief] | None = None
    tags: list[TagBrief] | None = None
    links: Links


class StoreList(ListLinks):
    stores: list[StorePublic]


STORE_COLUMNS = (Store.id, Store.name, Store.owner_id, Store.created_at, Store.updated_at)


def store_links(store_id: int) -> dict:
    return links(
        f"/store/{store_id}",
        items=f"/item?store_id={store_id}",
        tags=f"/store/{store_id}/tag",
        collection="/store",
    )


def store_json(row: Row[Any]) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "owner_id": row.owner_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "_links": store_links(row.id),
    }


def item_brief(row: Row[Any]) -> dict:
    return {"id": row.id, "name": row.name, "price": row.price, "_links": links(f"/item/{row.id}")}


def tag_brief(row: Row[Any]) -> dict:
    return {"id": row.id, "name": row.name, "_links": links(f"/tag/{row.id}")}


def create_named(
    table: type[Store] | type[Tag],
    values: dict[str, Any],
    *,
    unique_per: str | None = None,
    taken: Problem,
    read_back: Callable[[int], dict],
    href: str,
) -> Response:
    """Create a store or a tag and answer 201 with `read_back(id)` at `href.format(id)`.

    Its name must be free in any case (a tag's within its `unique_per` store), else 409
    `taken`: compared by the folded key that the unique index compares (storeapi/names.py).
    """
    session = db.session()
    same_name = [table.name_key == folded(values["name"])]
    if unique_per is not None:
        same_name.append(getattr(table, unique_per) == values[unique_per])
    if session.scalar(select(table.id).where(*same_name)):
        raise taken
    now = utcnow()
    new_id = session.execute(
        insert(table)
        .values(**values, version=1, created_at=now, updated_at=now)
        .returning(table.id)
    ).scalar_one()
    return render(read_back(new_id), 201, headers={"Location": href.format(new_id)})


def store_owner(store_id: int) -> int | None:
    """The owner's id of an existing store; 404 when there is no such store."""
    row = db.session().execute(select(Store.owner_id).where(Store.id == store_id)).first()
    if row is None:
        raise not_found("Store")
    return row.owner_id


ONE_STORE = select(*STORE_COLUMNS).where(Store.id == bindparam("store_id"))
FIRST_ITEMS = (
    select(Item.id, Item.name, Item.price)
    .where(Item.store_id == bindparam("store_id"))
    .order_by(Item.id)
    .limit(EMBEDDED)
)
FIRST_TAGS = (
    select(Tag.id, Tag.name)
    .where(Tag.store_id == bindparam("store_id"))
    .order_by(Tag.id)
    .limit(EMBEDDED)
)


def full_store(store_id: int) -> dict:
    """The store with its first items and tags: three prebuilt statements, no ORM loading."""
    ident = {"store_id": store_id}
    row = db.execute(ONE_STORE, ident).first()
    if row is None:
        raise not_found("Store")
    items = db.execute(FIRST_ITEMS, ident).all()
    tags = db.execute(FIRST_TAGS, ident).all()
    return {
        **store_json(row),
        "items": [item_brief(i) for i in items],
        "tags": [tag_brief(t) for t in tags],
    }


@operation(bp, "/store", tag=TAG, query=PageQuery, response=StoreList)
def list_stores(query: PageQuery) -> Response:
    """List stores"""
    page = paginate(
        select(*STORE_COLUMNS),
        sort=SortKey("id", Store.id),
        descending=False,
        id_column=Store.id,
        page=query,
    )
    return render_page("stores", [store_json(r) for r in page.rows], page)


@operation(
    bp,
    "/store",
    "POST",
    tag=TAG,
    guard=TOKEN,
    body=StoreCreate,
    response=StorePublic,
    status=201,
    errors={409: "A store with this name exists"},
)
def create_store(body: StoreCreate) -> Response:
    """Create a store; you become its owner"""
    return create_named(
        Store,
        {"name": body.name, "owner_id": current_caller().id},
        taken=Problem(409, "A store with this name already exists", type="store-name-taken"),
        read_back=full_store,
        href="/store/{}",
    )


@operation(
    bp, "/store/<int:store_id>", tag=TAG, response=StorePublic, errors={404: "No such store"}
)
def get_store(store_id: int) -> Response:
    """Read a store with its first items and tags"""
    return render(full_store(store_id))


@operation(
    bp,
    "/store/<int:store_id>",
    "DELETE",
    tag=TAG,
    guard=FRESH,
    status=204,
    errors={404: "No such store", 412: "The store changed"},
)
def delete_store(store_id: int) -> Response:
    """Delete a store with all its items and tags (owner, fresh token)"""
    require_owner(store_owner(store_id))
    check_if_match_body(full_store(store_id))
    session = db.session()
    pictures = session.scalars(
        select(Item.image_sha256).where(Item.store_id == store_id).distinct()
    ).all()
    session.execute(delete(Store).where(Store.id == store_id))
    db.commit()
    collect_pictures(pictures)  # its items' pictures too, unless other items show them
    return no_content()
