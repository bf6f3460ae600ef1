"""The error envelope: every failure is RFC 9457 problem+json, never a traceback."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from flask import Flask
from sqlalchemy import insert, text

from storeapi import db
from storeapi.app import create_app
from storeapi.models import Item, Store, Tag, utcnow
from tests.conftest import (
    SECRET,
    assert_problem,
    count_rows,
    create_item,
    create_store,
    create_tag,
    test_settings,
)
from tests.live import live_server


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    body = assert_problem(response, status)
    assert response.headers["Cache-Control"] == "no-store"
    assert body["type"].startswith("https://storeapi.dev/problems/")
    assert isinstance(body["title"], str) and isinstance(body["detail"], str)
    return body


# --- routing --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/nope", "/store/1/nope", "/item/abc", "/stores", "/tag"])
def test_unknown_routes_are_404_problems(client, method, path):
    body = _problem(client.open(path, method=method), 404)
    assert body["instance"] == path


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/store", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("DELETE", "/store", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("PATCH", "/item/{i}", {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
        ("POST", "/item/{i}", {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
        ("PUT", "/store/{s}", {"GET", "HEAD", "OPTIONS", "DELETE"}),
        ("DELETE", "/store/{s}/tag", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("PUT", "/tag/{t}", {"GET", "HEAD", "OPTIONS", "DELETE"}),
        ("PUT", "/item/{i}/tag/{t}", {"GET", "HEAD", "OPTIONS", "POST", "DELETE"}),
        ("GET", "/register", {"OPTIONS", "POST"}),
    ],
)
def test_wrong_methods_are_405_with_an_allow_header(client, user, method, path, allowed):
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"])
    url = path.format(s=store["id"], i=item["id"], t=tag["id"])
    r = client.open(url, method=method, headers=user.headers)
    _problem(r, 405)
    assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed


# --- request bodies -------------------------------------------------------------------------


MALFORMED = [
    b'{"name": ',
    b'{name: "Shop"}',
    b"{'name': 'Shop'}",
    b'{"name": "Shop",}',
    b'{"name": "Shop"} {"name": "Other"}',
    b"\xff\xfe{}",
    b'{"name": "\xc3"}',
    b"[" * 50_000,
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_json_is_400(client, user, item, raw):
    r = client.post("/store", data=raw, content_type="application/json", headers=user.headers)
    body = _problem(r, 400)
    assert "JSON" in body["detail"]
    r = client.put(
        f"/item/{item['id']}", data=raw, content_type="application/json", headers=user.headers
    )
    _problem(r, 400)
    assert count_rows(client, Store) == 1


def test_malformed_json_is_400_without_a_token_too(client):
    r = client.post("/register", data=b'{"email": ', content_type="application/json")
    _problem(r, 400)


@pytest.mark.parametrize("raw", [b"[]", b'[{"name": "Shop"}]', b'"Shop"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_422(client, user, raw):
    r = client.post("/store", data=raw, content_type="application/json", headers=user.headers)
    body = _problem(r, 422)
    assert body["errors"] == [{"field": "body", "message": "must be an object"}]
    assert count_rows(client, Store) == 0


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "text/csv",
        "application/octet-stream",
        "multipart/form-data; boundary=x",
        None,
    ],
)
def test_other_media_types_are_415(client, user, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    r = client.post("/store", data=b'{"name": "Shop"}', headers=user.headers, **kwargs)
    body = _problem(r, 415)
    assert "application/json" in body["detail"]
    assert count_rows(client, Store) == 0


def test_json_with_a_charset_parameter_is_fine(client, user):
    r = client.post(
        "/store",
        data='{"name": "Café"}'.encode(),
        content_type="application/json; charset=utf-8",
        headers=user.headers,
    )
    assert r.status_code == 201 and r.get_json()["name"] == "Café"


@pytest.fixture
def small_app(database_url) -> Iterator[Flask]:
    """A second app on the same database whose body limit is 1 KiB."""
    app = create_app(test_settings(database_url, max_body_bytes=1024))
    yield app
    app.extensions["engine"].dispose()


def test_a_body_over_the_limit_is_413(client, user, small_app):
    small = small_app.test_client()
    big_json = b'{"name": "Shop", "pad": "' + b"x" * 2000 + b'"}'
    r = small.post("/store", data=big_json, content_type="application/json", headers=user.headers)
    body = _problem(r, 413)
    assert "larger" in body["detail"]
    r = small.post("/store", data={"name": "Shop", "pad": "x" * 2000}, headers=user.headers)
    _problem(r, 413)
    r = small.post("/register", data=big_json, content_type="application/json")
    _problem(r, 413)
    assert count_rows(client, Store) == 0


def _chunked(client, path: str, body: bytes, content_type: str, account):  # type: ignore[no-untyped-def]
    """POST a body without Content-Length, the way a server hands a chunked upload to the app
    (granian, like other servers that de-chunk, sets wsgi.input_terminated)."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers={**account.headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_streamed_body_over_the_limit_is_413_not_cut_short(client, user, small_app):
    small = small_app.test_client()
    big_json = b'{"name": "Shop", "pad": "' + b"x" * 5000 + b'"}'
    _problem(_chunked(small, "/store", big_json, "application/json", user), 413)
    big_form = b"name=Shop&pad=" + b"x" * 5000
    _problem(_chunked(small, "/store", big_form, "application/x-www-form-urlencoded", user), 413)
    assert count_rows(client, Store) == 0
    r = _chunked(small, "/store", b'{"name": "Shop"}', "application/json", user)
    assert r.status_code == 201


