"""What an independent security probe found in input handling, each closed.

1. A deleted user's id went to the next account on SQLite, which then inherited the deleted
   user's stored idempotent answers (a replayed 201 for a store it does not own).
2. Prices outside the documented pattern (`" 1.00"`, `"١٢٣"`, `"1_000"`, `"1e2"`, ...) were
   accepted.
3. Names made only of invisible characters, or holding format characters such as a
   right-to-left override, were stored.
"""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from storeapi.models import IdempotencyKey, Store, Tag, TokenFamily
from tests.conftest import assert_problem, create_store, make_account


def _count(client, model, *where) -> int:  # type: ignore[no-untyped-def]
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# 1. Ids are never reused ------------------------------------------------------------------


def _delete_user(client, admin, user_id: int) -> None:  # type: ignore[no-untyped-def]
    r = client.delete(f"/user/{user_id}", headers=admin.headers)
    assert r.status_code == 204, r.get_data(True)


def test_a_deleted_users_id_is_not_given_to_the_next_account(client, admin):
    gone = make_account(client, "gone@example.com")
    _delete_user(client, admin, gone.id)
    newcomer = make_account(client, "newcomer@example.com")
    assert newcomer.id > gone.id


def test_a_new_account_does_not_inherit_a_deleted_users_idempotent_answers(client, admin):
    gone = make_account(client, "gone@example.com")
    key = {"Idempotency-Key": "probe-1"}
    r = client.post("/store", json={"name": "Gone's"}, headers={**gone.headers, **key})
    assert r.status_code == 201
    _delete_user(client, admin, gone.id)
    # The deleted user's stored answers go with them, whatever id the next account gets.
    assert _count(client, IdempotencyKey, IdempotencyKey.scope == f"user:{gone.id}") == 0

    newcomer = make_account(client, "newcomer@example.com")
    r = client.post("/store", json={"name": "Gone's"}, headers={**newcomer.headers, **key})
    assert r.status_code == 409  # a fresh request: the name is taken, nothing replayed
    assert "Idempotent-Replayed" not in r.headers
    r = client.post("/store", json={"name": "Mine"}, headers={**newcomer.headers, **key})
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    assert r.get_json()["owner_id"] == newcomer.id


def test_a_deleted_users_logins_go_with_them(client, admin):
    gone = make_account(client, "gone@example.com")
    _delete_user(client, admin, gone.id)
    assert _count(client, TokenFamily, TokenFamily.user_id == gone.id) == 0
    assert_problem(client.post("/store", json={"name": "Ghost"}, headers=gone.headers), 401)


def test_ids_of_deleted_stores_are_not_reused(client, user):
    first = create_store(client, user, "First")
    r = client.delete(f"/store/{first['id']}", headers=user.headers)
    assert r.status_code == 204
    assert create_store(client, user, "Second")["id"] > first["id"]


# 2. Prices are exactly the documented pattern ----------------------------------------------

PROBED_PRICES = [
    " 1.00",
    "1.00 ",
    "\t7",
    "+1",
    "1.",
    ".5",
    "-0",
    "١٢٣",
    "\uff11\uff12",  # fullwidth digits
    "1_000",
    "1e2",
]


@pytest.fixture
def store(client, user) -> dict:  # type: ignore[no-untyped-def]
    return create_store(client, user, "Price Probe")


@pytest.mark.parametrize("price", PROBED_PRICES)
def test_prices_outside_the_pattern_are_refused_on_create(client, user, store, price):
    body = {"name": "Chair", "price": price, "store_id": store["id"]}
    problem = assert_problem(client.post("/item", json=body, headers=user.headers), 422)
    assert [e["field"] for e in problem["errors"]] == ["price"]


@pytest.mark.parametrize("price", PROBED_PRICES)
def test_prices_outside_the_pattern_are_refused_on_update(client, user, store, price):
    body = {"name": "Chair", "price": "1.50", "store_id": store["id"]}
    item = client.post("/item", json=body, headers=user.headers).get_json()
    r = client.put(f"/item/{item['id']}", json={"price": price}, headers=user.headers)
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["price"]


@pytest.mark.parametrize("price", PROBED_PRICES)
@pytest.mark.parametrize("bound", ["min_price", "max_price"])
def test_price_filters_outside_the_pattern_are_refused(client, price, bound):
    r = client.get("/item", query_string={bound: price})
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == [bound]


