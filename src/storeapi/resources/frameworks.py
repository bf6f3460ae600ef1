"""Frameworks (from the "Creating Python APIs" guide), named in URLs by their name, any case.

Frameworks have no owner: reads are public and any logged-in user may create, rename, change
or delete any framework. Each links to the `related` frameworks with the same parent, and
`Accept: application/ld+json` returns them as JSON-LD. A new database holds the guide's four
(Flask, Django, Bottle, Tornado; migration 0002).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from flask import Blueprint, Response
from pydantic import AfterValidator, ConfigDict, Field, model_validator
from sqlalchemy import delete, func, insert, literal, select, update

from storeapi import db
from storeapi.auth.guards import TOKEN
from storeapi.http.api import operation
from storeapi.http.pagination import PageQuery, SortKey, paginate
from storeapi.http.representations import (
    no_content,
    render,
    render_page,
)
from storeapi.http.schemas import (
    NO_CONTROL_CHARS,
    BlankIsMissing,
    Links,
    ListLinks,
    Name,
    Output,
    in_nfc,
    one_change_required,
    text,
)
from storeapi.models import Framework, utcnow, with_key
from storeapi.resources.framework_rows import (
    FRAMEWORK_COLUMNS,
    LD_LIST_CONTEXT,
    changed_meanwhile,
    framework_and_etag,
    framework_for_write,
    framework_href,
    framework_json,
    framework_ld,
    name_conflict,
    name_taken,
    related_names,
)

bp = Blueprint("frameworks", __name__)
TAG = "Frameworks"
FIRST_YEAR = 1950


def _usable_in_a_url(name: str) -> str:
    if name in (".", ".."):
        raise ValueError("cannot be '.' or '..'")
    return name


def _plausible_year(year: int) -> int:
    this_year = dt.datetime.now(dt.UTC).year
    if not FIRST_YEAR <= year <= this_year:
        raise ValueError(f"must be a year from {FIRST_YEAR} to {this_year}")
    return year


FrameworkName = Annotated[
    text(80, also_forbidden=r"/\\", also_blank="."),  # not only dots: "." and ".." are not names
    AfterValidator(_usable_in_a_url),
    Field(description="Unique in any case; no '/' or '\\' (it is the id in URLs)"),
]
Year = Annotated[
    int,
    Field(
        ge=FIRST_YEAR,
        description=f"Year of first release, {FIRST_YEAR} to this year",
        json_schema_extra={"maximum": dt.datetime.now(dt.UTC).year},
    ),
    AfterValidator(_plausible_year),
]


class FrameworkCreate(BlankIsMissing):
    name: FrameworkName
    created: Year
    parent: Name | None = None


class FrameworkUpdate(BlankIsMissing):
    """Only the fields given change; empty or missing ones keep their value."""

    model_config = ConfigDict(
        json_schema_extra=one_change_required("name", "created", "parent", null_changes=("parent",))
    )

    name: FrameworkName | None = None
    created: Year = None  # type: ignore[assignment]  # left out: kept; null is not a year
    parent: Annotated[Name | None, Field(description="null clears the parent")] = None

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            k: v for k, v in (("name", self.name), ("created", self.created)) if v is not None
        }
        if "parent" in self.model_fields_set:
            out["parent"] = self.parent
        return out

    @model_validator(mode="after")
    def _something_to_change(self) -> FrameworkUpdate:
        if not self.changes():
            raise ValueError("give a name, created and/or parent")
        return self


class FrameworkQuery(PageQuery):
    parent: Annotated[
        str | None,
        Field(
            max_length=80,
            pattern=NO_CONTROL_CHARS,
            description="Only children of this parent (any case)",
        ),
        AfterValidator(in_nfc),
    ] = None


class FrameworkPublic(Output):
    name: str
    created: int
    parent: str | None
    links: Links


class FrameworkList(ListLinks):
    frameworks: list[FrameworkPublic]


@operation(bp, "/frameworks", tag=TAG, query=FrameworkQuery, response=FrameworkList, ld=True)
def list_frameworks(query: FrameworkQuery) -> Response:
    """List frameworks, optionally only the children of one `parent`"""
    stmt = select(*FRAMEWORK_COLUMNS)
    if query.parent:
        stmt = stmt.where(func.lower(Framework.parent) == func.lower(literal(query.parent)))
    page = paginate(
        stmt,
        sort=SortKey("id", Framework.id),
        descending=False,
        id_column=Framework.id,
        page=query,
    )
    related = related_names(list(page.rows))
    frameworks = [framework_json(r, related[r.id]) for r in page.rows]
    return render_page("frameworks", frameworks, page, ld=(LD_LIST_CONTEXT, framework_ld))


@operation(
    bp,
    "/frameworks",
    "POST",
    tag=TAG,
    guard=TOKEN,
    body=FrameworkCreate,
    response=FrameworkPublic,
    status=201,
    ld=True,
    errors={409: "A framework with this name exists"},
)
def create_framework(body: FrameworkCreate) -> Response:
    """Add a framework (any logged-in user; frameworks have no owner)"""
    if name_taken(body.name):
        raise name_conflict()
    now = utcnow()
    db.session().execute(
        insert(Framework).values(
            name=body.name,
            created=body.created,
            parent=body.parent,
            version=1,
            created_at=now,
            updated_at=now,
        )
    )
    framework, etag = framework_and_etag(body.name)
    headers = {"Location": framework_href(body.name)}
    return render(framework, 201, etag=etag, ld=framework_ld, headers=headers)


@operation(
    bp,
    "/frameworks/<name>",
    tag=TAG,
    response=FrameworkPublic,
    ld=True,
    errors={404: "No such framework"},
)
def get_framework(name: str) -> Response:
    """Read a framework by name (any case), with links to related frameworks"""
    framework, etag = framework_and_etag(name)
    return render(framework, etag=etag, ld=framework_ld)


@operation(
    bp,
    "/frameworks/<name>",
    "PUT",
    tag=TAG,
    guard=TOKEN,
    body=FrameworkUpdate,
    response=FrameworkPublic,
    ld=True,
    errors={
        404: "No such framework",
        409: "Another framework has the new name",
        412: "The framework changed (If-Match)",
    },
)
def update_framework(name: str, body: FrameworkUpdate) -> Response:
    """Change a framework's name, created year and/or parent (any logged-in user)
    Fields left out or sent empty keep their value; `"parent": null` clears the parent.
    A new name moves the framework to a new URL, given in `Content-Location`."""
    row = framework_for_write(name)
    changes = with_key(Framework, body.changes())
    if "name" in changes and name_taken(changes["name"], other_than=row.id):
        raise name_conflict()
    changed = (
        db.session()
        .execute(
            update(Framework)
            .where(Framework.id == row.id, Framework.version == row.version)
            .values(version=Framework.version + 1, updated_at=utcnow(), **changes)
        )
        .rowcount
    )
    if changed != 1:
        raise changed_meanwhile()
    new_name = changes.get("name", row.name)
    framework, etag = framework_and_etag(new_name)
    headers = {"Content-Location": framework_href(new_name)}
    return render(framework, etag=etag, ld=framework_ld, headers=headers)


@operation(
    bp,
    "/frameworks/<name>",
    "DELETE",
    tag=TAG,
    guard=TOKEN,
    status=204,
    errors={404: "No such framework", 412: "The framework changed (If-Match)"},
)
def delete_framework(name: str) -> Response:
    """Delete a framework (any logged-in user)"""
    row = framework_for_write(name)
    deleted = (
        db.session()
        .execute(delete(Framework).where(Framework.id == row.id, Framework.version == row.version))
        .rowcount
    )
    if deleted != 1:
        raise changed_meanwhile()
    return no_content()
