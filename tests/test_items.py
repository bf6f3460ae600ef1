"""Items: create in an owned store, exact prices, update, read with tags, delete."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import Numeric, inspect, select

from storeapi.http.hooks import API_CSP
from storeapi.models import Item, ItemTag
from tests.conftest import (
    assert_problem,
    count_rows,
    create_item,
    create_tag,
    non_fresh,
)


def _stored_price(client, item_id: int) -> Decimal:  # type: ignore[no-untyped-def]
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(Item.price).where(Item.id == item_id)).scalar_one()


def _post_raw_json(client, account, text: str):  # type: ignore[no-untyped-def]
    """POST a JSON body exactly as written (numbers keep their spelling)."""
    return client.post(
        "/item", data=text.encode(), content_type="application/json", headers=account.headers
    )


def test_create_item_answers_201_with_location_and_links(client, user, store):
    r = client.post(
        "/item",
        json={"name": "Chair", "price": "15.99", "store_id": store["id"]},
        headers=user.headers,
    )
    assert r.status_code == 201
    item = r.get_json()
    assert r.headers["Location"] == f"/item/{item['id']}"
    assert (item["name"], item["store_id"], item["tags"]) == ("Chair", store["id"], [])
    assert item["store"] == {"id": store["id"], "name": store["name"]}
    assert item["_links"]["self"]["href"] == f"/item/{item['id']}"
    assert item["_links"]["store"]["href"] == f"/store/{store['id']}"
    assert item["_links"]["tags"] == []
    assert client.get(item["_links"]["store"]["href"]).get_json()["id"] == store["id"]

    r = client.get(r.headers["Location"])
    assert r.status_code == 200
    assert r.get_json() == item


def test_creating_an_item_needs_a_token(client, store):
    r = client.post("/item", json={"name": "Chair", "price": "1.00", "store_id": store["id"]})
    assert_problem(r, 401)
    assert count_rows(client, Item) == 0


def test_only_the_owner_or_an_admin_creates_items(client, user, other_user, admin, store):
    body = {"name": "Chair", "price": "1.00", "store_id": store["id"]}
    assert_problem(client.post("/item", json=body, headers=other_user.headers), 403)
    assert count_rows(client, Item) == 0
    assert client.post("/item", json=body, headers=admin.headers).status_code == 201
    assert client.post("/item", json=body, headers=user.headers).status_code == 201
    assert count_rows(client, Item) == 2


MISSING = object()


@pytest.mark.parametrize(
    "store_id", [MISSING, None, 999999, 0, -1, "abc", "", 2**31, 2**63, 1.5, [1]]
)
def test_store_id_must_name_an_existing_store(client, user, store, store_id):
    body: dict = {"name": "Chair", "price": "1.00"}
    if store_id is not MISSING:
        body["store_id"] = store_id
    problem = assert_problem(client.post("/item", json=body, headers=user.headers), 422)
    assert [e["field"] for e in problem["errors"]] == ["store_id"]
    assert count_rows(client, Item) == 0


@pytest.mark.parametrize("price", ["15.99", "0.1", "1000000.00", "0", "0.00", "9999999999.99", "7"])
@pytest.mark.parametrize("form", ["json-number", "json-string", "form"])
def test_prices_round_trip_exactly(client, user, store, price, form):
    if form == "json-number":
        r = _post_raw_json(
            client, user, f'{{"name": "Thing", "price": {price}, "store_id": {store["id"]}}}'
        )
    elif form == "json-string":
        r = client.post(
            "/item",
            json={"name": "Thing", "price": price, "store_id": store["id"]},
            headers=user.headers,
        )
    else:
        r = client.post(
            "/item",
            data={"name": "Thing", "price": price, "store_id": str(store["id"])},
            headers=user.headers,
        )
    assert r.status_code == 201, r.get_json()
    exact = Decimal(price)
    text = f'"price":{exact.quantize(Decimal("0.01"))}'.encode()  # NUMERIC(12, 2): two decimals
    item_id = r.get_json()["id"]
    assert text in r.data
    for url in (f"/item/{item_id}", f"/item?store_id={store['id']}", f"/store/{store['id']}"):
        assert text in client.get(url).data, url
    body = json.loads(client.get(f"/item/{item_id}").data, parse_float=Decimal)
    assert body["price"] == exact
    assert _stored_price(client, item_id) == exact


def test_price_column_is_numeric_with_two_decimals(client):
    columns = {
        c["name"]: c for c in inspect(client.application.extensions["engine"]).get_columns("items")
    }
    price_type = columns["price"]["type"]
    assert isinstance(price_type, Numeric)
    assert (price_type.precision, price_type.scale) == (12, 2)


@pytest.mark.parametrize(
    "price",
    [
        "-1",
        "-0.01",
        "1.999",
        "0.001",
        '"abc"',
        '""',
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "NaN",
        "Infinity",
        "-Infinity",
        '"NaN"',
        '"Infinity"',
        "1e20",
        '"1e20"',
        "10000000000.00",
        '"12.3.4"',
    ],
)
def test_invalid_prices_are_422_naming_the_field(client, user, store, price):
    r = _post_raw_json(
        client, user, f'{{"name": "Thing", "price": {price}, "store_id": {store["id"]}}}'
    )
    problem = assert_problem(r, 422)
    assert [e["field"] for e in problem["errors"]] == ["price"]
    assert count_rows(client, Item) == 0


@pytest.mark.parametrize("price", ["-1", "1.999", "abc", "NaN", "Infinity", "1e20", ""])
def test_invalid_form_prices_are_422(client, user, store, price):
    r = client.post(
        "/item",
        data={"name": "Thing", "price": price, "store_id": str(store["id"])},
        headers=user.headers,
    )
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["price"]
    assert count_rows(client, Item) == 0


def test_a_missing_price_and_name_are_both_reported(client, user, store):
    r = client.post("/item", json={"store_id": store["id"]}, headers=user.headers)
    assert {e["field"] for e in assert_problem(r, 422)["errors"]} == {"name", "price"}


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "a\x00b", "new\nline", 5])
def test_invalid_item_names_are_422(client, user, store, name):
    r = client.post(
        "/item", json={"name": name, "price": "1.00", "store_id": store["id"]}, headers=user.headers
    )
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["name"]


@pytest.mark.parametrize(
    ("change", "expected_name", "expected_price"),
    [
        ({"name": "Armchair"}, "Armchair", b'"price":15.99'),
        ({"price": "0.1"}, "Chair", b'"price":0.10'),
        ({"price": 20}, "Chair", b'"price":20.00'),
        ({"name": " Stool ", "price": "1000000.00"}, "Stool", b'"price":1000000.00'),
    ],
)
def test_put_changes_name_and_or_price(client, user, item, change, expected_name, expected_price):
    r = client.put(f"/item/{item['id']}", json=change, headers=user.headers)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["name"] == expected_name and expected_price in r.data
    assert r.get_json()["updated_at"] >= item["updated_at"]
    r = client.get(f"/item/{item['id']}")
    assert r.get_json()["name"] == expected_name and expected_price in r.data
    assert r.get_json()["created_at"] == item["created_at"]


def test_put_accepts_a_raw_json_number_and_form_data(client, user, item):
    r = client.put(
        f"/item/{item['id']}",
        data=b'{"price": 4.20}',
        content_type="application/json",
        headers=user.headers,
    )
    assert r.status_code == 200 and b'"price":4.20' in r.data
    r = client.put(f"/item/{item['id']}", data={"price": "3.5"}, headers=user.headers)
    assert r.status_code == 200 and b'"price":3.50' in r.data


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": None, "price": None},
        {"store_id": 1},
        {"id": 99},
        {"owner_id": 1},
        {"name": "Stool", "colour": "red"},
        {"price": "-1"},
        {"price": "1.999"},
        {"name": ""},
    ],
)
def test_put_refuses_empty_unknown_or_invalid_bodies(client, user, item, body):
    r = client.put(f"/item/{item['id']}", json=body, headers=user.headers)
    problem = assert_problem(r, 422)
    assert problem["errors"] and all(e["field"] and e["message"] for e in problem["errors"])
    unknown = set(body) - {"name", "price"}
    if unknown:
        assert {e["field"] for e in problem["errors"]} == unknown
    after = client.get(f"/item/{item['id']}").get_json()
    assert (after["name"], after["price"], after["store_id"]) == ("Chair", 15.99, item["store_id"])


def test_put_with_no_body_at_all_is_422(client, user, item):
    r = client.put(f"/item/{item['id']}", headers=user.headers)
    assert assert_problem(r, 422)["errors"]


def test_put_needs_the_owner(client, user, other_user, admin, item):
    assert_problem(client.put(f"/item/{item['id']}", json={"name": "X"}), 401)
    r = client.put(f"/item/{item['id']}", json={"name": "X"}, headers=other_user.headers)
    assert_problem(r, 403)
    assert client.get(f"/item/{item['id']}").get_json()["name"] == "Chair"
    r = client.put(f"/item/{item['id']}", json={"name": "By admin"}, headers=admin.headers)
    assert r.status_code == 200 and r.get_json()["name"] == "By admin"


def test_get_item_shows_its_tags_with_links(client, user, store, item):
    sale = create_tag(client, user, store["id"], "sale")
    new = create_tag(client, user, store["id"], "new")
    create_tag(client, user, store["id"], "unused")
    for tag in (new, sale):
        assert (
            client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers).status_code
            == 201
        )
    body = client.get(f"/item/{item['id']}").get_json()
    assert [(t["id"], t["name"]) for t in body["tags"]] == [
        (sale["id"], "sale"),
        (new["id"], "new"),
    ]
    assert [t["_links"]["self"]["href"] for t in body["tags"]] == [
        f"/tag/{sale['id']}",
        f"/tag/{new['id']}",
    ]
    assert body["_links"]["tags"] == [{"href": f"/tag/{sale['id']}"}, {"href": f"/tag/{new['id']}"}]
    for link in body["_links"]["tags"]:
        assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("path", ["/item/999999", "/item/2147483648", "/item/" + "9" * 25])
def test_unknown_items_are_404(client, user, path):
    assert_problem(client.get(path), 404)
    assert_problem(client.put(path, json={"name": "X"}, headers=user.headers), 404)
    assert_problem(client.delete(path, headers=user.headers), 404)


def test_delete_item_answers_204_and_removes_it_and_its_links(client, user, store, item):
    tag = create_tag(client, user, store["id"])
    client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)
    keep = create_item(client, user, store["id"], name="Lamp")
    client.post(f"/item/{keep['id']}/tag/{tag['id']}", headers=user.headers)

    r = client.delete(f"/item/{item['id']}", headers=user.headers)
    assert r.status_code == 204 and r.data == b""
    # no content, so no media type, and the API's CSP rather than the one for pages
    assert "Content-Type" not in r.headers
    assert r.headers["Content-Security-Policy"] == API_CSP
    assert_problem(client.get(f"/item/{item['id']}"), 404)
    assert_problem(client.delete(f"/item/{item['id']}", headers=user.headers), 404)
    assert count_rows(client, Item, Item.id == item["id"]) == 0
    assert count_rows(client, ItemTag, ItemTag.item_id == item["id"]) == 0
    assert count_rows(client, ItemTag, ItemTag.item_id == keep["id"]) == 1
    assert [i["id"] for i in client.get(f"/tag/{tag['id']}").get_json()["items"]] == [keep["id"]]


def test_delete_item_needs_a_fresh_token_of_the_owner(client, user, other_user, item):
    assert_problem(client.delete(f"/item/{item['id']}"), 401)
    assert_problem(client.delete(f"/item/{item['id']}", headers=other_user.headers), 403)
    assert_problem(
        client.delete(f"/item/{item['id']}", headers=non_fresh(client, user).headers), 401
    )
    assert client.get(f"/item/{item['id']}").status_code == 200


def test_items_embed_their_store_in_every_representation(client, user, store, item):
    expected = {"id": store["id"], "name": store["name"]}
    assert item["store"] == expected
    assert client.get(f"/item/{item['id']}").get_json()["store"] == expected
    assert [i["store"] for i in client.get("/item").get_json()["items"]] == [expected]
    assert [i["store"] for i in client.get("/item?q=chair").get_json()["items"]] == [expected]
    r = client.put(f"/item/{item['id']}", json={"price": "1.00"}, headers=user.headers)
    assert r.get_json()["store"] == expected
