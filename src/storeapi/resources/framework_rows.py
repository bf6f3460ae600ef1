"""A framework's rows: its columns, lookups by name, related frameworks, JSON and JSON-LD."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Row, func, select
from sqlalchemy.orm import aliased

from storeapi import db
from storeapi.http.links import links
from storeapi.http.problems import Problem, not_found
from storeapi.http.representations import check_if_match, object_etag
from storeapi.http.schemas import CONTROL
from storeapi.models import Framework
from storeapi.names import folded

CONTROL_CHAR = re.compile(f"[{CONTROL}]")
RELATED_SHOWN = 20  # related frameworks linked from one framework; the rest via `same_parent`


FRAMEWORK_COLUMNS = (
    Framework.id,
    Framework.name,
    Framework.created,
    Framework.parent,
    Framework.version,
    func.lower(Framework.parent).label("parent_key"),
)
LD_CONTEXT = {
    "@vocab": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "created": {"@id": "dateCreated", "@type": "xsd:gYear"},
    "parent": "https://storeapi.dev/vocab#parent",
    "related": {"@id": "https://storeapi.dev/vocab#related", "@type": "@id"},
}
LD_LIST_CONTEXT = {**LD_CONTEXT, "frameworks": "itemListElement"}


def framework_href(name: str) -> str:
    return "/frameworks/" + quote(name, safe="")


def framework_json(row: Row[Any], related: list[str]) -> dict:
    extra = (
        {"same_parent": "/frameworks?" + urlencode({"parent": row.parent})} if row.parent else {}
    )
    return {
        "name": row.name,
        "created": row.created,
        "parent": row.parent,
        "_links": links(
            framework_href(row.name),
            collection="/frameworks",
            related=[framework_href(n) for n in related],
            **extra,
        ),
    }


def framework_ld(framework: dict) -> dict:
    hrefs = framework["_links"]
    return {
        "@context": LD_CONTEXT,
        "@id": hrefs["self"]["href"],
        "@type": "SoftwareSourceCode",
        "name": framework["name"],
        "created": framework["created"],
        "parent": framework["parent"],
        "related": [link["href"] for link in hrefs["related"]],
    }


def related_names(rows: list[Row[Any]]) -> dict[int, list[str]]:
    """For each framework: the names of up to RELATED_SHOWN others with the same parent."""
    out: dict[int, list[str]] = {r.id: [] for r in rows}
    keyed = [r for r in rows if r.parent_key is not None]
    if not keyed:
        return out
    page = aliased(Framework)
    key = func.lower(Framework.parent)
    ranked = (
        select(
            Framework.name,
            key.label("parent_key"),
            func.row_number()
            .over(partition_by=key, order_by=(Framework.name, Framework.id))
            .label("rank"),
        )
        .where(key.in_(select(func.lower(page.parent)).where(page.id.in_([r.id for r in keyed]))))
        .subquery()
    )
    siblings: dict[str, list[str]] = defaultdict(list)
    for r in db.session().execute(
        select(ranked.c.name, ranked.c.parent_key)
        .where(ranked.c.rank <= RELATED_SHOWN + 1)
        .order_by(ranked.c.parent_key, ranked.c.rank)
    ):
        siblings[r.parent_key].append(r.name)
    for r in keyed:
        out[r.id] = [n for n in siblings[r.parent_key] if n != r.name][:RELATED_SHOWN]
    return out


def framework_etag(row: Row[Any], related: list[str]) -> str:
    """The version's ETag, plus a digest of the related names the representation links to."""
    digest = hashlib.blake2b("\0".join(related).encode(), digest_size=4).hexdigest()
    return object_etag("f", row.id, row.version, "r" + digest)


def find_framework(name: str, lock: bool = False) -> Row[Any]:
    if CONTROL_CHAR.search(name):  # no name has one (and PostgreSQL refuses NUL in text)
        raise not_found("Framework")
    stmt = select(*FRAMEWORK_COLUMNS).where(Framework.name_key == folded(name))
    row = db.session().execute(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise not_found("Framework")
    return row


def framework_for_write(name: str) -> Row[Any]:
    """The framework to change; 404 when there is none, 412 when If-Match names another."""
    row = find_framework(name, lock=True)
    etag = framework_etag(row, related_names([row])[row.id])
    check_if_match(etag)
    return row


def name_taken(name: str, other_than: int | None = None) -> bool:
    stmt = select(Framework.id).where(Framework.name_key == folded(name))
    if other_than is not None:
        stmt = stmt.where(Framework.id != other_than)
    return db.session().scalar(stmt) is not None


def name_conflict() -> Problem:
    return Problem(409, "A framework with this name already exists", type="framework-name-taken")


def changed_meanwhile() -> Problem:
    return Problem(
        412,
        "The framework changed while you were writing; fetch it again",
        type="precondition-failed",
    )


def framework_and_etag(name: str) -> tuple[dict, str]:
    row = find_framework(name)
    related = related_names([row])[row.id]
    return framework_json(row, related), framework_etag(row, related)
