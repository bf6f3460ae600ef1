"""Items: priced goods of a store, searchable, with tags."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from flask import Blueprint, Response, request
from pydantic import AfterValidator, ConfigDict, Field, model_validator
from sqlalchemy import (
    delete,
)

from storeapi import db
from storeapi.auth.guards import FRESH, TOKEN
from storeapi.http.api import AfterCommit, after_commit, operation
from storeapi.http.pagination import PageQuery, SortKey, paginate
from storeapi.http.representations import (
    negotiated_etag,
    no_content,
    not_modified,
    render,
    render_page,
)
from storeapi.http.schemas import (
    NO_CONTROL_CHARS,
    Id,
    Input,
    Links,
    ListLinks,
    Name,
    Output,
    Price,
    PriceOut,
    in_nfc,
    one_change_required,
)
from storeapi.media.library import collect_pictures
from storeapi.models import Item
from storeapi.names import folded
from storeapi.resources.item_rows import (
    ITEM_VERSION,
    LD_CONTEXT,
    item_and_etag,
    item_etag,
    item_json,
    item_ld,
    search_statement,
    tags_of,
)
from storeapi.resources.item_writes import change_item, create_owned_item, item_for_write

bp = Blueprint("items", __name__)
TAG = "Items"


class ItemCreate(Input):
    name: Name
    price: Price
    store_id: Id


class ItemUpdate(Input):
    model_config = ConfigDict(json_schema_extra=one_change_required("name", "price"))

    name: Name | None = None
    price: Price = None  # type: ignore[assignment]  # left out: kept; null is not a price

    @model_validator(mode="after")
    def _something_to_change(self) -> ItemUpdate:
        if self.name is None and self.price is None:
            raise ValueError("give name and/or price")
        return self


SORTS = {
    "id": SortKey("id", Item.id),
    "name": SortKey("name", Item.name, str),
    "price": SortKey("price", Item.price, Decimal),
    "created_at": SortKey("created_at", Item.created_at, dt.datetime),
}
LIKE_SPECIAL = re.compile(r"[%_/]")
SortParam = Literal["id", "-id", "name", "-name", "price", "-price", "created_at", "-created_at"]


class ItemSearch(PageQuery):
    q: Annotated[
        str | None,
        Field(max_length=80, pattern=NO_CONTROL_CHARS, description="Name contains (any case)"),
        AfterValidator(in_nfc),
    ] = None
    store_id: Id | None = None
    tag: Annotated[list[Name], Field(max_length=10, description="Tag names, all must match")] = []
    min_price: Price | None = None
    max_price: Price | None = None
    sort: SortParam = "id"


class TagRef(Output):
    id: int
    name: str
    links: Links


class StoreRef(Output):
    """The store an item or a tag belongs to, as the course's clients read it."""

    id: int
    name: str


class ItemImage(Output):
    url: str = Field(description="The picture (WebP), at its full size")
    thumbnail_url: str = Field(description="A thumbnail that fits 256 x 256 pixels")
    width: int
    height: int


class ItemPublic(Output):
    id: int
    name: str
    price: PriceOut
    store_id: int
    store: StoreRef
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: list[TagRef]
    image: ItemImage | None = Field(description="Set with PUT /item/{id}/image")
    links: Links


class ItemList(ListLinks):
    items: list[ItemPublic]


@operation(bp, "/item", tag=TAG, query=ItemSearch, response=ItemList, ld=True)
def list_items(query: ItemSearch) -> Response:
    """List and search items of all stores"""
    tags = list(dict.fromkeys(map(folded, query.tag)))
    params: dict[str, Any] = {f"tag{n}": key for n, key in enumerate(tags)}
    if query.q:
        params["q"] = "%" + LIKE_SPECIAL.sub(r"/\g<0>", query.q) + "%"
    params |= {"store_id": query.store_id, "min_price": query.min_price}
    params["max_price"] = query.max_price
    stmt = search_statement(
        bool(query.q),
        query.store_id is not None,
        len(tags),
        query.min_price is not None,
        query.max_price is not None,
    )
    page = paginate(
        stmt,
        sort=SORTS[query.sort.lstrip("-")],
        descending=query.sort.startswith("-"),
        id_column=Item.id,
        page=query,
        params=params,
        prepared=True,
    )
    tags = tags_of([r.id for r in page.rows])
    items = [item_json(r, tags[r.id]) for r in page.rows]
    return render_page("items", items, page, ld=(LD_CONTEXT, lambda i: item_ld(i, context=False)))


@operation(
    bp,
    "/item",
    "POST",
    tag=TAG,
    guard=TOKEN,
    body=ItemCreate,
    response=ItemPublic,
    status=201,
    ld=True,
    errors={403: "Not the store's owner"},
)
def create_item(body: ItemCreate) -> AfterCommit:
    """Create an item in a store you own"""
    # The owner check is part of the write (an administrator may move the store).
    row = create_owned_item(body.name, body.price, body.store_id)
    item, etag = item_json(row, []), item_etag(row.id, row.version)  # new: no tags to read
    headers = {"Location": f"/item/{row.id}"}
    return after_commit(render, item, 201, etag=etag, ld=item_ld, headers=headers)


@operation(
    bp, "/item/<int:item_id>", tag=TAG, response=ItemPublic, ld=True, errors={404: "No such item"}
)
def get_item(item_id: int) -> Response:
    """Read an item with its tags"""
    if version := _version_if_revalidating(item_id):
        etag = item_etag(item_id, version)
        unchanged = not_modified(negotiated_etag(etag))
        if unchanged is not None:
            return unchanged
    item, etag = item_and_etag(item_id)
    return render(item, etag=etag, ld=item_ld)


def _version_if_revalidating(item_id: int) -> int | None:
    """A 304 is decided from the version column alone, without loading or rendering."""
    if not request.environ.get("HTTP_IF_NONE_MATCH"):
        return None
    row = ITEM_VERSION.first({"item_id": item_id})
    return None if row is None else row.version


@operation(
    bp,
    "/item/<int:item_id>",
    "PUT",
    tag=TAG,
    guard=TOKEN,
    body=ItemUpdate,
    response=ItemPublic,
    ld=True,
    errors={403: "Not the store's owner", 404: "No such item", 412: "The item changed"},
)
def update_item(item_id: int, body: ItemUpdate) -> AfterCommit:
    """Change an item's name and/or price (owner)"""
    item, etag = change_item(item_id, body.model_dump(exclude_none=True))
    return after_commit(render, item, etag=etag, ld=item_ld)


@operation(
    bp,
    "/item/<int:item_id>",
    "DELETE",
    tag=TAG,
    guard=FRESH,
    status=204,
    errors={403: "Not the store's owner", 404: "No such item", 412: "The item changed"},
)
def delete_item(item_id: int) -> Response:
    """Delete an item (owner, fresh token)"""
    row = item_for_write(item_id)
    db.session().execute(delete(Item).where(Item.id == item_id, Item.version == row.version))
    db.commit()
    collect_pictures([row.image_sha256])  # its picture too, unless another item shows it
    return no_content()
