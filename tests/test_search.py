"""GET /item search: q, store_id, tag (all of), price range, sort; and the indexes behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from sqlalchemy import update

from storeapi.models import Item
from tests.conftest import assert_problem, create_item, create_store, create_tag, statements

# name, price, store ("a" or "b"), tags
CATALOG = [
    ("Oak Chair", "15.99", "a", ["sale", "wood", "Été"]),
    ("armchair", "120.00", "a", ["wood"]),
    ("CHAIR cover", "9.99", "a", ["sale"]),
    ("100% Cotton", "5.00", "a", []),
    ("50_50 blend", "7.50", "a", []),
    ("half/half", "3.00", "a", []),
    ("Table", "120.00", "a", ["wood", "sale"]),
    ("Chair", "15.99", "b", ["sale"]),
    ("Lamp", "0.10", "b", []),
    ("Desk 100", "250.00", "b", []),
]


@pytest.fixture
def catalog(client, user) -> dict:
    stores = {
        "a": create_store(client, user, "Store A"),
        "b": create_store(client, user, "Store B"),
    }
    tags: dict[tuple[str, str], dict] = {}
    items: dict[str, dict] = {}
    for name, price, key, tag_names in CATALOG:
        store_id = stores[key]["id"]
        item = create_item(client, user, store_id, name=name, price=price)
        for tag_name in tag_names:
            if (key, tag_name) not in tags:
                tags[key, tag_name] = create_tag(client, user, store_id, tag_name)
            r = client.post(
                f"/item/{item['id']}/tag/{tags[key, tag_name]['id']}", headers=user.headers
            )
            assert r.status_code == 201
        items[name] = item
    return {"stores": stores, "items": items}


def _names(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    r = client.get("/item?" + query)
    assert r.status_code == 200, r.get_json()
    return [i["name"] for i in r.get_json()["items"]]


def _in_id_order(catalog: dict, names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: catalog["items"][n]["id"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("chair", ["Oak Chair", "armchair", "CHAIR cover", "Chair"]),
        ("CHAIR", ["Oak Chair", "armchair", "CHAIR cover", "Chair"]),
        ("cHaIr C", ["CHAIR cover"]),
        ("100", ["100% Cotton", "Desk 100"]),
        ("%", ["100% Cotton"]),  # % is a character, not "anything"
        ("0% c", ["100% Cotton"]),
        ("k%c", []),  # as a wildcard it would match "Oak Chair"
        ("_", ["50_50 blend"]),  # _ is a character, not "any one character"
        ("a_r", []),  # as a wildcard it would match "armchair"
        ("/", ["half/half"]),  # the escape character itself is literal too
        ("f/h", ["half/half"]),
        ("//", []),
        ("lamp", ["Lamp"]),
        ("nothing like it", []),
        ("", [name for name, *_ in CATALOG]),
    ],
)
def test_q_is_a_case_insensitive_literal_substring(client, catalog, q, expected):
    assert _names(client, "q=" + quote(q, safe="")) == _in_id_order(catalog, expected)


def test_store_id_limits_to_one_store(client, catalog):
    a, b = catalog["stores"]["a"]["id"], catalog["stores"]["b"]["id"]
    assert _names(client, f"store_id={b}") == ["Chair", "Lamp", "Desk 100"]
    assert _names(client, f"store_id={a}&q=chair") == ["Oak Chair", "armchair", "CHAIR cover"]
    assert _names(client, "store_id=999999") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=sale", ["Oak Chair", "CHAIR cover", "Table", "Chair"]),
        ("tag=SALE", ["Oak Chair", "CHAIR cover", "Table", "Chair"]),
        ("tag=%20sale%20", ["Oak Chair", "CHAIR cover", "Table", "Chair"]),
        ("tag=wood", ["Oak Chair", "armchair", "Table"]),
        ("tag=sale&tag=wood", ["Oak Chair", "Table"]),
        ("tag=wood&tag=Sale", ["Oak Chair", "Table"]),
        ("tag=sale&tag=sale", ["Oak Chair", "CHAIR cover", "Table", "Chair"]),
        ("tag=sale&tag=wood&tag=%C3%89t%C3%A9", ["Oak Chair"]),
        ("tag=sale&tag=nope", []),
        ("tag=nope", []),
        ("tag=sale&q=chair", ["Oak Chair", "CHAIR cover", "Chair"]),
    ],
)
def test_tag_filters_keep_items_having_all_tags(client, catalog, query, expected):
    assert _names(client, query) == _in_id_order(catalog, expected)


def test_tag_and_store_combine(client, catalog):
    b = catalog["stores"]["b"]["id"]
    assert _names(client, f"tag=sale&store_id={b}") == ["Chair"]
    assert _names(client, f"tag=sale&tag=wood&store_id={b}") == []


def test_items_carry_their_tags_in_search_results(client, catalog):
    r = client.get("/item?tag=wood&tag=sale")
    tags = {i["name"]: sorted(t["name"] for t in i["tags"]) for i in r.get_json()["items"]}
    assert tags == {"Oak Chair": ["sale", "wood", "Été"], "Table": ["sale", "wood"]}


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [
        ("min_price=15.99", "15.99", None),
        ("max_price=9.99", None, "9.99"),
        ("min_price=5&max_price=15.99", "5", "15.99"),
        ("min_price=0.10&max_price=0.10", "0.10", "0.10"),
        ("min_price=0", "0", None),
        ("min_price=16&max_price=15", "16", "15"),
        ("max_price=0.09", None, "0.09"),
        ("min_price=250.00", "250.00", None),
    ],
)
def test_price_range_is_inclusive_and_exact(client, catalog, query, low, high):
    expected = [
        name
        for name, price, *_ in CATALOG
        if (low is None or Decimal(price) >= Decimal(low))
        and (high is None or Decimal(price) <= Decimal(high))
    ]
    assert _names(client, query) == _in_id_order(catalog, expected)


SORT_ROWS = [  # lowercase letters only, so every collation agrees on the name order
    ("kiwi", "5.00"),
    ("apple", "1.50"),
    ("fig", "5.00"),
    ("date", "9.99"),
    ("lime", "0.10"),
    ("banana", "5.00"),
    ("cherry", "20.00"),
    ("plum", "1.50"),
]
CREATED_ORDER = [5, 2, 7, 0, 3, 3, 1, 6]  # minutes after noon, by row; rows 4 and 5 tie


@pytest.fixture
def sortable(client, user) -> list[dict]:
    store = create_store(client, user)
    items = [create_item(client, user, store["id"], name=n, price=p) for n, p in SORT_ROWS]
    noon = dt.datetime(2026, 1, 2, 12, 0, tzinfo=dt.UTC)
    with client.application.extensions["engine"].begin() as conn:
        for item, minutes in zip(items, CREATED_ORDER, strict=True):
            conn.execute(
                update(Item)
                .where(Item.id == item["id"])
                .values(created_at=noon + dt.timedelta(minutes=minutes))
            )
    return [client.get(f"/item/{i['id']}").get_json() for i in items]


@pytest.mark.parametrize(
    "sort", ["id", "-id", "name", "-name", "price", "-price", "created_at", "-created_at"]
)
def test_every_sort_order_matches_the_order_computed_here(client, sortable, sort):
    key = sort.lstrip("-")

    def value(item: dict):  # type: ignore[no-untyped-def]
        if key == "price":
            return Decimal(str(item["price"]))
        if key == "created_at":
            return dt.datetime.fromisoformat(item["created_at"])
        return item[key]

    expected = sorted(sortable, key=lambda i: (value(i), i["id"]), reverse=sort.startswith("-"))
    r = client.get(f"/item?sort={sort}")
    assert r.status_code == 200
    assert [i["id"] for i in r.get_json()["items"]] == [i["id"] for i in expected]
    # the same order holds across pages of two
    seen, url = [], f"/item?sort={sort}&limit=2"
    while url:
        body = client.get(url).get_json()
        seen += [i["id"] for i in body["items"]]
        url = body["_links"].get("next", {}).get("href")
    assert seen == [i["id"] for i in expected]


def test_default_order_is_by_id(client, sortable):
    ids = [i["id"] for i in client.get("/item").get_json()["items"]]
    assert ids == sorted(i["id"] for i in sortable)


def test_sort_combines_with_filters(client, sortable):
    names = [i["name"] for i in client.get("/item?sort=-price&max_price=5").get_json()["items"]]
    assert names == ["banana", "fig", "kiwi", "plum", "apple", "lime"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=bogus", "sort"),
        ("sort=--price", "sort"),
        ("sort=%2Bprice", "sort"),
        ("sort=Price", "sort"),
        ("sort=", "sort"),
        ("sort=store_id", "sort"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.5", "limit"),
        ("min_price=abc", "min_price"),
        ("min_price=-1", "min_price"),
        ("max_price=1.999", "max_price"),
        ("max_price=NaN", "max_price"),
        ("min_price=Infinity", "min_price"),
        ("max_price=1e20", "max_price"),
        ("store_id=abc", "store_id"),
        ("store_id=0", "store_id"),
        ("store_id=99999999999999999999", "store_id"),
        ("q=" + "x" * 81, "q"),
        ("q=a%00b", "q"),
        ("q=line%0Abreak", "q"),
        ("tag=", "tag"),
        ("tag=" + "t" * 81, "tag"),
        ("tag=a%00", "tag"),
    ],
)
def test_invalid_search_parameters_are_422_naming_the_field(client, query, field):
    problem = assert_problem(client.get("/item?" + query), 422)
    assert [e["field"].split(".")[0] for e in problem["errors"]] == [field]
    assert all(e["message"] for e in problem["errors"])


# --- indexes -------------------------------------------------------------------------------


def _plan(app, query: str, pg_off: tuple[str, ...]) -> str:  # type: ignore[no-untyped-def]
    """The database's plan for the item query that GET /item?{query} runs."""
    with statements(app) as seen:
        r = app.test_client().get("/item?" + query)
        assert r.status_code == 200, r.get_json()
    searches = [(s, p) for s, p in seen if "FROM items" in s and "LIMIT" in s]
    assert len(searches) == 1, seen
    statement, params = searches[0]
    engine = app.extensions["engine"]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            return "\n".join(row[-1] for row in rows)
        # PostgreSQL plans tiny tables as sequential scans by design; with sequential scans
        # priced out, a plan without any "Seq Scan" proves indexes can serve the query.
        for method in pg_off:
            conn.exec_driver_sql(f"SET LOCAL enable_{method} = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
        conn.rollback()
        return "\n".join(row[0] for row in rows)


def assert_indexed(  # type: ignore[no-untyped-def]
    app, query: str, *index_names: str, pg_off: tuple[str, ...] = ("seqscan",)
) -> None:
    plan = _plan(app, query, pg_off)
    if app.extensions["engine"].dialect.name == "sqlite":
        lines = [line.strip() for line in plan.splitlines()]
        assert any("USING INDEX" in line or "USING COVERING INDEX" in line for line in lines), plan
        assert "SCAN items" not in lines, plan  # a plain full scan of the items table
    else:
        assert "Seq Scan" not in plan, plan
    for name in index_names:
        assert name in plan, (name, plan)


def test_store_filter_uses_the_store_index(app, catalog):
    assert_indexed(app, f"store_id={catalog['stores']['b']['id']}", "ix_items_store_id")


@pytest.mark.parametrize("sort", ["price", "-price"])
def test_price_sort_walks_the_price_index(app, catalog, sort):
    assert_indexed(app, f"sort={sort}", "ix_items_price_id")


@pytest.mark.parametrize("query", ["tag=sale", "tag=sale&tag=wood", "tag=wood&sort=-price"])
def test_tag_filter_is_driven_by_the_tag_indexes(app, catalog, query):
    assert_indexed(app, query, "ix_tags_name_key", "ix_item_tags_tag_item")


def test_substring_search_uses_the_trigram_index_on_postgresql(app, catalog):
    if app.extensions["engine"].dialect.name != "postgresql":
        pytest.skip("SQLite has no index for substring search; q scans items there")
    # Walking the primary key in id order and filtering is also "an index scan"; turning plain
    # index scans off too leaves bitmap scans, where only the trigram index fits the predicate.
    assert_indexed(app, "q=chair", "ix_items_name_trgm", pg_off=("seqscan", "indexscan"))
