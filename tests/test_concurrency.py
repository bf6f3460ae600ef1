"""Races against real server processes on PostgreSQL: 50 clients at once, then the tables.

Two `storeapi serve` instances (two worker processes each) share one fresh database, as replicas
behind a load balancer would; every client goes through its own connection and a barrier lines
them up so that their requests really overlap.
"""

from __future__ import annotations

import os
import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from storeapi.db import normalize_url
from tests.conftest import PASSWORD
from tests.live import live_server
from tests.pgserver import fresh_database

CLIENTS = 50
# The CI size, and a bigger crowd behind --run-slow.
CROWDS = [pytest.param(CLIENTS, id="50"), pytest.param(200, id="200", marks=pytest.mark.slow)]
PG_URL = os.environ.get("TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="needs TEST_DATABASE_URL: races are run on PostgreSQL, the production database",
)


@dataclass
class Service:
    bases: list[str]
    database_url: str

    def client(self, i: int = 0) -> httpx.Client:
        return httpx.Client(base_url=self.bases[i % len(self.bases)], timeout=30)

    def account(self, email: str | None = None) -> dict[str, str]:
        email = email or f"{uuid.uuid4().hex[:10]}@example.com"
        with self.client() as http:
            r = http.post("/register", json={"email": email, "password": PASSWORD})
            assert r.status_code == 201, r.text
            r = http.post("/login", json={"email": email, "password": PASSWORD})
            assert r.status_code == 200, r.text
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def rows(self, sql: str) -> list[Any]:
        engine = create_engine(normalize_url(self.database_url))
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql)))
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with (
        fresh_database(PG_URL, tmp_path_factory.mktemp("race")) as url,
        live_server(url, workers=2) as a,
        live_server(url, workers=2) as b,
    ):
        yield Service([a, b], url)


def at_once(count: int, service: Service, request: Callable[[httpx.Client, int], Any]) -> list[Any]:
    """Run `request(client, i)` from `count` threads released together by a barrier."""
    barrier = threading.Barrier(count)
    clients = [service.client(i) for i in range(count)]

    def run(i: int) -> Any:
        barrier.wait(timeout=60)
        return request(clients[i], i)

    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            return list(pool.map(run, range(count)))
    finally:
        for c in clients:
            c.close()


def assert_problems(responses: list[httpx.Response]) -> None:
    for r in responses:
        assert r.status_code < 500, (r.status_code, r.text)
        if r.status_code >= 400:
            assert r.headers["content-type"].startswith("application/problem+json"), r.text


@pytest.mark.parametrize("clients", CROWDS)
def test_conditional_updates_have_exactly_one_winner_per_version(
    service: Service, clients: int
) -> None:
    auth = service.account()
    with service.client() as http:
        store = http.post("/store", json={"name": f"Race {uuid.uuid4().hex[:6]}"}, headers=auth)
        item = http.post(
            "/item",
            json={"name": "Lamp", "price": "10.00", "store_id": store.json()["id"]},
            headers=auth,
        ).json()
    url = f"/item/{item['id']}"
    for round_no in range(3):
        with service.client() as http:
            etag = http.get(url).headers["ETag"]
        names = [f"Lamp r{round_no} c{i}" for i in range(clients)]

        def put(
            client: httpx.Client, i: int, etag: str = etag, names: list[str] = names
        ) -> httpx.Response:
            return client.put(url, json={"name": names[i]}, headers={**auth, "If-Match": etag})

        responses = at_once(clients, service, put)
        assert_problems(responses)
        statuses = Counter(r.status_code for r in responses)
        assert statuses == {200: 1, 412: clients - 1}, statuses
        winner = next(r for r in responses if r.status_code == 200).json()["name"]
        with service.client() as http:
            final = http.get(url)
        assert final.json()["name"] == winner and winner in names
        assert final.headers["ETag"] != etag


