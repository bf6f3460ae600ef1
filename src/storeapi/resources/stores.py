"""Stores: the objects that own items and tags; the creator is the owner."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response
from sqlalchemy import bindparam, delete, insert, select

from storeapi import db
from storeapi.auth.guards import FRESH, TOKEN, current_caller, require_owner
from storeapi.http.api import operation
from storeapi.http.links import links
from storeapi.http.pagination import PageQuery, SortKey, paginate
from storeapi.http.problems import Problem, not_found
from storeapi.http.representations import check_if_match_body, no_content, render, render_page
from storeapi.http.schemas import Input, Links, ListLinks, Name, Output, PriceOut
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


def store_json(row) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": row.id,
        "name": row.name,
        "owner_id": row.owner_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "_links": store_links(row.id),
    }


def item_brief(row) -> dict:  # type: ignore[no-untyped-def]
    return {"id": row.id, "name": row.name, "price": row.price, "_links": links(f"/item/{row.id}")}


def tag_brief(row) -> dict:  # type: ignore[no-untyped-def]
    return {"id": row.id, "name": row.name, "_links": links(f"/tag/{row.id}")}


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
    session = db.session()
    # The folded key: what the unique index uq_stores_name_key compares.
    if session.scalar(select(Store.id).where(Store.name_key == folded(body.name))):
        raise Problem(409, "A store with this name already exists", type="store-name-taken")
    now = utcnow()
    store_id = session.execute(
        insert(Store)
        .values(
            name=body.name, owner_id=current_caller().id, created_at=now, updated_at=now, version=1
        )
        .returning(Store.id)
    ).scalar_one()
    return render(full_store(store_id), 201, headers={"Location": f"/store/{store_id}"})


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
    db.session().execute(delete(Store).where(Store.id == store_id))
    return no_content()
