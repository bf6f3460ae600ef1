"""API1:2023 Broken Object Level Authorization.

Every route that names an object by id is tried with another user's object: the answer is 403
or 404, never the object's data, and no row anywhere changes. Reads of stores, items and tags
are public by design (API.md); users are readable by administrators only. Books and frameworks
have no owner (any logged-in user may write them), so there is no other user's object to reach.
"""

from __future__ import annotations

import re

import pytest

from storeapi.http.api import OPERATIONS
from tests import pictures
from tests.conftest import assert_problem

from .conftest import World, snapshot

PICTURE = pictures.png_with_alpha((40, 30))
# (method, Flask rule) -> how another user aims at the owner's object: (path, json body)
ATTEMPTS = {
    ("PUT", "/item/<int:item_id>"): lambda w: (f"/item/{w.item['id']}", {"name": "Hacked"}),
    ("DELETE", "/item/<int:item_id>"): lambda w: (f"/item/{w.item['id']}", None),
    ("DELETE", "/store/<int:store_id>"): lambda w: (f"/store/{w.store['id']}", None),
    ("POST", "/store/<int:store_id>/tag"): lambda w: (
        f"/store/{w.store['id']}/tag",
        {"name": "planted"},
    ),
    ("DELETE", "/tag/<int:tag_id>"): lambda w: (f"/tag/{w.free_tag['id']}", None),
    ("POST", "/item/<int:item_id>/tag/<int:tag_id>"): lambda w: (
        f"/item/{w.item['id']}/tag/{w.free_tag['id']}",
        None,
    ),
    ("DELETE", "/item/<int:item_id>/tag/<int:tag_id>"): lambda w: (
        f"/item/{w.item['id']}/tag/{w.tag['id']}",
        None,
    ),
    ("PUT", "/item/<int:item_id>/image"): lambda w: (f"/item/{w.item['id']}/image", PICTURE),
    ("DELETE", "/item/<int:item_id>/image"): lambda w: (f"/item/{w.item['id']}/image", None),
    ("GET", "/user/<int:user_id>"): lambda w: (f"/user/{w.owner.id}", None),
    ("DELETE", "/user/<int:user_id>"): lambda w: (f"/user/{w.owner.id}", None),
}
PUBLIC_READS = {
    ("GET", "/store/<int:store_id>"),
    ("GET", "/store/<int:store_id>/tag"),
    ("GET", "/item/<int:item_id>"),
    ("GET", "/tag/<int:tag_id>"),
    ("GET", "/item/<int:item_id>/tag/<int:tag_id>"),
}
OWNERLESS = re.compile(r"^/(books|booksApi|frameworks)/")


def test_the_table_covers_every_route_that_names_an_object() -> None:
    object_routes = {
        (op.method, op.rule) for op in OPERATIONS if "<" in op.rule and not OWNERLESS.match(op.rule)
    }
    assert object_routes == set(ATTEMPTS) | PUBLIC_READS


@pytest.mark.parametrize("route", sorted(ATTEMPTS), ids=lambda r: f"{r[0]} {r[1]}")
def test_another_users_object_is_neither_shown_nor_changed(client, world: World, route) -> None:
    method, _ = route
    path, body = ATTEMPTS[route](world)
    before = snapshot(client)
    picture = isinstance(body, bytes)
    sent = {"data": body, "content_type": "image/png"} if picture else {"json": body}
    r = client.open(path, method=method, headers=world.other.headers, **sent)
    problem = assert_problem(r, r.status_code)
    assert r.status_code in (403, 404)
    text = r.get_data(as_text=True)
    for secret in ("Chair", "owner@example.com", "Hacked"):
        assert secret not in text, problem
    assert snapshot(client) == before


def test_an_item_cannot_be_created_in_another_users_store(client, world: World) -> None:
    before = snapshot(client)
    r = client.post(
        "/item",
        json={"name": "Planted", "price": "1.00", "store_id": world.store["id"]},
        headers=world.other.headers,
    )
    assert_problem(r, 403)
    assert snapshot(client) == before


def test_own_item_cannot_be_tagged_with_another_stores_tag(client, world: World) -> None:
    before = snapshot(client)
    r = client.post(
        f"/item/{world.other_item['id']}/tag/{world.tag['id']}", headers=world.other.headers
    )
    assert r.status_code in (403, 404, 409)
    assert_problem(r, r.status_code)
    assert snapshot(client) == before


def test_refusals_carry_no_object_fields_whether_foreign_or_missing(client, world) -> None:
    """Another user's item and an item that does not exist both get a bare problem."""
    foreign = client.put(
        f"/item/{world.item['id']}", json={"name": "x"}, headers=world.other.headers
    )
    missing = client.put("/item/999999", json={"name": "x"}, headers=world.other.headers)
    for r in (foreign, missing):
        body = assert_problem(r, r.status_code)
        assert set(body) <= {"type", "title", "status", "detail", "instance", "errors"}


def test_an_idempotency_key_never_replays_another_users_response(client, world: World) -> None:
    key = {"Idempotency-Key": "shared-key-123"}
    first = client.post("/store", json={"name": "Keyed"}, headers={**world.owner.headers, **key})
    assert first.status_code == 201
    # The same key and body from another user is that user's own request: not a replay of the
    # owner's response (which would leak it), but a fresh one (here refused: the name is taken).
    again = client.post("/store", json={"name": "Keyed"}, headers={**world.other.headers, **key})
    assert again.headers.get("Idempotent-Replayed") is None
    assert_problem(again, 409)
    mine = client.post("/store", json={"name": "Mine"}, headers={**world.other.headers, **key})
    assert mine.status_code == 201 and mine.get_json()["owner_id"] == world.other.id


def test_admins_may_act_on_any_object(client, world: World) -> None:
    r = client.put(f"/item/{world.item['id']}", json={"name": "Fixed"}, headers=world.admin.headers)
    assert r.status_code == 200 and r.get_json()["name"] == "Fixed"
    assert client.get(f"/user/{world.owner.id}", headers=world.admin.headers).status_code == 200