def test_a_chunked_upload_over_the_limit_is_413_on_a_real_server(database_url, client, user):
    with live_server(database_url, MAX_BODY_BYTES=1024) as base:
        chunks = [b'{"name": "Shop", "pad": "'] + [b"x" * 500] * 10 + [b'"}']
        r = httpx.post(
            f"{base}/store",
            content=iter(chunks),
            headers={**user.headers, "Content-Type": "application/json"},
            timeout=10,
        )
    assert r.status_code == 413, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    assert count_rows(client, Store) == 0


def test_a_body_under_the_limit_is_accepted(client, user, small_app):
    padded = b'{"name": "Shop"' + b" " * 900 + b"}"
    assert len(padded) < 1024
    r = small_app.test_client().post(
        "/store", data=padded, content_type="application/json", headers=user.headers
    )
    assert r.status_code == 201
    assert client.get(r.headers["Location"]).get_json()["name"] == "Shop"


def test_the_default_limit_is_one_mebibyte(client, user):
    over = b'{"name": "Shop", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    r = client.post("/store", data=over, content_type="application/json", headers=user.headers)
    _problem(r, 413)


# --- validation -----------------------------------------------------------------------------


def test_validation_errors_list_every_bad_field_with_a_message(client, user, store):
    r = client.post(
        "/item",
        json={"name": "", "price": "-1", "store_id": "abc"},
        headers=user.headers,
    )
    body = _problem(r, 422)
    assert body["title"] and body["detail"]
    assert {e["field"] for e in body["errors"]} == {"name", "price", "store_id"}
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
        assert isinstance(error["message"], str) and error["message"]


def test_form_validation_errors_have_the_same_shape(client, user, store):
    r = client.post(
        "/item", data={"name": "Chair", "price": "1.999", "store_id": "x"}, headers=user.headers
    )
    assert {e["field"] for e in _problem(r, 422)["errors"]} == {"price", "store_id"}


SECRET_FIELDS = ["owner_id", "id", "is_admin", "created_at", "version"]


@pytest.mark.parametrize("field", SECRET_FIELDS)
def test_unknown_fields_are_422_so_nobody_sets_owner_id_id_or_is_admin(
    client, user, other_user, field
):
    sneaky = {field: other_user.id if field != "is_admin" else True}
    r = client.post("/store", json={"name": "Shop", **sneaky}, headers=user.headers)
    assert [e["field"] for e in _problem(r, 422)["errors"]] == [field]
    r = client.post("/store", data={"name": "Shop", field: "1"}, headers=user.headers)
    assert [e["field"] for e in _problem(r, 422)["errors"]] == [field]
    assert count_rows(client, Store) == 0

    store = create_store(client, user)
    r = client.post(
        "/item",
        json={"name": "Chair", "price": "1.00", "store_id": store["id"], **sneaky},
        headers=user.headers,
    )
    assert [e["field"] for e in _problem(r, 422)["errors"]] == [field]
    r = client.post(f"/store/{store['id']}/tag", json={"name": "x", **sneaky}, headers=user.headers)
    assert [e["field"] for e in _problem(r, 422)["errors"]] == [field]
    assert count_rows(client, Item) == 0 and count_rows(client, Tag) == 0

    item = create_item(client, user, store["id"])
    r = client.put(f"/item/{item['id']}", json={"name": "New", **sneaky}, headers=user.headers)
    assert [e["field"] for e in _problem(r, 422)["errors"]] == [field]
    assert client.get(f"/item/{item['id']}").get_json()["name"] == "Chair"
    assert client.get(f"/store/{store['id']}").get_json()["owner_id"] == user.id


