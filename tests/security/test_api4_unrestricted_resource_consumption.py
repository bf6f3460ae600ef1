"""API4:2023 Unrestricted Resource Consumption.

Bounded: body size (MAX_BODY_BYTES, 413), nesting depth of JSON (400, never a crash), page
size (limit 1-200, default 50), query complexity (at most 10 tags, 80-character search text,
512-character cursor), requests per token (the general rate limit, 429), and time: a statement
that runs past DB_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL and the request answers 503,
and a client that stalls its body holds one thread of one worker, not the service.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from storeapi import db
from storeapi.app import create_app
from tests.conftest import assert_problem, create_store, test_settings
from tests.live import live_server
from tests.pgserver import fresh_database


@pytest.fixture
def small_app(database_url, client):  # type: ignore[no-untyped-def]
    app = create_app(test_settings(database_url, max_body_bytes=1024))
    yield app.test_client()
    app.extensions["engine"].dispose()


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_a_body_over_the_limit_is_413(small_app, user, form: bool) -> None:
    name = "x" * 2000
    if form:
        r = small_app.post("/store", data={"name": name}, headers=user.headers)
    else:
        r = small_app.post("/store", json={"name": name}, headers=user.headers)
    assert_problem(r, 413)


@pytest.mark.parametrize("raw", ["[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_deeply_nested_json_is_refused_not_crashed_on(client, user, raw: str) -> None:
    r = client.post("/store", data=raw, content_type="application/json", headers=user.headers)
    assert r.status_code in (400, 413, 422)
    assert_problem(r, r.status_code)


@pytest.mark.parametrize("limit", ["0", "201", "-1", "1e9", "99999999999999999999"])
def test_page_size_is_bounded(client, limit: str) -> None:
    assert_problem(client.get(f"/books?limit={limit}"), 422)


def test_pages_default_to_fifty_and_stop_at_two_hundred(client, user) -> None:
    for i in range(60):
        r = client.post("/books", json={"title": f"B{i}", "author": "A"}, headers=user.headers)
        assert r.status_code == 201
    page = client.get("/books").get_json()
    assert len(page["books"]) == 50 and "next" in page["_links"]
    assert len(client.get("/books?limit=200").get_json()["books"]) == 60


@pytest.mark.parametrize(
    "query",
    [
        "&".join(f"tag=t{i}" for i in range(11)),
        "q=" + "a" * 81,
        "cursor=" + "A" * 300 + "." + "B" * 300,
        "min_price=1e400",
        "sort=price;drop",
    ],
    ids=["11 tags", "long q", "long cursor", "huge number", "bad sort"],
)
def test_search_complexity_is_bounded(client, query: str) -> None:
    assert_problem(client.get(f"/item?{query}"), 422)


def test_the_general_rate_limit_caps_requests_per_token(database_url, client, user) -> None:
    app = create_app(
        test_settings(database_url, rate_limits_enabled=True, default_rate_limit="5/minute")
    )
    limited = app.test_client()
    statuses = [limited.get("/store", headers=user.headers).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    app.extensions["engine"].dispose()


def test_a_statement_past_the_timeout_is_cancelled_and_answered_503(database_url, client) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("statement timeouts are a PostgreSQL setting (SQLite runs in-process)")
    app = create_app(test_settings(database_url, db_statement_timeout_ms=300))

    @app.get("/stuck")  # stands in for a query that takes too long
    def stuck() -> dict:
        db.session().execute(text("SELECT pg_sleep(5)"))
        return {}

    started = time.monotonic()
    r = app.test_client().get("/stuck")
    assert time.monotonic() - started < 3
    assert_problem(r, 503)
    assert r.headers["Retry-After"]
    assert "pg_sleep" not in r.get_data(as_text=True)
    assert app.test_client().get("/readyz").status_code == 200  # the pool is fine afterwards
    app.extensions["engine"].dispose()


def test_a_stalled_body_holds_one_thread_not_the_service(tmp_path: Path) -> None:
    pg = os.environ.get("TEST_DATABASE_URL")
    with fresh_database(pg, tmp_path) as url, live_server(url, workers=1, THREADS=4) as base:
        port = int(base.rsplit(":", 1)[1])
        stalled = []
        for _ in range(2):  # headers say 100 bytes; 4 arrive, the rest never do
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(
                b"POST /register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                b'Content-Length: 100\r\n\r\n{"em'
            )
            stalled.append(s)
        try:
            with httpx.Client(base_url=base, timeout=5) as http:
                for _ in range(20):
                    assert http.get("/healthz").status_code == 200
                    assert http.get("/store").status_code == 200
        finally:
            for s in stalled:
                s.close()


def test_own_store_listing_is_not_amplified_by_many_objects(client, user) -> None:
    """A store embeds at most 50 items and 50 tags; the rest is reached through its links."""
    store = create_store(client, user)
    for i in range(55):
        client.post(
            "/item",
            json={"name": f"I{i}", "price": "1", "store_id": store["id"]},
            headers=user.headers,
        )
    body = client.get(f"/store/{store['id']}").get_json()
    assert len(body["items"]) == 50 and body["_links"]["items"]["href"]


def test_the_shipped_load_balancer_cuts_off_slow_clients_and_buffers_bodies() -> None:
    """In the compose deployment nginx takes the slow clients: a stalled body times out there
    and reaches an API thread only once complete (see SECURITY.md)."""
    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    for directive in ("client_header_timeout 10s;", "client_body_timeout 10s;"):
        assert directive in conf
    assert "proxy_request_buffering on;" in conf and "proxy_read_timeout 60s;" in conf