def test_leading_zeros_match_the_documented_pattern_and_are_accepted(client, user, store):
    body = {"name": "Chair", "price": "0001.5", "store_id": store["id"]}
    r = client.post("/item", json=body, headers=user.headers)
    assert r.status_code == 201 and r.get_json()["price"] == 1.5


@pytest.mark.parametrize("number", ["1e2", "1E2", "1.5e0", "100e-2", "-0", "-0.0", "1.500"])
def test_json_numbers_are_held_to_the_same_pattern(client, user, store, number):
    raw = f'{{"name": "Chair", "price": {number}, "store_id": {store["id"]}}}'
    r = client.post("/item", data=raw, content_type="application/json", headers=user.headers)
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["price"]


@pytest.mark.parametrize(("number", "stored"), [("1.5", 1.5), ("0", 0), ("15.99", 15.99)])
def test_plain_json_numbers_stay_accepted(client, user, store, number, stored):
    raw = f'{{"name": "Chair", "price": {number}, "store_id": {store["id"]}}}'
    r = client.post("/item", data=raw, content_type="application/json", headers=user.headers)
    assert r.status_code == 201, r.get_data(True)
    assert r.get_json()["price"] == stored


# 3. No invisible names ---------------------------------------------------------------------

INVISIBLE_NAMES = [
    "\u200b",  # zero-width space
    "abc\u202edef",  # right-to-left override
    "\u2066x\u2069",  # directional isolates
    "a\u00adb",  # soft hyphen
    "\u2060",  # word joiner
    "\U000e0041",  # tag letter A
    "\u3164",  # Hangul filler: a letter that shows nothing
    "\u115f\u1160",
    "\ufe0f",  # a variation selector alone
    "\u2800",  # braille blank
    " \u200b ",
]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_invisible_or_format_character_store_names_are_422(client, user, name):
    r = client.post("/store", json={"name": name}, headers=user.headers)
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["name"]
    assert _count(client, Store) == 0


@pytest.mark.parametrize("name", INVISIBLE_NAMES[:3])
def test_invisible_tag_item_book_and_framework_names_are_422(client, user, store, name):
    h = user.headers
    for path, body, field in [
        (f"/store/{store['id']}/tag", {"name": name}, "name"),
        ("/item", {"name": name, "price": "1", "store_id": store["id"]}, "name"),
        ("/books", {"title": name, "author": "A. Author"}, "title"),
        ("/books", {"title": "T", "author": name}, "author"),
        ("/frameworks", {"name": name, "created": 2010}, "name"),
        ("/frameworks", {"name": "Quart", "created": 2017, "parent": name}, "parent"),
    ]:
        r = client.post(path, json=body, headers=h)
        assert [e["field"] for e in assert_problem(r, 422)["errors"]] == [field], path
    assert _count(client, Tag) == 0


def test_names_are_stored_in_nfc(client, user):
    decomposed = "Cafe\u0301"
    store = create_store(client, user, decomposed)
    assert store["name"] == "Caf\u00e9" == unicodedata.normalize("NFC", decomposed)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Caf\u00e9", "Cafe\u0301"),  # composed and decomposed
        ("CAFE\u0301", "caf\u00e9"),
        ("ÉPICERIE", "épicerie"),
        ("STRASSE", "straße"),  # full case folding, not just lower()
        ("ΣΊΣΥΦΟΣ", "σίσυφος"),
        ("\u212b", "\u00e5"),  # ANGSTROM SIGN is Å after NFC
    ],
)
def test_store_names_are_unique_in_the_same_folded_form_on_every_database(
    client, user, first, second
):
    create_store(client, user, first)
    r = client.post("/store", json={"name": second}, headers=user.headers)
    assert assert_problem(r, 409)["type"].endswith("store-name-taken")


def test_tag_and_framework_names_are_unique_in_the_folded_form(client, user, store):
    h = user.headers
    assert (
        client.post(f"/store/{store['id']}/tag", json={"name": "Straße"}, headers=h).status_code
        == 201
    )
    r = client.post(f"/store/{store['id']}/tag", json={"name": "STRASSE"}, headers=h)
    assert_problem(r, 409)
    assert (
        client.post("/frameworks", json={"name": "Café", "created": 2010}, headers=h).status_code
        == 201
    )
    r = client.post("/frameworks", json={"name": "CAFE\u0301", "created": 2011}, headers=h)
    assert_problem(r, 409)
    r = client.get("/frameworks/cafe\u0301")
    assert r.status_code == 200 and r.get_json()["name"] == "Café"
