"""API3:2023 Broken Object Property Level Authorization.

Writes: request bodies refuse unknown fields (422), so nobody sets `is_admin`, `owner_id`,
`id`, `store_id` of an existing item, `version` or timestamps. Reads: every response of every
GET route carries only the properties its OpenAPI schema documents, and nowhere any password
material or internal field.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from storeapi.models import User
from tests.conftest import assert_problem

from .conftest import World, snapshot, walk

INTERNAL = {"password", "password_hash", "hash", "refresh_jti", "jti", "fam"}
ROW_INTERNAL = {"version", "owner", "request_hash"}  # columns of a row that stay inside


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_registration_cannot_make_an_administrator(client, form: bool) -> None:
    body = {"email": "mallory@example.com", "password": "long enough", "is_admin": "true"}
    r = client.post("/register", data=body) if form else client.post("/register", json=body)
    problem = assert_problem(r, 422)
    assert "is_admin" in [e["field"] for e in problem["errors"]]
    engine = client.application.extensions["engine"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 0


MASS_ASSIGNMENTS = [
    ("POST", "/store", lambda w: {"name": "Mine", "owner_id": w.other.id}),
    ("POST", "/store", lambda w: {"name": "Mine", "id": 1}),
    ("POST", "/item", lambda w: {"name": "X", "price": "1", "store_id": w.store["id"], "id": 7}),
    ("PUT", "/item/{item}", lambda w: {"name": "X", "store_id": w.other_store["id"]}),
    ("PUT", "/item/{item}", lambda w: {"price": "1", "version": 99}),
    ("PUT", "/item/{item}", lambda w: {"name": "X", "created_at": "2000-01-01T00:00:00Z"}),
    ("POST", "/store/{store}/tag", lambda w: {"name": "t", "store_id": w.other_store["id"]}),
    ("POST", "/books", lambda w: {"title": "T", "author": "A", "id": 1}),
    ("POST", "/frameworks", lambda w: {"name": "Falcon", "created": 2013, "id": 1}),
]


@pytest.mark.parametrize("method, path, body", MASS_ASSIGNMENTS)
def test_unknown_or_read_only_fields_are_refused(client, world: World, method, path, body) -> None:
    url = path.format(item=world.item["id"], store=world.store["id"])
    before = snapshot(client)
    r = client.open(url, method=method, json=body(world), headers=world.owner.headers)
    assert_problem(r, 422)
    assert snapshot(client) == before


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def undocumented(doc: Any, schema: dict, spec: dict, where: str = "") -> list[str]:
    """Properties of `doc` its schema does not document (recursively)."""
    schema = _resolve(schema, spec)
    for alternative in schema.get("anyOf", []):
        alternative = _resolve(alternative, spec)
        if alternative.get("type") != "null" and doc is not None:
            return undocumented(doc, alternative, spec, where)
    if isinstance(doc, list) and "items" in schema:
        return [u for d in doc for u in undocumented(d, schema["items"], spec, where + "[]")]
    if isinstance(doc, dict) and "properties" in schema:
        found = [f"{where}.{k}" for k in doc if k not in schema["properties"]]
        for k, v in doc.items():
            if k in schema["properties"] and k != "_links":
                found += undocumented(v, schema["properties"][k], spec, f"{where}.{k}")
        return found
    return []


def test_every_read_shows_only_documented_properties_and_nothing_internal(client, world) -> None:
    spec = client.get("/openapi.json").get_json()
    ids = {
        "store_id": world.store["id"],
        "item_id": world.item["id"],
        "tag_id": world.tag["id"],
        "user_id": world.owner.id,
        "book_id": client.post(
            "/books", json={"title": "Dune", "author": "Herbert"}, headers=world.owner.headers
        ).get_json()["id"],
        "name": "Flask",
    }
    checked = 0
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if get is None or path in ("/openapi.json",) or path.startswith("/media/"):
            continue  # the document itself, and pictures (WebP bytes, tested in test_images.py)
        url = path.format(**ids)
        r = client.get(url, headers=world.admin.headers)
        assert r.status_code == 200, (url, r.status_code)
        text = r.get_data(as_text=True)
        assert "$argon2" not in text and "correct horse" not in text, url
        if "application/json" not in get["responses"]["200"]["content"]:
            continue  # the HTML pages the mail links open: no data of anyone's
        body = r.get_json()
        assert not INTERNAL & {k for k, _ in walk(body)}, url
        rows = [v for v in [body, *(v for _, v in walk(body))] if isinstance(v, dict) and "id" in v]
        assert not any(ROW_INTERNAL & set(row) for row in rows), url
        schema = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert undocumented(body, schema, spec) == [], url
        checked += 1
    assert checked >= 15


def test_write_responses_carry_no_password_material(client) -> None:
    r = client.post("/register", json={"email": "ann@example.com", "password": "secret words"})
    for response in (
        r,
        client.post("/login", json={"email": "ann@example.com", "password": "secret words"}),
        client.post("/login", json={"email": "ann@example.com", "password": "wrong words"}),
    ):
        text = response.get_data(as_text=True)
        assert "secret words" not in text and "wrong words" not in text and "$argon2" not in text
        keys = {k for k, _ in walk(json.loads(text))}
        assert not {"password", "password_hash", "hash"} & keys
