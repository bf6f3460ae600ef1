"""Keyset pagination: limits, signed cursors, sort orders, inserts and deletes between pages."""

from __future__ import annotations

import base64
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from tests.conftest import assert_problem, create_item, create_store, create_tag

PRICES = ["5.00", "1.50", "5.00", "9.99", "0.10", "5.00", "1.50", "20.00", "0.10", "5.00", "7.25"]
NAMES = ["pear", "Apple", "fig", "apple", "kiwi", "date", "Banana", "plum", "lime", "cherry", "nut"]


@pytest.fixture
def catalog(client, user):
    store = create_store(client, user)
    items = [
        create_item(client, user, store["id"], name=n, price=p)
        for n, p in zip(NAMES, PRICES, strict=True)
    ]
    return store, items


def _walk(client, url: str, rel: str = "next") -> list[dict]:  # type: ignore[no-untyped-def]
    """Follow `rel` links from url to the end; returns every page body."""
    pages = []
    for _ in range(100):
        r = client.get(url)
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        pages.append(body)
        if rel not in body["_links"]:
            return pages
        assert f'rel="{rel}"' in r.headers["Link"]
        url = body["_links"][rel]["href"]
    raise AssertionError("pagination did not end")


def _expected(items: list[dict], key: str, descending: bool) -> list[int]:
    def sort_value(i: dict):  # type: ignore[no-untyped-def]
        value = i[key]
        return Decimal(str(value)) if key == "price" else value

    ordered = sorted(items, key=lambda i: (sort_value(i), i["id"]), reverse=descending)
    return [i["id"] for i in ordered]


@pytest.mark.parametrize(
    "sort", ["id", "-id", "name", "-name", "price", "-price", "created_at", "-created_at"]
)
def test_every_sort_order_pages_forward_and_back_without_gaps_or_repeats(client, catalog, sort):
    _, items = catalog
    key = sort.lstrip("-")
    expected = _expected(items, key, sort.startswith("-"))
    if key == "name":  # collation differs between databases; take the server's own order
        full = client.get(f"/item?sort={sort}&limit=200").get_json()["items"]
        expected = [i["id"] for i in full]
        assert sorted(expected) == sorted(i["id"] for i in items)
    pages = _walk(client, f"/item?sort={sort}&limit=3")
    forward = [i["id"] for p in pages for i in p["items"]]
    assert forward == expected
    assert len(pages) == 4 and all(len(p["items"]) <= 3 for p in pages)
    back_pages = _walk(client, pages[-1]["_links"]["self"]["href"], rel="prev")
    backward = [i["id"] for p in reversed(back_pages) for i in p["items"]]
    assert backward == expected


def test_cursor_pages_stay_correct_when_rows_are_inserted_and_deleted(client, user, catalog):
    store, items = catalog
    first = client.get("/item?sort=price&limit=4").get_json()
    seen = [i["id"] for i in first["items"]]
    # Between pages: delete an item already seen and one not yet seen, insert a cheap one
    # (sorts before the cursor) and an expensive one (after it).
    unseen = [i for i in items if i["id"] not in seen]
    gone = unseen[0]["id"]
    for victim in (seen[0], gone):
        assert client.delete(f"/item/{victim}", headers=user.headers).status_code == 204
    create_item(client, user, store["id"], name="cheap", price="0.01")
    late = create_item(client, user, store["id"], name="dear", price="999.00")
    rest = _walk(client, first["_links"]["next"]["href"])
    after = [i["id"] for p in rest for i in p["items"]]
    assert not set(after) & set(seen), "no repeats"
    expected = [i for i in _expected(items, "price", False) if i not in seen and i != gone]
    assert after == [*expected, late["id"]]


def test_limit_bounds_and_default(client, user, catalog):
    assert len(client.get("/item").get_json()["items"]) == len(PRICES)  # default 50
    for bad in ("0", "201", "-1", "abc", "1.5"):
        body = assert_problem(client.get(f"/item?limit={bad}"), 422)
        assert body["errors"][0]["field"] == "limit"
    assert client.get("/item?limit=200").status_code == 200


def test_the_default_page_size_is_50(client, user):
    store = create_store(client, user)
    for n in range(51):
        create_item(client, user, store["id"], name=f"item {n}", price="1.00")
    page = client.get("/item").get_json()
    assert len(page["items"]) == 50 and "next" in page["_links"]


@pytest.mark.parametrize(
    "garble",
    [
        "garbage",
        "a.b",
        "....",
        "",
        "eyJ4Ijox.fQ",
        "%%%",
    ],
)
def test_garbled_cursor_is_422(client, catalog, garble):
    body = assert_problem(client.get("/item", query_string={"cursor": garble or "x"}), 422)
    assert body["errors"][0]["field"] == "cursor"


def test_forged_cursor_is_422(client, catalog):
    page = client.get("/item?sort=price&limit=2").get_json()
    cursor = parse_qs(urlsplit(page["_links"]["next"]["href"]).query)["cursor"][0]
    payload_b64, mac = cursor.split(".")
    payload = orjson.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    payload[3] = 1  # jump to another row, keep the signature
    forged = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode() + "." + mac
    assert_problem(client.get("/item", query_string={"sort": "price", "cursor": forged}), 422)


def test_a_cursor_of_another_sort_order_is_422(client, catalog):
    page = client.get("/item?sort=price&limit=2").get_json()
    cursor = parse_qs(urlsplit(page["_links"]["next"]["href"]).query)["cursor"][0]
    assert_problem(client.get("/item", query_string={"sort": "name", "cursor": cursor}), 422)


def test_links_keep_filters_and_offer_first(client, user, catalog):
    store, _ = catalog
    r = client.get(f"/item?store_id={store['id']}&min_price=1&limit=2&sort=-price")
    links = r.get_json()["_links"]
    assert set(links) == {"self", "first", "next"}
    query = parse_qs(urlsplit(links["next"]["href"]).query)
    assert query["store_id"] == [str(store["id"])] and query["sort"] == ["-price"]
    assert "cursor" not in parse_qs(urlsplit(links["first"]["href"]).query)
    assert "<" in r.headers["Link"] and 'rel="first"' in r.headers["Link"]


def test_stores_and_tags_lists_paginate_too(client, user):
    for n in range(5):
        store = create_store(client, user, name=f"Store {n}")
    for n in range(5):
        create_tag(client, user, store["id"], name=f"tag {n}")
    stores = [s["id"] for p in _walk(client, "/store?limit=2") for s in p["stores"]]
    assert len(stores) == 5 == len(set(stores))
    tags = [t["id"] for p in _walk(client, f"/store/{store['id']}/tag?limit=2") for t in p["tags"]]
    assert len(tags) == 5 == len(set(tags))


def test_a_cursor_of_another_list_is_422(client, user):
    for n in range(3):
        store = create_store(client, user, name=f"Store {n}")
        create_item(client, user, store["id"], name=f"item {n}")
    page = client.get("/store?limit=1").get_json()
    cursor = parse_qs(urlsplit(page["_links"]["next"]["href"]).query)["cursor"][0]
    assert client.get("/store", query_string={"cursor": cursor, "limit": 1}).status_code == 200
    assert_problem(client.get("/item", query_string={"cursor": cursor}), 422)
