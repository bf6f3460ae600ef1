"""Generate the Postman collection from the API's OpenAPI document and the steps below.

    python clients/postman/generate.py                 # write storeapi.postman_collection.json
    python clients/postman/generate.py --check         # exit 1 when the committed file differs
    python clients/postman/generate.py --spec URL|FILE # use a server's /openapi.json or a file

Method and path of each request come from the OpenAPI document (found by operationId), so
the collection follows the API. Generation fails when the document has an operation that no
step covers, a step names an operation that no longer exists, a body has a field the schema
does not know or lacks a required one, a query parameter is undeclared, or a step expects a
status the operation does not document. The test scripts are written here, by hand.

Without --spec the document comes from the application itself (no server needed).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COLLECTION = HERE / "storeapi.postman_collection.json"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
NAMESPACE = uuid.UUID("6f1c1f4e-5d8a-4b8e-9a43-0d6f0b5c3a10")


class Var(str):
    """A collection variable written unquoted into a JSON body: `{"store_id": {{storeId}}}`."""


@dataclass
class Step:
    op: str
    name: str
    status: int
    tests: str = ""
    path: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    auth: str | None = "accessToken"  # the variable holding the bearer token; None: no token
    prerequest: str = ""
    # A file beside this script sent as the body: raw, or as this field of a multipart form
    upload: str | None = None
    form_field: str | None = None


PICTURE = "item-picture.png"  # 160 x 120, beside this script

RUN_ID = """\
const runId = Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36);
pm.collectionVariables.set("runId", runId);
pm.collectionVariables.set("email", `postman-${runId}@example.com`);
"""

STEPS: dict[str, list[Step]] = {
    "Discovery": [
        Step(
            "home",
            "Home document",
            200,
            """\
const home = pm.response.json();
pm.test("links to every collection and the docs", () => {
    for (const rel of ["self", "stores", "items", "books", "frameworks", "docs", "openapi"]) {
        pm.expect(home._links, rel).to.have.property(rel);
    }
    pm.expect(home._links.stores.href).to.eql("/store");
});
""",
            auth=None,
        ),
        Step(
            "openapi",
            "OpenAPI document",
            200,
            """\
const spec = pm.response.json();
pm.test("is OpenAPI 3.1 with the store paths", () => {
    pm.expect(spec.openapi).to.match(/^3\\.1/);
    pm.expect(spec.paths).to.have.property("/store");
    pm.expect(spec.components.securitySchemes).to.have.property("bearerAuth");
});
""",
            auth=None,
        ),
        Step(
            "healthz",
            "Liveness",
            200,
            'pm.test("ok", () => pm.expect(pm.response.json().status).to.eql("ok"));\n',
            auth=None,
        ),
        Step(
            "readyz",
            "Readiness",
            200,
            'pm.test("ready", () => pm.expect(pm.response.json().status).to.eql("ready"));\n',
            auth=None,
        ),
    ],
    "Users and tokens": [
        Step(
            "register",
            "Register",
            201,
            """\
const user = pm.response.json();
pm.test("returns the user, never password material", () => {
    pm.expect(user.email).to.eql(pm.collectionVariables.get("email"));
    pm.expect(user).to.not.have.property("password");
    pm.expect(user).to.not.have.property("password_hash");
    pm.expect(user.is_admin).to.eql(false);
});
pm.test("Location names the new user", () => {
    pm.expect(pm.response.headers.get("Location")).to.eql(`/user/${user.id}`);
});
pm.collectionVariables.set("userId", user.id);
""",
            body={"email": "{{email}}", "password": "{{password}}"},
            auth=None,
            prerequest=RUN_ID,
        ),
        Step(
            "register",
            "Register the same email again is refused",
            409,
            'pm.test("email taken", () => '
            'pm.expect(pm.response.json().type).to.include("email-taken"));\n',
            body={"email": "{{email}}", "password": "{{password}}"},
            auth=None,
        ),
        Step(
            "login",
            "Log in with a wrong password is refused",
            401,
            'pm.test("Bearer challenge", () => '
            'pm.expect(pm.response.headers.get("WWW-Authenticate")).to.include("Bearer"));\n',
            body={"email": "{{email}}", "password": "not the password"},
            auth=None,
        ),
        Step(
            "login",
            "Log in",
            200,
            """\
