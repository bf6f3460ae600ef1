"""Two real server processes on one database and one Redis behave as one service."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import httpx
import pytest
from sqlalchemy import select

from storeapi.mail.link_tokens import RESET, issue
from storeapi.models import User
from tests.conftest import PASSWORD, once_seen, reset_database
from tests.live import live_server

REDIS_URL = os.environ.get("TEST_REDIS_URL")
GENERAL_LIMIT = 40


@pytest.fixture
def pair(app, database_url):  # type: ignore[no-untyped-def]
    """Two instances (A, B) sharing the database and Redis, like replicas behind a balancer."""
    if not REDIS_URL:
        pytest.skip("needs TEST_REDIS_URL: the instances share rate limits through Redis")
    env = {
        "REDIS_URL": REDIS_URL,
        "RATE_LIMITS_ENABLED": "true",
        "RATE_LIMIT_PREFIX": f"multi-{uuid.uuid4().hex[:12]}",
        "DEFAULT_RATE_LIMIT": f"{GENERAL_LIMIT} per minute",
        "LOGIN_RATE_LIMIT": "100 per minute",
        "REGISTER_RATE_LIMIT": "100 per minute",
    }
    with live_server(database_url, **env) as a, live_server(database_url, **env) as b:
        yield httpx.Client(base_url=a, timeout=10), httpx.Client(base_url=b, timeout=10)
    reset_database(app)


def _login(client: httpx.Client, email: str) -> dict[str, str]:
    r = client.post("/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_two_instances_behave_as_one(pair):
    a, b = pair
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    assert a.post("/register", json={"email": email, "password": PASSWORD}).status_code == 201
    auth = _login(b, email)  # registered on A, logs in on B

    # An idempotency key used on one instance replays on the other.
    key = {"Idempotency-Key": uuid.uuid4().hex, **auth}
    first = a.post("/store", json={"name": "Shared Shop"}, headers=key)
    again = b.post("/store", json={"name": "Shared Shop"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again.headers["Location"] == first.headers["Location"]
    stores = a.get("/store", headers=auth).json()["stores"]
    assert [s["name"] for s in stores] == ["Shared Shop"]

    # An object written through one is read through the other with the same ETag.
    store_id = first.json()["id"]
    item = b.post(
        "/item", json={"name": "Kettle", "price": "24.50", "store_id": store_id}, headers=auth
    )
    assert item.status_code == 201
    url = item.headers["Location"]
    read_a, read_b = a.get(url, headers=auth), b.get(url, headers=auth)
    assert read_a.headers["ETag"] == read_b.headers["ETag"] == item.headers["ETag"]
    assert read_a.content == read_b.content

    # A write on A is seen by B at once: no instance serves a stale object or 304.
    etag = read_b.headers["ETag"]
    changed = a.put(url, json={"price": "19.99"}, headers={**auth, "If-Match": etag})
    assert changed.status_code == 200
    revalidated = b.get(url, headers={**auth, "If-None-Match": etag})
    assert revalidated.status_code == 200 and revalidated.json()["price"] == 19.99
    stale = b.put(url, json={"price": "1.00"}, headers={**auth, "If-Match": etag})
    assert stale.status_code == 412

    # A token revoked through one is refused by the other, within the bound of the cache of
    # live logins (on PostgreSQL the other instance hears of it by NOTIFY).
    assert a.post("/logout", headers=auth).status_code == 204
    once_seen(lambda: b.get("/user/me", headers=auth), 401)
    refused = b.post("/store", json={"name": "After Logout"}, headers=auth)
    assert refused.status_code == 401 and "revoked" in refused.json()["type"]


def test_the_general_rate_limit_is_counted_across_both_instances(pair):
    a, b = pair
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    assert a.post("/register", json={"email": email, "password": PASSWORD}).status_code == 201
    auth = _login(a, email)
    statuses = [
        (a if n % 2 else b).get("/store", headers=auth).status_code
        for n in range(GENERAL_LIMIT + 2)
    ]
    assert statuses.count(200) == GENERAL_LIMIT
    assert statuses[GENERAL_LIMIT:] == [429, 429]
    limited = b.get("/item", headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_a_password_change_or_reset_on_one_instance_ends_logins_on_the_other(pair, app):
    a, b = pair
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    assert a.post("/register", json={"email": email, "password": PASSWORD}).status_code == 201
    mine, other = _login(a, email), _login(b, email)
    for auth in (mine, other):  # both verified, and so cached, by B
        assert b.get("/user/me", headers=auth).status_code == 200
    change = {"current_password": PASSWORD, "new_password": "changed on instance A"}
    assert a.put("/user/me/password", json=change, headers=mine).status_code == 204
    refused = b.get("/user/me", headers=other)
    assert refused.status_code == 401 and refused.json()["type"].endswith("/token-revoked")
    assert b.get("/user/me", headers=mine).status_code == 200  # the caller's own login stays

    # A reset, with a token as the worker issues it, ends every login, the caller's too.
    with app.extensions["engine"].begin() as conn:
        user = conn.execute(select(User).where(User.email == email)).one()
        token = issue(conn, app.extensions["keys"].mail_token, user, RESET, dt.timedelta(hours=1))
    body = {"token": token, "password": "reset on instance A"}
    assert a.post("/password-reset/confirm", json=body).status_code == 204
    refused = b.get("/user/me", headers=mine)
    assert refused.status_code == 401 and refused.json()["type"].endswith("/token-revoked")
