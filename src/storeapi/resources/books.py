"""Books (from the books tutorial) at /books, and at /booksApi for that tutorial's clients.

Books have no owner: reads are public and any logged-in user may create, change or delete
any book. `/booksApi` serves the same books, and its writes also take the fields from the
query string (`POST /booksApi?title=...&author=...`), as the tutorial's clients send them.
An update changes only the fields given: an empty or missing field keeps its value (the
tutorial's `updateBook` blanked it instead); `genre: null` in JSON clears the genre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from flask import Blueprint, Response
from pydantic import AfterValidator, ConfigDict, Field, model_validator
from sqlalchemy import ColumnElement, Row, delete, func, insert, literal, or_, select, update

from storeapi import db
from storeapi.auth.guards import TOKEN
from storeapi.http.api import operation
from storeapi.http.links import links
from storeapi.http.pagination import PageQuery, SortKey, paginate
from storeapi.http.problems import Problem, not_found
from storeapi.http.representations import (
    check_if_match,
    json_ld,
    no_content,
    object_etag,
    render,
    render_page,
)
from storeapi.http.schemas import (
    NO_CONTROL_CHARS,
    BlankIsMissing,
    Links,
    ListLinks,
    Output,
    in_nfc,
    one_change_required,
    text,
)
from storeapi.models import Book, utcnow

bp = Blueprint("books", __name__)
TAG = "Books"
TUTORIAL_TAG = "Books (tutorial paths)"

BookText = text(250)
Filter = Annotated[
    str | None, Field(max_length=250, pattern=NO_CONTROL_CHARS), AfterValidator(in_nfc)
]


class BookCreate(BlankIsMissing):
    title: BookText
    author: BookText
    genre: BookText | None = None


class BookUpdate(BlankIsMissing):
    """Only the fields given change; empty or missing ones keep their value."""

    model_config = ConfigDict(
        json_schema_extra=one_change_required("title", "author", "genre", null_changes=("genre",))
    )

    title: BookText | None = None
    author: BookText | None = None
    genre: Annotated[BookText | None, Field(description="null clears the genre")] = None

    def changes(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {
            k: v for k, v in (("title", self.title), ("author", self.author)) if v is not None
        }
        if "genre" in self.model_fields_set:
            out["genre"] = self.genre
        return out

    @model_validator(mode="after")
    def _something_to_change(self) -> BookUpdate:
        if not self.changes():
            raise ValueError("give a non-empty title, author and/or genre")
        return self


class BookSearch(PageQuery):
    author: Annotated[Filter, Field(description="Author, exactly (any case)")] = None
    genre: Annotated[Filter, Field(description="Genre, exactly (any case)")] = None
    q: Annotated[Filter, Field(description="Title or author contains (any case)")] = None


class BookPublic(Output):
    id: int
    title: str
    author: str
    genre: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    links: Links


class BookList(ListLinks):
    books: list[BookPublic]


BOOK_COLUMNS = (
    Book.id,
    Book.title,
    Book.author,
    Book.genre,
    Book.version,
    Book.created_at,
    Book.updated_at,
)
LD_CONTEXT = {
    "@vocab": "https://schema.org/",
    "title": "name",
    "created_at": "dateCreated",
    "updated_at": "dateModified",
}
LD_LIST_CONTEXT = {**LD_CONTEXT, "books": "itemListElement"}


def book_json(row: Row[Any]) -> dict:
    return {
        "id": row.id,
        "title": row.title,
        "author": row.author,
        "genre": row.genre,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "_links": links(
            f"/books/{row.id}",
            collection="/books",
            by_author="/books?" + urlencode({"author": row.author}),
        ),
    }


def book_ld(book: dict) -> dict:
    return json_ld(book, "Book", LD_CONTEXT)


def book_etag(row: Row[Any]) -> str:
    return object_etag("b", row.id, row.version)


def find_book(book_id: int, lock: bool = False) -> Row[Any]:
    """The book's row; `lock` holds it for the rest of a write (PostgreSQL)."""
    stmt = select(*BOOK_COLUMNS).where(Book.id == book_id)
    row = db.session().execute(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise not_found("Book")
    return row


def book_and_etag(book_id: int) -> tuple[dict, str]:
    row = find_book(book_id)
    return book_json(row), book_etag(row)


def book_for_write(book_id: int) -> Row[Any]:
    """The book to change; 404 when there is none, 412 when If-Match names another version."""
    row = find_book(book_id, lock=True)
    etag = book_etag(row)
    check_if_match(etag)
    return row


def changed_meanwhile() -> Problem:
    return Problem(
        412, "The book changed while you were writing; fetch it again", type="precondition-failed"
    )


def _same_text(column: ColumnElement[Any], value: str) -> ColumnElement[bool]:
    """Equal ignoring case, with the database's own lower() on both sides."""
    return func.lower(column) == func.lower(literal(value))


# The handlers: each serves /books and the tutorial's /booksApi (see BOOK_OPERATIONS).


def get_books(query: BookSearch) -> Response:
    """List books, filtered by `author`, `genre` or `q`"""
    stmt = select(*BOOK_COLUMNS)
    if query.author:
        stmt = stmt.where(_same_text(Book.author, query.author))
    if query.genre:
        stmt = stmt.where(_same_text(Book.genre, query.genre))
    if query.q:
        stmt = stmt.where(
            or_(
                Book.title.icontains(query.q, autoescape=True),
                Book.author.icontains(query.q, autoescape=True),
            )
        )
    page = paginate(
        stmt, sort=SortKey("id", Book.id), descending=False, id_column=Book.id, page=query
    )
    books = [book_json(r) for r in page.rows]
    return render_page("books", books, page, ld=(LD_LIST_CONTEXT, book_ld))


def post_book(body: BookCreate) -> Response:
    """Add a book (any logged-in user; books have no owner)"""
    now = utcnow()
    book_id = (
        db.session()
        .execute(
            insert(Book)
            .values(
                title=body.title,
                author=body.author,
                genre=body.genre,
                version=1,
                created_at=now,
                updated_at=now,
            )
            .returning(Book.id)
        )
        .scalar_one()
    )
    book, etag = book_and_etag(book_id)
    return render(book, 201, etag=etag, ld=book_ld, headers={"Location": f"/books/{book_id}"})


def get_book(book_id: int) -> Response:
    """Read a book"""
    book, etag = book_and_etag(book_id)
    return render(book, etag=etag, ld=book_ld)


def put_book(book_id: int, body: BookUpdate) -> Response:
    """Change a book's title, author and/or genre (any logged-in user)
    Fields left out or sent empty keep their value; `"genre": null` clears the genre."""
    row = book_for_write(book_id)
    changed = (
        db.session()
        .execute(
            update(Book)
            .where(Book.id == book_id, Book.version == row.version)
            .values(version=Book.version + 1, updated_at=utcnow(), **body.changes())
        )
        .rowcount
    )
    if changed != 1:
        raise changed_meanwhile()
    book, etag = book_and_etag(book_id)
    return render(book, etag=etag, ld=book_ld)


def remove_book(book_id: int) -> Response:
    """Delete a book (any logged-in user)"""
    row = book_for_write(book_id)
    deleted = (
        db.session()
        .execute(delete(Book).where(Book.id == book_id, Book.version == row.version))
        .rowcount
    )
    if deleted != 1:
        raise changed_meanwhile()
    return no_content()


@dataclass(frozen=True)
class BookOperation:
    """One handler with what `operation` declares about it, at /books and at /booksApi."""

    handler: Callable[..., Response]
    method: str
    path: str  # after /books or /booksApi
    declaration: dict[str, Any]  # `operation`'s arguments, the same at both paths
    tutorial_doc: str  # the summary (and description) at /booksApi


READ_ERRORS = {404: "No such book"}
WRITE_ERRORS = {404: "No such book", 412: "The book changed (If-Match)"}
BOOK_OPERATIONS = (
    BookOperation(
        get_books,
        "GET",
        "",
        dict(query=BookSearch, response=BookList, ld=True),
        'List books (tutorial path): `{"books": [...]}`',
    ),
    BookOperation(
        post_book,
        "POST",
        "",
        dict(guard=TOKEN, body=BookCreate, response=BookPublic, status=201, ld=True),
        """Add a book (tutorial path; any logged-in user)
        Without a body the fields come from the query string:
        `POST /booksApi?title=...&author=...&genre=...`.""",
    ),
    BookOperation(
        get_book,
        "GET",
        "/<int:book_id>",
        dict(response=BookPublic, ld=True, errors=READ_ERRORS),
        "Read a book (tutorial path)",
    ),
    BookOperation(
        put_book,
        "PUT",
        "/<int:book_id>",
        dict(guard=TOKEN, body=BookUpdate, response=BookPublic, ld=True, errors=WRITE_ERRORS),
        """Change a book (tutorial path; any logged-in user)
        Without a body the fields come from the query string: `PUT /booksApi/1?title=...`.
        An empty or missing field keeps its value.""",
    ),
    BookOperation(
        remove_book,
        "DELETE",
        "/<int:book_id>",
        dict(guard=TOKEN, status=204, errors=WRITE_ERRORS),
        "Delete a book (tutorial path; any logged-in user)",
    ),
)


def register_both_path_styles() -> None:
    """All of /books first, then all of /booksApi: the OpenAPI document lists them so.

    At /booksApi the operationId is the handler's name + `_tutorial`, and the writes also take
    their fields from the query string, as the tutorial's clients send them.
    """
    for op in BOOK_OPERATIONS:
        operation(bp, "/books" + op.path, op.method, tag=TAG, **op.declaration)(op.handler)
    for op in BOOK_OPERATIONS:
        operation(
            bp,
            "/booksApi" + op.path,
            op.method,
            tag=TUTORIAL_TAG,
            fields_in_query="body" in op.declaration,
            name=op.handler.__name__ + "_tutorial",
            doc=op.tutorial_doc,
            **op.declaration,
        )(op.handler)


register_both_path_styles()