const tokens = pm.response.json();
pm.test("returns an access and a refresh token", () => {
    pm.expect(tokens.access_token).to.be.a("string").and.not.empty;
    pm.expect(tokens.refresh_token).to.be.a("string").and.not.empty;
    pm.expect(tokens.token_type).to.eql("Bearer");
});
pm.test("tokens are never cached", () => {
    pm.expect(pm.response.headers.get("Cache-Control")).to.include("no-store");
});
pm.collectionVariables.set("accessToken", tokens.access_token);
pm.collectionVariables.set("refreshToken", tokens.refresh_token);
""",
            body={"email": "{{email}}", "password": "{{password}}"},
            auth=None,
        ),
        Step(
            "get_me",
            "Read my own account",
            200,
            """\
const me = pm.response.json();
pm.test("my account, not yet verified", () => {
    pm.expect(me.id).to.eql(pm.collectionVariables.get("userId"));
    pm.expect(me.email_verified).to.eql(false);
    pm.expect(me).to.not.have.property("password_hash");
});
""",
        ),
        Step(
            "resend_verification",
            "Send the verification mail again",
            202,
            'pm.test("accepted", () => pm.expect(pm.response.json().detail).to.be.a("string"));\n',
        ),
        Step(
            "verify_email",
            "Verify with a forged token is refused",
            422,
            'pm.test("invalid link", () => '
            'pm.expect(pm.response.json().type).to.include("invalid-link-token"));\n',
            body={"token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
            auth=None,
        ),
        Step(
            "verify_email_page",
            "The verification page a mail links to",
            200,
            'pm.test("is HTML", () => '
            'pm.expect(pm.response.headers.get("Content-Type")).to.include("text/html"));\n',
            query=[("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
            auth=None,
        ),
        Step(
            "reset_password_page",
            "The reset page a mail links to",
            200,
            'pm.test("is HTML", () => '
            'pm.expect(pm.response.headers.get("Content-Type")).to.include("text/html"));\n',
            query=[("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
            auth=None,
        ),
        Step(
            "request_password_reset",
            "Ask for a password-reset mail (always 202)",
            202,
            body={"email": "{{email}}"},
            auth=None,
        ),
        Step(
            "confirm_password_reset",
            "Reset with a forged token is refused",
            422,
            'pm.test("invalid link", () => '
            'pm.expect(pm.response.json().type).to.include("invalid-link-token"));\n',
            body={
                "token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "password": "{{password}}",
            },
            auth=None,
        ),
        Step(
            "change_password",
            "Change my password with a wrong current one is refused",
            403,
            'pm.test("wrong current password", () => '
            'pm.expect(pm.response.json().type).to.include("wrong-current-password"));\n',
            body={"current_password": "not the password", "new_password": "{{password}}"},
        ),
        Step(
            "get_user",
            "Read a user (administrators only)",
            403,
            path={"user_id": "{{userId}}"},
        ),
        Step(
            "delete_user",
            "Delete a user (administrators only)",
            403,
            path={"user_id": "{{userId}}"},
        ),
    ],
    "Stores": [
        Step(
            "create_store",
            "Create a store without a token is refused",
            401,
            'pm.test("Bearer challenge", () => '
            'pm.expect(pm.response.headers.get("WWW-Authenticate")).to.include("Bearer"));\n',
            body={"name": "Postman Store {{runId}}"},
            auth=None,
        ),
        Step(
            "create_store",
            "Create a store",
            201,
            """\
const store = pm.response.json();
pm.test("the caller owns the new store", () => {
    pm.expect(store.name).to.eql(`Postman Store ${pm.collectionVariables.get("runId")}`);
    pm.expect(store.owner_id).to.eql(pm.collectionVariables.get("userId"));
    pm.expect(store._links.self.href).to.eql(`/store/${store.id}`);
});
pm.test("Location names the new store", () => {
    pm.expect(pm.response.headers.get("Location")).to.eql(`/store/${store.id}`);
});
pm.collectionVariables.set("storeId", store.id);
""",
            body={"name": "Postman Store {{runId}}"},
        ),
        Step(
            "create_store",
            "Create a store with a taken name is refused",
            409,
            body={"name": "postman store {{runId}}"},
        ),
        Step(
            "list_stores",
            "List stores",
            200,
            """\
