"""`storeapi seed-demo` as a real process: realistic demo data, idempotent, with a progress bar
and the demo user's credentials; checked through the tables and the HTTP API."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select

from storeapi.demo import DEMO_EMAIL, STORE_NAMES
from storeapi.demo_catalogue import CATALOGUE
from storeapi.models import Book, Framework, Item, ItemTag, Store, Tag, User
from tests.conftest import create_store, make_account
from tests.live import ROOT, STOREAPI, server_env

ADDED = re.compile(
    r"Added (\d+) stores, (\d+) items, (\d+) tags, (\d+) item tags, (\d+) books, (\d+) frameworks"
)
CREDENTIALS = re.compile(r"Demo user: (\S+)  password: (\S+)")


def seed_demo(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [STOREAPI, "seed-demo", *args],
        env=server_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def added(result: subprocess.CompletedProcess) -> tuple[int, ...]:
    assert result.returncode == 0, result.stdout + result.stderr
    match = ADDED.search(result.stdout)
    assert match, result.stdout
    return tuple(int(n) for n in match.groups())


def counts(client: FlaskClient) -> dict[str, int]:
    engine = client.application.extensions["engine"]
    with engine.connect() as conn:
        return {
            model.__tablename__: conn.scalar(select(func.count()).select_from(model))
            for model in (User, Store, Item, Tag, ItemTag, Book, Framework)
        }


def log_in(client: FlaskClient, email: str, password: str) -> dict[str, str]:
    r = client.post("/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}


def test_seeding_twice_adds_nothing_the_second_time(database_url: str, client: FlaskClient) -> None:
    first = seed_demo(database_url, "--stores", "3", "--items", "12")
    assert added(first)[:3] == (3, 36, 18)  # 6 tags per store
    assert added(first)[3] > 36  # every item has one or two tags
    assert added(first)[4:] == (20, 6)  # 20 books; 6 frameworks beside the guide's 4
    links = added(first)[3]
    assert (
        f"The database now has 3 stores, 36 items, 18 tags, {links} item tags, 20 books, "
        "10 frameworks." in first.stdout
    )
    assert "Seeding demo stores" in first.stderr  # the progress bar
    email, password = CREDENTIALS.search(first.stdout).groups()
    assert email == DEMO_EMAIL and len(password) >= 12
    after_first = counts(client)

    second = seed_demo(database_url, "--stores", "3", "--items", "12")
    assert added(second) == (0, 0, 0, 0, 0, 0)
    assert "already existed; its password is unchanged" in second.stdout
    assert "password:" not in second.stdout
    assert counts(client) == after_first
    assert after_first["users"] == 1 and after_first["frameworks"] == 10

    headers = log_in(client, email, password)
    me = client.get("/store?limit=200").get_json()["stores"]
    assert [s["name"] for s in me] == list(STORE_NAMES[:3])
    demo_id = me[0]["owner_id"]
    assert all(s["owner_id"] == demo_id for s in me)
    items = client.get(f"/item?store_id={me[0]['id']}&limit=200").get_json()["items"]
    assert len(items) == 12 and len({i["name"] for i in items}) == 12
    for item in items:
        price = Decimal(str(item["price"]))
        assert price > 0 and price == price.quantize(Decimal("0.01"))
        assert 1 <= len(item["tags"]) <= 2
    on_sale = client.get("/item?tag=sale&limit=200").get_json()["items"]
    assert on_sale and all("sale" in [t["name"] for t in i["tags"]] for i in on_sale)
    books = client.get("/books?author=Jane Austen").get_json()["books"]
    assert {b["title"] for b in books} == {"Pride and Prejudice", "Emma"}
    fastapi = client.get("/frameworks/FastAPI").get_json()
    assert (fastapi["created"], fastapi["parent"]) == (2018, "Starlette")
    # the demo user owns its stores: it may add to them
    r = client.post(
        "/item",
        json={"name": "Demo extra", "price": "1.00", "store_id": me[0]["id"]},
        headers=headers,
    )
    assert r.status_code == 201, r.get_json()


def test_larger_sizes_add_only_the_difference(database_url: str, client: FlaskClient) -> None:
    first = seed_demo(database_url, "--stores", "2", "--items", "5", "--password", "demo secret 1")
    assert added(first)[:3] == (2, 10, 12)
    grown = seed_demo(database_url, "--stores", "3", "--items", "8")
    assert added(grown)[:3] == (1, 3 + 3 + 8, 6)
    assert added(grown)[4:] == (0, 0)
    assert counts(client)["items"] == 24
    log_in(client, DEMO_EMAIL, "demo secret 1")
    assert (
        client.post("/login", json={"email": DEMO_EMAIL, "password": "x" * 12}).status_code == 401
    )


def test_a_store_of_another_user_is_left_alone(database_url: str, client: FlaskClient) -> None:
    owner = make_account(client, "shopkeeper@example.com")
    theirs = create_store(client, owner, STORE_NAMES[0].upper())
    result = seed_demo(database_url, "--stores", "2", "--items", "4")
    assert added(result)[:2] == (1, 4)
    assert f"Skipped the store {STORE_NAMES[0]!r}: another user owns it." in result.stdout
    store = client.get(f"/store/{theirs['id']}").get_json()
    assert store["owner_id"] == owner.id and store["items"] == [] and store["tags"] == []


def test_an_unmigrated_database_is_refused(tmp_path: Path) -> None:
    result = seed_demo(f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 1
    assert "run `storeapi db upgrade` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_sizes_must_not_be_negative(database_url: str) -> None:
    result = seed_demo(database_url, "--stores", "-1")
    assert result.returncode == 2
    assert "--stores" in result.stderr


def test_each_store_sells_what_its_name_promises(database_url: str, client: FlaskClient) -> None:
    added(seed_demo(database_url, "--stores", str(len(STORE_NAMES) + 1), "--items", "25"))
    stores = client.get("/store?limit=200").get_json()["stores"]
    assert [s["name"] for s in stores] == [*STORE_NAMES, f"{STORE_NAMES[0]} 2"]
    for store in stores:
        base = store["name"].removesuffix(" 2")
        items = client.get(f"/item?store_id={store['id']}&limit=200").get_json()["items"]
        assert sorted(i["name"] for i in items) == sorted(n for n, _ in CATALOGUE[base])
    hardware = {n for n, _ in CATALOGUE["Riverside Hardware"]}
    assert "Cordless Drill" in hardware and not any("Croissant" in n for n in hardware)
    assert "Almond Croissant" in {n for n, _ in CATALOGUE["Maple Street Bakery"]}


def test_demo_items_get_drawn_pictures_stored_once_per_product(
    database_url: str, client: FlaskClient, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    result = subprocess.run(
        [STOREAPI, "seed-demo", "--stores", "2", "--items", "10"],
        env={**server_env(database_url), "STORAGE_URL": f"file://{media}"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 item pictures" in result.stdout
    items = client.get("/item?limit=50").get_json()["items"]
    assert len(items) == 20 and all(i["image"] for i in items)
    by_product = {i["name"]: i["image"]["url"] for i in items}
    assert len(set(by_product.values())) == len(by_product)  # one picture per product
    products = {i["name"] for i in items}
    stored = sorted(p.name for p in media.glob("??/*.webp"))
    assert len(stored) == 3 * len(products)  # each product's picture once, in three sizes
    first = items[0]["image"]
    assert (first["width"], first["height"]) == (640, 480)
    again = seed_demo(database_url, "--stores", "2", "--items", "10")
    assert added(again) == (0, 0, 0, 0, 0, 0)
