"""Tags: named per store, linked to that store's items."""

from __future__ import annotations

import datetime as dt
import importlib
from urllib.parse import urlencode

from flask import Blueprint, Response
from sqlalchemy import Row, Select, delete, select

from storeapi import db
from storeapi.auth.guards import FRESH, TOKEN, require_owner
from storeapi.http.api import operation
from storeapi.http.links import links
from storeapi.http.pagination import PageQuery, SortKey, paginate
from storeapi.http.problems import Problem, not_found
from storeapi.http.representations import check_if_match_body, no_content, render, render_page
from storeapi.http.schemas import Input, Links, ListLinks, Name, Output
from storeapi.models import Item, ItemTag, Store, Tag
from storeapi.resources.item_rows import item_and_etag
from storeapi.resources.item_writes import bump_version, item_for_write
from storeapi.resources.items import ItemPublic, StoreRef
from storeapi.resources.stores import ItemBrief, create_named, item_brief, store_owner

bp = Blueprint("tags", __name__)
TAG = "Tags"
EMBEDDED = 50


class TagCreate(Input):
    name: Name


class TagPublic(Output):
    id: int
    name: str
    store_id: int
    store: StoreRef
    created_at: dt.datetime
    items: list[ItemBrief] | None = None
    links: Links


class TagList(ListLinks):
    tags: list[TagPublic]


class TagLink(Output):
    """What a link joins: the item (with all its tags) and the tag (without its items)."""

    item: ItemPublic
    tag: TagPublic
    links: Links


TAG_COLUMNS = (Tag.id, Tag.name, Tag.store_id, Tag.created_at, Store.name.label("store_name"))


def select_tags() -> Select:
    """Tags with their store's name (TAG_COLUMNS), joined in the same query."""
    return select(*TAG_COLUMNS).join(Store, Store.id == Tag.store_id)


def tag_json(row: Row) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "store_id": row.store_id,
        "store": {"id": row.store_id, "name": row.store_name},
        "created_at": row.created_at,
        "_links": links(
            f"/tag/{row.id}",
            store=f"/store/{row.store_id}",
            items="/item?" + urlencode({"store_id": row.store_id, "tag": row.name}),
        ),
    }


def full_tag(tag_id: int) -> dict:
    session = db.session()
    row = session.execute(select_tags().where(Tag.id == tag_id)).first()
    if row is None:
        raise not_found("Tag")
    items = session.execute(
        select(Item.id, Item.name, Item.price)
        .join(ItemTag, ItemTag.item_id == Item.id)
        .where(ItemTag.tag_id == tag_id)
        .order_by(Item.id)
        .limit(EMBEDDED)
    ).all()
    return {**tag_json(row), "items": [item_brief(i) for i in items]}


def tag_for_write(tag_id: int) -> Row:
    row = (
        db.session()
        .execute(
            select(Tag.id, Tag.store_id, Store.owner_id)
            .join(Store, Store.id == Tag.store_id)
            .where(Tag.id == tag_id)
        )
        .first()
    )
    if row is None:
        raise not_found("Tag")
    require_owner(row.owner_id)
    return row


@operation(
    bp,
    "/store/<int:store_id>/tag",
    tag=TAG,
    query=PageQuery,
    response=TagList,
    errors={404: "No such store"},
)
def list_store_tags(store_id: int, query: PageQuery) -> Response:
    """List the tags of a store"""
    store_owner(store_id)
    page = paginate(
        select_tags().where(Tag.store_id == store_id),
        sort=SortKey("id", Tag.id),
        descending=False,
        id_column=Tag.id,
        page=query,
    )
    return render_page("tags", [tag_json(r) for r in page.rows], page)


@operation(
    bp,
    "/store/<int:store_id>/tag",
    "POST",
    tag=TAG,
    guard=TOKEN,
    body=TagCreate,
    response=TagPublic,
    status=201,
    errors={
        403: "Not the store's owner",
        404: "No such store",
        409: "The store has a tag with this name",
    },
)
def create_tag(store_id: int, body: TagCreate) -> Response:
    """Create a tag in a store you own"""
    require_owner(store_owner(store_id))
    return create_named(
        Tag,
        {"name": body.name, "store_id": store_id},
        unique_per="store_id",
        taken=Problem(409, "This store already has a tag with this name", type="tag-name-taken"),
        read_back=full_tag,
        href="/tag/{}",
    )