# --- HEAD and OPTIONS -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/store", "/store/{s}", "/item", "/item/{i}", "/store/{s}/tag", "/tag/{t}"]
)
def test_head_answers_like_get_without_a_body(client, user, path):
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"])
    url = path.format(s=store["id"], i=item["id"], t=tag["id"])
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.mimetype == get.mimetype == "application/json"
    assert head.headers["ETag"] == get.headers["ETag"]


def test_head_of_a_missing_object_is_a_bodiless_404(client):
    r = client.head("/store/999999")
    assert r.status_code == 404 and r.data == b""
    assert r.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/store", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("/store/{s}", {"GET", "HEAD", "OPTIONS", "DELETE"}),
        ("/item/{i}", {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
        ("/item/{i}/tag/{t}", {"GET", "HEAD", "OPTIONS", "POST", "DELETE"}),
        ("/tag/{t}", {"GET", "HEAD", "OPTIONS", "DELETE"}),
    ],
)
def test_options_lists_the_allowed_methods(client, user, path, allowed):
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"])
    r = client.options(path.format(s=store["id"], i=item["id"], t=tag["id"]))
    assert r.status_code in (200, 204)
    assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed


def test_options_of_an_unknown_route_is_404(client):
    _problem(client.options("/nope"), 404)


# --- unexpected errors ----------------------------------------------------------------------


LEAKS = ["Traceback", 'File "', "RuntimeError", "SELECT", "password_hash", "no_such_table", SECRET]


@pytest.fixture
def crashing_app(database_url) -> Iterator[Flask]:
    """A separate app instance with throwaway routes that fail in the ways bugs do."""
    app = create_app(test_settings(database_url))

    @app.get("/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError(f"SELECT password_hash FROM users -- key {SECRET}")

    @app.get("/boom/sql")
    def boom_sql():  # type: ignore[no-untyped-def]
        db.session().execute(text("SELECT password_hash FROM no_such_table"))

    @app.post("/boom/after-write")
    def boom_after_write():  # type: ignore[no-untyped-def]
        now = utcnow()
        db.session().execute(
            insert(Store).values(name="Half done", created_at=now, updated_at=now, version=1)
        )
        raise KeyError(SECRET)

    yield app
    app.extensions["engine"].dispose()


@pytest.mark.parametrize(("method", "path"), [("GET", "/boom"), ("GET", "/boom/sql")])
def test_an_internal_error_is_a_500_problem_without_internals(
    client, crashing_app, caplog, method, path
):
    with caplog.at_level(logging.ERROR, logger="storeapi"):
        r = crashing_app.test_client().open(path, method=method)
    body = _problem(r, 500)
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    text_body = r.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in text_body, leak
    assert not any(leak in value for _, value in r.headers.items() for leak in LEAKS)
    # ... while the operator still gets the traceback in the log
    assert any(record.exc_info for record in caplog.records if record.name == "storeapi")


def test_a_request_that_fails_half_way_writes_nothing(client, crashing_app):
    r = crashing_app.test_client().post("/boom/after-write")
    assert SECRET not in r.get_data(as_text=True)
    _problem(r, 500)
    assert count_rows(client, Store) == 0


def test_every_problem_type_of_the_code_is_in_the_errors_reference():
    """docs/errors.md lists each `type=` a Problem is raised with, so a client knows them all."""
    root = Path(__file__).resolve().parent.parent
    source = "\n".join(p.read_text() for p in (root / "src" / "storeapi").rglob("*.py"))
    raised = set(re.findall(r'Problem\([^)]*?type="([a-z-]+)"', source, re.S))
    raised |= set(re.findall(r'unauthorized\(\s*"([a-z-]+)"', source))
    assert {"invalid-link-token", "email-not-verified", "rate-limited"} <= raised
    listed = set(re.findall(r"`([a-z]+(?:-[a-z]+)*)`", (root / "docs" / "errors.md").read_text()))
    assert sorted(raised - listed) == []
