"""The compose nginx (deploy/nginx.conf) as a shared cache in front of two live instances.

Debian's nginx runs the shipped server block (tests/nginx.py). Every request carries an
X-Request-ID, which the instances log with their answer's status: so the test knows what the
origin itself said (a 304 to nginx's revalidation), not only what nginx served.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import PASSWORD, reset_database
from tests.live import LiveServer, live_server
from tests.nginx import nginx_binary, running_nginx

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx is missing (make nginx)")


@dataclass
class Front:
    url: str
    origins: list[LiveServer]

    def origin_statuses(self, request_id: str) -> list[int]:
        """What the instances answered to requests nginx sent them for `request_id`."""
        found = []
        for origin in self.origins:
            for line in origin.log().splitlines():
                if request_id in line and line.startswith("{"):
                    entry = json.loads(line)
                    if entry.get("request_id") == request_id:
                        found.append(entry["status"])
        return found


@pytest.fixture(scope="module")
def front(app, database_url) -> Iterator[Front]:  # type: ignore[no-untyped-def]
    with (
        live_server(database_url, LOG_REQUESTS="true", TRUSTED_PROXIES="1") as a,
        live_server(database_url, LOG_REQUESTS="true", TRUSTED_PROXIES="1") as b,
        running_nginx([a.removeprefix("http://"), b.removeprefix("http://")]) as url,
    ):
        yield Front(url, [a, b])
    reset_database(app)


@dataclass
class Shop:
    auth: dict[str, str]
    item_url: str


@pytest.fixture(scope="module")
def shop(front: Front) -> Shop:
    """A user, a store and an item, made through nginx."""
    with httpx.Client(base_url=front.url, timeout=10) as http:
        email = f"{uuid.uuid4().hex[:8]}@example.com"
        assert (
            http.post("/register", json={"email": email, "password": PASSWORD}).status_code == 201
        )
        login = http.post("/login", json={"email": email, "password": PASSWORD})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        store = http.post("/store", json={"name": f"Cache {email}"}, headers=auth).json()
        item = http.post(
            "/item",
            json={"name": "Kettle", "price": "24.50", "store_id": store["id"]},
            headers=auth,
        )
        assert item.status_code == 201, item.text
        return Shop(auth, item.headers["Location"])


def get(front: Front, path: str, **headers: str) -> tuple[httpx.Response, list[int]]:
    """GET through nginx; its answer, and what the origin answered nginx for it (if asked)."""
    rid = uuid.uuid4().hex
    r = httpx.get(front.url + path, headers={"X-Request-ID": rid, **headers}, timeout=10)
    return r, wait_for_origin(front, rid, r)


def wait_for_origin(front: Front, rid: str, r: httpx.Response) -> list[int]:
    if r.headers.get("X-Cache-Status") in ("HIT", "STALE", "UPDATING"):
        return []  # nginx did not ask the origin
    deadline = time.monotonic() + 5
    while not (found := front.origin_statuses(rid)) and time.monotonic() < deadline:
        time.sleep(0.05)  # the instance logs after it answered
    return found


def test_a_repeated_public_read_is_served_from_cache_revalidated_with_a_304(front, shop):
    path = shop.item_url + "?first"  # a URL of this test's own: its first read is a miss
    first, origin = get(front, path)
    assert first.status_code == 200 and first.headers["X-Cache-Status"] == "MISS"
    assert origin == [200]
    for _ in range(3):
        again, origin = get(front, path)
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["X-Cache-Status"] == "REVALIDATED"
        assert origin == [304]  # the origin sent no body: nginx served its stored copy
        assert again.headers["ETag"] == first.headers["ETag"]
        assert "X-Accel-Expires" not in again.headers  # nginx keeps it to itself
    # A client revalidating its own copy gets a 304 from nginx.
    mine, _ = get(front, path, **{"If-None-Match": first.headers["ETag"]})
    assert mine.status_code == 304


def test_an_authorised_read_is_never_served_from_nor_stored_in_the_cache(front, shop):
    path = shop.item_url + "?authorised"
    for _ in range(2):
        r, origin = get(front, path, **shop.auth)
        assert r.status_code == 200 and r.headers["X-Cache-Status"] == "BYPASS"
        assert origin == [200]
    # Nothing was stored by those reads: an anonymous one is a miss.
    r, origin = get(front, path)
    assert r.headers["X-Cache-Status"] == "MISS" and origin == [200]


def test_private_answers_are_never_stored(front):
    for _ in range(2):
        r, origin = get(front, "/healthz")
        assert r.headers["Cache-Control"] == "no-store"
        assert r.headers["X-Cache-Status"] == "MISS" and origin == [200]


def test_a_write_is_seen_by_the_next_read(front, shop):
    path = shop.item_url
    before, _ = get(front, path)
    assert get(front, path)[0].headers["X-Cache-Status"] in ("REVALIDATED", "MISS")
    stale = {"If-Match": '"not-the-etag"', **shop.auth}
    refused = httpx.put(front.url + path, json={"price": "1.00"}, headers=stale)
    assert refused.status_code == 412  # If-Match reaches the API through the cache's location
    match = {"If-Match": before.headers["ETag"], **shop.auth}
    changed = httpx.put(front.url + path, json={"price": "19.99"}, headers=match)
    assert changed.status_code == 200
    after, origin = get(front, path)
    assert after.json()["price"] == 19.99 and after.headers["ETag"] == changed.headers["ETag"]
    assert after.headers["X-Cache-Status"] == "EXPIRED" and origin == [200]
    again, origin = get(front, path)
    assert again.json()["price"] == 19.99 and again.headers["X-Cache-Status"] == "REVALIDATED"


def test_json_and_json_ld_are_cached_apart(front, shop):
    path = shop.item_url + "?negotiated"
    ld = {"Accept": "application/ld+json"}
    first_ld, _ = get(front, path, **ld)
    first_json, origin = get(front, path, Accept="application/json")
    assert first_json.headers["X-Cache-Status"] == "MISS" and origin == [200]
    for _ in range(2):
        r, _ = get(front, path, **ld)
        assert r.headers["Content-Type"].startswith("application/ld+json")
        assert r.headers["X-Cache-Status"] == "REVALIDATED" and r.content == first_ld.content
        assert "@context" in r.json()
        r, _ = get(front, path, Accept="application/json")
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.headers["X-Cache-Status"] == "REVALIDATED" and r.content == first_json.content
        assert "@context" not in r.json()
    assert first_ld.headers["ETag"] != first_json.headers["ETag"]


def test_the_last_copy_stands_in_while_the_api_is_down(database_url, shop):
    """stale-if-error: with every origin gone, a stored public read is still answered."""
    with (
        live_server(database_url) as origin,
        running_nginx([origin.removeprefix("http://")]) as url,
    ):
        first = httpx.get(url + shop.item_url, timeout=10)
        assert first.headers["X-Cache-Status"] == "MISS"
        origin.process.terminate()
        origin.process.wait(15)
        stale = httpx.get(url + shop.item_url, timeout=10)
        assert stale.status_code == 200 and stale.headers["X-Cache-Status"] == "STALE"
        assert stale.content == first.content
        never_stored = httpx.get(url + shop.item_url + "?other", timeout=10)
        assert never_stored.status_code == 502