@operation(bp, "/tag/<int:tag_id>", tag=TAG, response=TagPublic, errors={404: "No such tag"})
def get_tag(tag_id: int) -> Response:
    """Read a tag with its items"""
    return render(full_tag(tag_id))


@operation(
    bp,
    "/tag/<int:tag_id>",
    "DELETE",
    tag=TAG,
    guard=FRESH,
    status=204,
    errors={404: "No such tag", 409: "Items are linked to the tag"},
)
def delete_tag(tag_id: int) -> Response:
    """Delete a tag that no item uses (owner, fresh token)"""
    tag_for_write(tag_id)
    check_if_match_body(full_tag(tag_id))
    session = db.session()
    if session.scalar(select(ItemTag.item_id).where(ItemTag.tag_id == tag_id).limit(1)):
        raise Problem(409, "Items are linked to this tag; unlink them first", type="tag-in-use")
    session.execute(delete(Tag).where(Tag.id == tag_id))
    return no_content()


def _link_target(item_id: int, tag_id: int) -> tuple[Row, Row]:
    item = item_for_write(item_id)
    tag = db.session().execute(select_tags().where(Tag.id == tag_id)).first()
    if tag is None:
        raise not_found("Tag")
    return item, tag


def link_json(item_id: int, tag: Row) -> dict:
    item, _ = item_and_etag(item_id)
    return {
        "item": item,
        "tag": tag_json(tag),
        "_links": links(
            f"/item/{item_id}/tag/{tag.id}", item=f"/item/{item_id}", tag=f"/tag/{tag.id}"
        ),
    }


LINK = "/item/<int:item_id>/tag/<int:tag_id>"


@operation(
    bp,
    LINK,
    tag=TAG,
    response=TagLink,
    errors={404: "No such item or tag, or the tag is not linked to the item"},
)
def get_link(item_id: int, tag_id: int) -> Response:
    """Read a link: the item and the tag linked to it"""
    session = db.session()
    tag = session.execute(
        select_tags()
        .join(ItemTag, ItemTag.tag_id == Tag.id)
        .where(ItemTag.item_id == item_id, Tag.id == tag_id)
    ).first()
    if tag is None:
        raise not_found("Link")
    return render(link_json(item_id, tag))


@operation(
    bp,
    LINK,
    "POST",
    tag=TAG,
    guard=TOKEN,
    response=TagLink,
    status=201,
    other_statuses={200: "The tag was linked already; nothing changed"},
    errors={
        403: "Not the store's owner",
        404: "No such item or tag",
        409: "The tag belongs to another store",
    },
)
def link_tag(item_id: int, tag_id: int) -> Response:
    """Tag an item; both must be in the same store. Linking twice changes nothing

    201 with `Location` when this request made the link, 200 when it existed already; either
    way the body is the link: the item (with all its tags) and the tag.
    """
    item, tag = _link_target(item_id, tag_id)
    if tag.store_id != item.store_id:
        raise Problem(
            409, "The tag belongs to another store than the item", type="tag-of-another-store"
        )
    session = db.session()
    # INSERT … ON CONFLICT of the engine's own dialect, whose module the engine has loaded
    # (importing PostgreSQL's at start-up would cost an SQLite worker memory for nothing).
    dialect = importlib.import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
    added = session.execute(
        dialect.insert(ItemTag)
        .values(item_id=item_id, tag_id=tag_id)
        .on_conflict_do_nothing()
        .returning(ItemTag.item_id)  # a row if it inserted (rowcount said 1 on PostgreSQL)
    ).first()
    if added is None:
        return render(link_json(item_id, tag))
    bump_version(item_id)
    location = {"Location": f"/item/{item_id}/tag/{tag_id}"}
    return render(link_json(item_id, tag), 201, headers=location)


@operation(
    bp,
    LINK,
    "DELETE",
    tag=TAG,
    guard=TOKEN,
    status=204,
    errors={403: "Not the store's owner", 404: "No such item or tag"},
)
def unlink_tag(item_id: int, tag_id: int) -> Response:
    """Remove a tag from an item (unlinking a tag that is not linked changes nothing)"""
    _link_target(item_id, tag_id)
    removed = (
        db.session()
        .execute(delete(ItemTag).where(ItemTag.item_id == item_id, ItemTag.tag_id == tag_id))
        .rowcount
    )
    if removed:
        bump_version(item_id)
    return no_content()
