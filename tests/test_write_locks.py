"""Concurrent writes without If-Match queue on the row: last writer wins, nobody gets a 412."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import create_item, create_store, reset_database
from tests.live import live_server

WRITERS = 20


def test_simultaneous_unconditional_puts_all_succeed(app, client, user, database_url):
    item = create_item(client, user, create_store(client, user)["id"])
    book = client.post("/books", json={"title": "T", "author": "A"}, headers=user.headers)
    urls = [f"/item/{item['id']}", book.headers["Location"]]
    try:
        with (
            live_server(database_url, workers=2, THREADS=8) as base,
            httpx.Client(base_url=base, headers=user.headers, timeout=30) as http,
        ):

            def put(n: int) -> int:
                body = {"title": f"Title {n}"} if n % 2 else {"price": f"{n}.00"}
                return http.put(urls[n % 2], json=body).status_code

            with ThreadPoolExecutor(WRITERS) as pool:
                statuses = list(pool.map(put, range(WRITERS * 2)))
            versions = [http.get(u).headers["ETag"] for u in urls]
    finally:
        reset_database(app)
    assert statuses == [200] * (WRITERS * 2)
    assert versions[0].endswith(f'v{WRITERS + 1}"')  # every PUT counted once
