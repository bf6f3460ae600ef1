"""Content negotiation: JSON, JSON-LD, 406; JSON or form-encoded request bodies."""

from __future__ import annotations

import pytest

from tests.conftest import assert_problem


def test_json_ld_for_items(client, item):
    r = client.get(f"/item/{item['id']}", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    body = r.get_json()
    assert body["@id"] == f"/item/{item['id']}" and body["@type"] == "Product"
    assert "@vocab" in body["@context"]
    listed = client.get("/item", headers={"Accept": "application/ld+json"}).get_json()
    assert listed["@type"] == "ItemList" and listed["items"][0]["@id"] == body["@id"]
    assert "@context" not in listed["items"][0]


@pytest.mark.parametrize(
    "accept",
    [None, "*/*", "application/*", "application/json", "text/html;q=0.5, application/json"],
)
def test_json_is_the_default(client, item, accept):
    headers = {"Accept": accept} if accept else {}
    r = client.get(f"/item/{item['id']}", headers=headers)
    assert r.status_code == 200 and r.mimetype == "application/json"


@pytest.mark.parametrize("path", ["/item/{i}", "/store", "/"])
def test_unservable_accept_is_406(client, item, path):
    r = client.get(path.format(i=item["id"]), headers={"Accept": "text/csv"})
    assert_problem(r, 406)


def test_json_ld_only_where_offered(client, item):
    assert_problem(client.get("/store", headers={"Accept": "application/ld+json"}), 406)


def test_form_encoded_bodies_are_accepted(client, user):
    r = client.post("/store", data={"name": "Form Shop"}, headers=user.headers)
    assert r.status_code == 201
    r = client.post(
        "/item",
        data={"name": "Mug", "price": "4.20", "store_id": r.get_json()["id"]},
        headers=user.headers,
    )
    assert r.status_code == 201 and r.get_json()["price"] == 4.2
    assert b'"price":4.20' in r.data
    r = client.post("/store", data={"name": "Other", "owner_id": "7"}, headers=user.headers)
    assert assert_problem(r, 422)["errors"][0]["field"] == "owner_id"


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "multipart/form-data"])
def test_other_body_types_are_415(client, user, ctype):
    r = client.post("/store", data=b"name=x", headers={**user.headers, "Content-Type": ctype})
    assert_problem(r, 415)