const page = pm.response.json();
pm.test("a page of stores with links", () => {
    pm.expect(page.stores).to.be.an("array").that.is.not.empty;
    pm.expect(page.stores.length).to.be.at.most(5);
    pm.expect(page._links).to.have.property("self");
    page.stores.forEach((s) => pm.expect(s).to.include.keys("id", "name", "owner_id", "_links"));
});
""",
            query=[("limit", "5")],
            auth=None,
        ),
        Step(
            "get_store",
            "Read the store",
            200,
            """\
const store = pm.response.json();
pm.test("the store, with its items and tags", () => {
    pm.expect(store.id).to.eql(pm.collectionVariables.get("storeId"));
    pm.expect(store.items).to.be.an("array");
    pm.expect(store.tags).to.be.an("array");
    pm.expect(store._links.items.href).to.eql(`/item?store_id=${store.id}`);
});
pm.test("has an ETag", () => pm.expect(pm.response.headers.get("ETag")).to.match(/^"/));
""",
            path={"store_id": "{{storeId}}"},
            auth=None,
        ),
    ],
    "Items": [
        Step(
            "create_item",
            "Create an item",
            201,
            """\
const item = pm.response.json();
pm.test("price is the exact decimal sent", () => {
    pm.expect(pm.response.text()).to.include('"price":15.99');
    pm.expect(item.price).to.eql(15.99);
});
pm.test("links to its store", () => {
    pm.expect(item.store_id).to.eql(pm.collectionVariables.get("storeId"));
    pm.expect(item.store.id).to.eql(item.store_id);
    pm.expect(item._links.store.href).to.eql(`/store/${item.store_id}`);
});
pm.collectionVariables.set("itemId", item.id);
""",
            body={"name": "Chair-{{runId}}", "price": 15.99, "store_id": Var("storeId")},
        ),
        Step(
            "create_item",
            "Create an item with a negative price is refused",
            422,
            """\
pm.test("names the invalid field", () => {
    const fields = pm.response.json().errors.map((e) => e.field);
    pm.expect(fields).to.include("price");
});
""",
            body={"name": "Broken chair", "price": -1, "store_id": Var("storeId")},
        ),
        Step(
            "get_item",
            "Read the item",
            200,
            """\
const item = pm.response.json();
pm.test("the item, without tags yet", () => {
    pm.expect(item.id).to.eql(pm.collectionVariables.get("itemId"));
    pm.expect(item.tags).to.eql([]);
});
pm.collectionVariables.set("itemEtag", pm.response.headers.get("ETag"));
""",
            path={"item_id": "{{itemId}}"},
            auth=None,
        ),
        Step(
            "get_item",
            "Read the item again: not modified",
            304,
            'pm.test("no body", () => pm.expect(pm.response.text()).to.eql(""));\n',
            path={"item_id": "{{itemId}}"},
            headers={"If-None-Match": "{{itemEtag}}"},
            auth=None,
        ),
        Step(
            "update_item",
            "Change the price (If-Match)",
            200,
            """\
const item = pm.response.json();
pm.test("the new price", () => pm.expect(item.price).to.eql(12.5));
pm.test("a new ETag", () => {
    pm.expect(pm.response.headers.get("ETag")).to.not.eql(pm.collectionVariables.get("itemEtag"));
});
""",
            path={"item_id": "{{itemId}}"},
            headers={"If-Match": "{{itemEtag}}"},
            body={"price": "12.50"},
        ),
        Step(
            "update_item",
            "Change it with a stale ETag is refused",
            412,
            path={"item_id": "{{itemId}}"},
            headers={"If-Match": "{{itemEtag}}"},
            body={"price": "11.00"},
        ),
        Step(
            "list_items",
            "Search items by name",
            200,
            """\
const page = pm.response.json();
pm.test("finds the item", () => {
    pm.expect(page.items.map((i) => i.id)).to.eql([pm.collectionVariables.get("itemId")]);
});
""",
            query=[("q", "chair-{{runId}}")],
            auth=None,
        ),
        Step(
            "put_item_image",
            "Upload the item's picture (a form)",
            201,
            """\
const item = pm.response.json();
pm.test("the picture, its size and its thumbnail", () => {
    pm.expect(item.image.width).to.eql(160);
    pm.expect(item.image.height).to.eql(120);
    pm.expect(item.image.thumbnail_url).to.match(/^\\/media\\/[0-9a-f]{64}-256\\.webp$/);
    pm.expect(item._links.thumbnail.href).to.eql(item.image.thumbnail_url);
    pm.expect(pm.response.headers.get("Location")).to.eql(item.image.url);
});
pm.collectionVariables.set("thumbnailName", item.image.thumbnail_url.split("/").pop());
""",
            path={"item_id": "{{itemId}}"},
            upload=PICTURE,
            form_field="file",
        ),
        Step(
            "put_item_image",
            "Replace it with the same picture (a raw body)",
            200,
            """\
pm.test("the same picture", () => {
    const name = pm.collectionVariables.get("thumbnailName");
    pm.expect(pm.response.json().image.thumbnail_url).to.eql(`/media/${name}`);
});
""",
            path={"item_id": "{{itemId}}"},
            upload=PICTURE,
        ),
        Step(
            "media_file",
            "Read the thumbnail",
            200,
            """\
pm.test("a WebP image cached for good", () => {
    pm.expect(pm.response.headers.get("Content-Type")).to.eql("image/webp");
    pm.expect(pm.response.headers.get("Cache-Control")).to.include("immutable");
    pm.expect(pm.response.headers.get("X-Content-Type-Options")).to.eql("nosniff");
});
pm.collectionVariables.set("thumbnailEtag", pm.response.headers.get("ETag"));
""",
            path={"name": "{{thumbnailName}}"},
            auth=None,
        ),
        Step(
            "media_file",
            "Read the thumbnail again: not modified",
            304,
            path={"name": "{{thumbnailName}}"},
            headers={"If-None-Match": "{{thumbnailEtag}}"},
            auth=None,
        ),
        Step(
            "put_item_image",
            "Upload something that is not an image is refused",
            415,
            path={"item_id": "{{itemId}}"},
            upload="README.md",
        ),
        Step(
            "delete_item_image",
            "Remove the picture",
            204,
            path={"item_id": "{{itemId}}"},
        ),
    ],
    "Tags": [
        Step(
            "create_tag",
            "Create a tag",
            201,
            """\
const tag = pm.response.json();
pm.test("in the store", () => {
    pm.expect(tag.name).to.eql("sale");
    pm.expect(tag.store_id).to.eql(pm.collectionVariables.get("storeId"));
    pm.expect(tag.store.id).to.eql(tag.store_id);
});
pm.collectionVariables.set("tagId", tag.id);
""",
            path={"store_id": "{{storeId}}"},
            body={"name": "sale"},
        ),
        Step(
            "list_store_tags",
            "List the store's tags",
            200,
            """\
pm.test("lists the tag", () => {
    pm.expect(pm.response.json().tags.map((t) => t.name)).to.eql(["sale"]);
});
""",
            path={"store_id": "{{storeId}}"},
            auth=None,
        ),
        Step(
            "link_tag",
            "Tag the item",
            201,
            """\
const link = pm.response.json();
pm.test("says what was linked: the item, now with the tag, and the tag", () => {
    pm.expect(link.item.tags.map((t) => t.id)).to.eql([pm.collectionVariables.get("tagId")]);
    pm.expect(link.tag.id).to.eql(pm.collectionVariables.get("tagId"));
    pm.expect(link.tag.store.id).to.eql(pm.collectionVariables.get("storeId"));
});
pm.test("Location names the link", () => {
    pm.expect(pm.response.headers.get("Location")).to.eql(link._links.self.href);
});
""",
            path={"item_id": "{{itemId}}", "tag_id": "{{tagId}}"},
        ),
        Step(
            "link_tag",
            "Tag it twice: 200, no duplicate",
            200,
            """\
pm.test("still one tag", () => pm.expect(pm.response.json().item.tags).to.have.length(1));
""",
            path={"item_id": "{{itemId}}", "tag_id": "{{tagId}}"},
        ),
        Step(
            "get_link",
            "Read the link",
            200,
            """\
pm.test("the item and the tag", () => {
    const link = pm.response.json();
    pm.expect(link.item.id).to.eql(pm.collectionVariables.get("itemId"));
    pm.expect(link.tag.id).to.eql(pm.collectionVariables.get("tagId"));
});
""",
            path={"item_id": "{{itemId}}", "tag_id": "{{tagId}}"},
            auth=None,
        ),
        Step(
            "get_tag",
            "Read the tag",
            200,
            """\
pm.test("lists the tagged item", () => {
    const ids = pm.response.json().items.map((i) => i.id);
    pm.expect(ids).to.eql([pm.collectionVariables.get("itemId")]);
});
""",
            path={"tag_id": "{{tagId}}"},
            auth=None,
        ),
        Step(
            "list_items",
            "Search items by store, tag and price",
            200,
            """\
const items = pm.response.json().items;
pm.test("finds the tagged item", () => {
    pm.expect(items.map((i) => i.id)).to.eql([pm.collectionVariables.get("itemId")]);
    pm.expect(items[0].tags[0].name).to.eql("sale");
});
""",
            query=[
                ("store_id", "{{storeId}}"),
                ("tag", "sale"),
                ("max_price", "20"),
                ("sort", "-price"),
            ],
            auth=None,
        ),
        Step(
            "delete_tag",
            "Delete a tag in use is refused",
            409,
            path={"tag_id": "{{tagId}}"},
        ),
        Step(
            "unlink_tag",
            "Untag the item",
            204,
            path={"item_id": "{{itemId}}", "tag_id": "{{tagId}}"},
        ),
    ],
    "Books": [
        Step(
            "post_book",
            "Add a book",
            201,
            """\
const book = pm.response.json();
pm.test("the book as sent", () => {
    pm.expect(book.title).to.eql(`Postman Guide ${pm.collectionVariables.get("runId")}`);
    pm.expect(book.author).to.eql("Ada Lovelace");
    pm.expect(book.genre).to.eql(null);
});
pm.collectionVariables.set("bookId", book.id);
""",
            body={"title": "Postman Guide {{runId}}", "author": "Ada Lovelace"},
        ),
        Step(
            "get_books",
            "List books by title",
            200,
            """\
pm.test("finds the book", () => {
    const ids = pm.response.json().books.map((b) => b.id);
    pm.expect(ids).to.include(pm.collectionVariables.get("bookId"));
});
""",
            query=[("q", "{{runId}}")],
            auth=None,
        ),
        Step(
            "get_book",
            "Read the book",
            200,
            'pm.test("the book", () => '
            'pm.expect(pm.response.json().id).to.eql(pm.collectionVariables.get("bookId")));\n',
            path={"book_id": "{{bookId}}"},
            auth=None,
        ),
        Step(
            "put_book",
            "Set the book's genre",
            200,
            """\
const book = pm.response.json();
pm.test("genre set, the rest kept", () => {
    pm.expect(book.genre).to.eql("Computing");
    pm.expect(book.author).to.eql("Ada Lovelace");
});
""",
            path={"book_id": "{{bookId}}"},
            body={"genre": "Computing"},
        ),
        Step(
            "post_book_tutorial",
            "Add a book the tutorial's way (fields in the query)",
            201,
            """\
const book = pm.response.json();
pm.test("fields taken from the query string", () => {
    pm.expect(book.author).to.eql("Grace Hopper");
    pm.expect(book.genre).to.eql("Memoir");
});
pm.collectionVariables.set("tutorialBookId", book.id);
""",
            query=[
                ("title", "Tutorial%20Book%20{{runId}}"),
                ("author", "Grace Hopper"),
                ("genre", "Memoir"),
            ],
        ),
        Step(
            "get_books_tutorial",
            "List books (tutorial path)",
            200,
            """\
pm.test("finds the tutorial book", () => {
    const ids = pm.response.json().books.map((b) => b.id);
    pm.expect(ids).to.include(pm.collectionVariables.get("tutorialBookId"));
});
""",
            query=[("author", "Grace Hopper")],
            auth=None,
        ),
        Step(
            "get_book_tutorial",
            "Read a book (tutorial path)",
            200,
            'pm.test("the same book", () => pm.expect(pm.response.json().title)'
            '.to.include("Tutorial Book"));\n',
            path={"book_id": "{{tutorialBookId}}"},
            auth=None,
        ),
        Step(
            "put_book_tutorial",
            "Change a book (tutorial path)",
            200,
            'pm.test("renamed", () => pm.expect(pm.response.json().title)'
            '.to.include("Second Edition"));\n',
            path={"book_id": "{{tutorialBookId}}"},
            body={"title": "Tutorial Book {{runId}}, Second Edition"},
        ),
        Step(
            "remove_book_tutorial",
            "Delete a book (tutorial path)",
            204,
            path={"book_id": "{{tutorialBookId}}"},
        ),
        Step("remove_book", "Delete the book", 204, path={"book_id": "{{bookId}}"}),
        Step(
            "get_book",
            "Read the deleted book: not found",
            404,
            path={"book_id": "{{bookId}}"},
            auth=None,
        ),
    ],
    "Frameworks": [
        Step(
            "list_frameworks",
            "List frameworks",
            200,
            """\
pm.test("the guide's frameworks are there", () => {
    const names = pm.response.json().frameworks.map((f) => f.name);
    pm.expect(names).to.include.members(["Flask", "Django", "Bottle", "Tornado"]);
});
""",
            query=[("parent", "Python"), ("limit", "200")],
            auth=None,
        ),
        Step(
            "get_framework",
            "Read Flask as JSON-LD",
            200,
            """\
const flask = pm.response.json();
pm.test("JSON-LD with @context, @id and @type", () => {
    pm.expect(pm.response.headers.get("Content-Type")).to.include("application/ld+json");
    pm.expect(flask).to.have.property("@context");
    pm.expect(flask["@id"]).to.include("/frameworks/Flask");
    pm.expect(flask).to.have.property("@type");
});
""",
            path={"name": "Flask"},
            headers={"Accept": "application/ld+json"},
            auth=None,
        ),
        Step(
            "create_framework",
            "Add a framework",
            201,
            """\
const fw = pm.response.json();
pm.test("the framework as sent", () => {
    pm.expect(fw.name).to.eql(pm.collectionVariables.get("frameworkName"));
    pm.expect(fw.created).to.eql(2018);
    pm.expect(fw.parent).to.eql("Starlette");
});
""",
            body={"name": "{{frameworkName}}", "created": 2018, "parent": "Starlette"},
            prerequest='pm.collectionVariables.set("frameworkName", '
            '`Postman-${pm.collectionVariables.get("runId")}`);\n',
        ),
        Step(
            "update_framework",
            "Change the framework's year",
            200,
            'pm.test("new year", () => pm.expect(pm.response.json().created).to.eql(2019));\n',
            path={"name": "{{frameworkName}}"},
            body={"created": 2019},
        ),
        Step(
            "delete_framework",
            "Delete the framework",
            204,
            path={"name": "{{frameworkName}}"},
        ),
    ],
    "Clean up (fresh token)": [
        Step("delete_tag", "Delete the tag", 204, path={"tag_id": "{{tagId}}"}),
        Step("delete_item", "Delete the item", 204, path={"item_id": "{{itemId}}"}),
        Step("delete_store", "Delete the store", 204, path={"store_id": "{{storeId}}"}),
        Step(
            "get_store",
            "Read the deleted store: not found",
            404,
            path={"store_id": "{{storeId}}"},
            auth=None,
        ),
    ],
    "Refresh and log out": [
        Step(
            "refresh",
            "Refresh the tokens",
            200,
            """\
const tokens = pm.response.json();
pm.test("a new pair; the refresh token rotated", () => {
    pm.expect(tokens.access_token).to.not.eql(pm.collectionVariables.get("accessToken"));
    pm.expect(tokens.refresh_token).to.not.eql(pm.collectionVariables.get("refreshToken"));
});
pm.collectionVariables.set("accessToken", tokens.access_token);
pm.collectionVariables.set("refreshToken", tokens.refresh_token);
""",
            auth="refreshToken",
        ),
        Step(
            "delete_item",
            "Delete with a refreshed (not fresh) token is refused",
            401,
            'pm.test("needs a fresh token", () => '
            'pm.expect(pm.response.json().type).to.include("fresh-token-required"));\n',
            path={"item_id": "{{itemId}}"},
        ),
        Step("logout", "Log out", 204),
        Step(
            "create_store",
            "Use the token after logout is refused",
            401,
            'pm.test("revoked", () => '
            'pm.expect(pm.response.json().type).to.include("token-revoked"));\n',
            body={"name": "After logout {{runId}}"},
        ),
        Step(
            "refresh",
            "Refresh after logout is refused",
            401,
            auth="refreshToken",
        ),
        Step("delete_me", "Delete my account after logout is refused", 401),
    ],
}

COLLECTION_TESTS = """\
pm.test("answers with a request id", () => {
    pm.expect(pm.response.headers.get("X-Request-ID")).to.be.a("string").and.not.empty;
});
if (pm.response.code >= 400) {
    pm.test("errors are problem+json", () => {
        pm.expect(pm.response.headers.get("Content-Type")).to.include("application/problem+json");
        const problem = pm.response.json();
        pm.expect(problem.status).to.eql(pm.response.code);
        pm.expect(problem.title).to.be.a("string").and.not.empty;
        pm.expect(problem.detail).to.be.a("string").and.not.empty;
    });
}
"""


class SpecMismatch(ValueError):
    """The steps do not fit the OpenAPI document."""


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    out = {}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            out[op["operationId"]] = (method.upper(), path, op)
    return out


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _check(step: Step, method: str, path: str, op: dict[str, Any], spec: dict[str, Any]) -> None:
    where = f"step {step.name!r} ({step.op})"
    if str(step.status) not in op["responses"]:
        raise SpecMismatch(f"{where}: status {step.status} is not documented")
    params = op.get("parameters", [])
    path_names = {p["name"] for p in params if p["in"] == "path"}
    if set(step.path) != path_names:
        raise SpecMismatch(f"{where}: path parameters {sorted(step.path)} != {sorted(path_names)}")
    query_names = {p["name"] for p in params if p["in"] == "query"}
    if unknown := {k for k, _ in step.query} - query_names:
        raise SpecMismatch(f"{where}: undeclared query parameters {sorted(unknown)}")
    header_names = {p["name"].lower() for p in params if p["in"] == "header"} | {"accept"}
    if unknown := {h.lower() for h in step.headers} - header_names:
        raise SpecMismatch(f"{where}: undeclared headers {sorted(unknown)}")
    if (step.auth is not None) != bool(op.get("security")) and step.status != 401:
        raise SpecMismatch(f"{where}: sends a token where the spec says otherwise, or none")
    request_body = op.get("requestBody")
    if step.body is not None:
        if request_body is None:
            raise SpecMismatch(f"{where}: the operation takes no body")
        schema = _resolve(spec, request_body["content"]["application/json"]["schema"])
        if unknown := set(step.body) - set(schema.get("properties", {})):
            raise SpecMismatch(f"{where}: unknown body fields {sorted(unknown)}")
        if missing := set(schema.get("required", [])) - set(step.body):
            raise SpecMismatch(f"{where}: missing required body fields {sorted(missing)}")
    elif step.upload is not None:
        if request_body is None:
            raise SpecMismatch(f"{where}: the operation takes no body")
        media = "multipart/form-data" if step.form_field else "image/png"
        if media not in request_body["content"]:
            raise SpecMismatch(f"{where}: the operation takes no {media} body")
    elif request_body is not None and request_body.get("required"):
        raise SpecMismatch(f"{where}: the operation requires a body")


def _script(kind: str, source: str) -> dict[str, Any]:
    return {"listen": kind, "script": {"type": "text/javascript", "exec": source.splitlines()}}


def _raw_json(body: dict[str, Any]) -> str:
    marked = {k: (f"@@{v}@@" if isinstance(v, Var) else v) for k, v in body.items()}
    text = json.dumps(marked, indent=2, ensure_ascii=False)
    for v in body.values():
        if isinstance(v, Var):
            text = text.replace(f'"@@{v}@@"', "{{" + v + "}}")
    return text


def _url(path: str, step: Step) -> dict[str, Any]:
    segments = [
        f":{s[1:-1]}" if s.startswith("{") and s.endswith("}") else s
        for s in path.strip("/").split("/")
        if s
    ]
    query = "&".join(f"{k}={v}" for k, v in step.query)
    url: dict[str, Any] = {
        "raw": "{{baseUrl}}/" + "/".join(segments) + (f"?{query}" if query else ""),
        "host": ["{{baseUrl}}"],
        "path": segments,
    }
    if step.query:
        url["query"] = [{"key": k, "value": v} for k, v in step.query]
    if step.path:
        url["variable"] = [{"key": k, "value": v} for k, v in step.path.items()]
    return url


def _expectations(step: Step) -> str:
    code = step.status
    return f'pm.test("status is {code}", () => pm.response.to.have.status({code}));\n' + step.tests


def _request(step: Step, method: str, path: str, op: dict[str, Any]) -> dict[str, Any]:
    headers = [{"key": k, "value": v} for k, v in step.headers.items()]
    request: dict[str, Any] = {"method": method, "header": headers, "url": _url(path, step)}
    if step.auth is None:
        request["auth"] = {"type": "noauth"}
    else:
        request["auth"] = {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{" + step.auth + "}}", "type": "string"}],
        }
    if step.body is not None:
        headers.append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {
            "mode": "raw",
            "raw": _raw_json(step.body),
            "options": {"raw": {"language": "json"}},
        }
    if step.upload is not None and step.form_field is not None:
        part = {"key": step.form_field, "type": "file", "src": step.upload}
        request["body"] = {"mode": "formdata", "formdata": [part]}
    elif step.upload is not None:
        headers.append({"key": "Content-Type", "value": "image/png"})
        request["body"] = {"mode": "file", "file": {"src": step.upload}}
    request["description"] = op.get("summary", "")
    events = []
    if step.prerequest:
        events.append(_script("prerequest", step.prerequest))
    events.append(_script("test", _expectations(step)))
    return {
        "name": step.name,
        "event": events,
        "request": request,
        "response": [],
    }


def build_collection(spec: dict[str, Any]) -> dict[str, Any]:
    """The collection for this OpenAPI document; SpecMismatch when the steps do not fit it."""
    operations = _operations(spec)
    covered = set()
    folders = []
    for folder, steps in STEPS.items():
        items = []
        for step in steps:
            if step.op not in operations:
                raise SpecMismatch(f"step {step.name!r}: no operation {step.op!r} in the spec")
            method, path, op = operations[step.op]
            _check(step, method, path, op, spec)
            covered.add(step.op)
            items.append(_request(step, method, path, op))
        folders.append({"name": folder, "item": items})
    if missing := set(operations) - covered:
        raise SpecMismatch(f"operations no step covers: {sorted(missing)}")
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(NAMESPACE, "storeapi")),
            "name": spec["info"]["title"],
            "description": (
                "Every endpoint of storeapi in a runnable order: register, log in (tokens are "
                "saved into collection variables), stores, items, tags, search, books, "
                "frameworks, refresh, log out. Set `baseUrl` (see the environment file). "
                "Generated by clients/postman/generate.py from /openapi.json "
                f"(API version {spec['info']['version']}); do not edit by hand."
            ),
            "schema": SCHEMA,
        },
        "auth": {"type": "noauth"},
        "event": [_script("test", COLLECTION_TESTS)],
        "variable": [
            {"key": "baseUrl", "value": "http://127.0.0.1:8000"},
            {"key": "password", "value": "postman secret 123"},
            {"key": "runId", "value": ""},
            {"key": "email", "value": ""},
            {"key": "accessToken", "value": ""},
            {"key": "refreshToken", "value": ""},
        ],
        "item": folders,
    }


def render(collection: dict[str, Any]) -> str:
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def app_spec() -> dict[str, Any]:
    """The OpenAPI document of the application in this checkout, without a server."""
    from storeapi.app import create_app
    from storeapi.settings import Settings

    settings = Settings(env="test", database_url="sqlite://", log_requests=False)
    app = create_app(settings.validated())
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200, response.status_code
    return response.get_json()


def load_spec(source: str | None) -> dict[str, Any]:
    if source is None:
        return app_spec()
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=10) as response:
            return json.load(response)
    return json.loads(Path(source).read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--spec", help="URL or file of the OpenAPI document")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    try:
        text = render(build_collection(load_spec(args.spec)))
    except SpecMismatch as exc:
        print(f"generate.py: the steps do not fit the OpenAPI document: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if not COLLECTION.exists() or COLLECTION.read_text() != text:
            print(f"{COLLECTION.name} is out of date: run clients/postman/generate.py")
            return 1
        print(f"{COLLECTION.name} is up to date")
        return 0
    COLLECTION.write_text(text)
    print(f"wrote {COLLECTION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