@pytest.mark.parametrize("clients", CROWDS)
def test_only_one_of_many_creates_of_a_store_name_succeeds(service: Service, clients: int) -> None:
    accounts = [service.account() for _ in range(5)]
    name = f"Corner Shop {uuid.uuid4().hex[:6]}"
    spellings = [name, name.upper(), name.lower()]  # unique in any case

    def create(client: httpx.Client, i: int) -> httpx.Response:
        return client.post("/store", json={"name": spellings[i % 3]}, headers=accounts[i % 5])

    responses = at_once(clients, service, create)
    assert_problems(responses)
    assert Counter(r.status_code for r in responses) == {201: 1, 409: clients - 1}
    rows = service.rows(f"SELECT count(*) FROM stores WHERE lower(name) = lower('{name}')")
    assert rows[0][0] == 1


def test_fifty_identical_posts_with_one_idempotency_key_make_one_object(service: Service) -> None:
    auth = service.account()
    key = uuid.uuid4().hex
    name = f"Once {key[:6]}"

    def create(client: httpx.Client, i: int) -> httpx.Response:
        return client.post("/store", json={"name": name}, headers={**auth, "Idempotency-Key": key})

    responses = at_once(CLIENTS, service, create)
    assert_problems(responses)
    assert {r.status_code for r in responses} == {201}, Counter(r.status_code for r in responses)
    assert len({r.json()["id"] for r in responses}) == 1
    assert len({r.headers["Location"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == CLIENTS - 1
    assert service.rows(f"SELECT count(*) FROM stores WHERE name = '{name}'")[0][0] == 1


def test_concurrent_linking_unlinking_and_deleting_leaves_no_dangling_rows(
    service: Service,
) -> None:
    auth = service.account()
    with service.client() as http:
        store_id = http.post(
            "/store", json={"name": f"Tags {uuid.uuid4().hex[:6]}"}, headers=auth
        ).json()["id"]
        items = [
            http.post(
                "/item", json={"name": f"I{i}", "price": "1.00", "store_id": store_id}, headers=auth
            ).json()["id"]
            for i in range(8)
        ]
        tags = [
            http.post(f"/store/{store_id}/tag", json={"name": f"t{i}"}, headers=auth).json()["id"]
            for i in range(6)
        ]
    rng = random.Random(1234)
    plans = [
        [(rng.choice("LLLUUDT"), rng.choice(items), rng.choice(tags)) for _ in range(12)]
        for _ in range(CLIENTS)
    ]
    allowed = {200, 201, 204, 404, 409, 412}

    def work(client: httpx.Client, i: int) -> list[httpx.Response]:
        out = []
        for action, item_id, tag_id in plans[i]:
            if action == "L":
                r = client.post(f"/item/{item_id}/tag/{tag_id}", headers=auth)
            elif action == "U":
                r = client.delete(f"/item/{item_id}/tag/{tag_id}", headers=auth)
            elif action == "D":
                r = client.delete(f"/item/{item_id}", headers=auth)
            else:
                r = client.delete(f"/tag/{tag_id}", headers=auth)
            assert r.status_code in allowed, (action, r.status_code, r.text)
            out.append(r)
        return out

    responses = [r for batch in at_once(CLIENTS, service, work) for r in batch]
    assert_problems(responses)
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] and statuses[204], statuses  # links and deletes did happen

    dangling = service.rows(
        "SELECT count(*) FROM item_tags it LEFT JOIN items i ON i.id = it.item_id "
        "LEFT JOIN tags t ON t.id = it.tag_id WHERE i.id IS NULL OR t.id IS NULL"
    )
    assert dangling[0][0] == 0
    cross_store = service.rows(
        "SELECT count(*) FROM item_tags it JOIN items i ON i.id = it.item_id "
        "JOIN tags t ON t.id = it.tag_id WHERE i.store_id <> t.store_id"
    )
    assert cross_store[0][0] == 0
    # What the API says is what the tables hold: every remaining item lists exactly its links.
    with service.client() as http:
        for item_id in items:
            r = http.get(f"/item/{item_id}")
            if r.status_code == 404:
                continue
            linked = {t["id"] for t in r.json()["tags"]}
            stored = {
                row[0]
                for row in service.rows(f"SELECT tag_id FROM item_tags WHERE item_id = {item_id}")
            }
            assert linked == stored
        for tag_id in tags:
            r = http.get(f"/tag/{tag_id}")
            if r.status_code == 200:
                assert {i["id"] for i in r.json()["items"]} == {
                    row[0]
                    for row in service.rows(
                        f"SELECT item_id FROM item_tags WHERE tag_id = {tag_id}"
                    )
                }
