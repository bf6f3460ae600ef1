"""POST and PUT /item check the caller inside the write itself (resources/item_writes.py): what
they answer, that a refusal stores nothing, and, on PostgreSQL, the round trips they make,
counted on the wire (libpq's trace of every connection the app opens)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import event, text

from storeapi import db
from storeapi.auth.guards import Caller
from storeapi.http.problems import Problem
from storeapi.models import Item
from storeapi.resources.item_writes import change_item, create_owned_item
from tests.conftest import assert_problem, count_rows, create_tag


def post_item(client, account, store_id: int, name: str = "Lamp"):  # type: ignore[no-untyped-def]
    body = {"name": name, "price": "3.50", "store_id": store_id}
    return client.post("/item", json=body, headers=account.headers)


def test_post_into_your_own_store_is_201_with_the_stores_name(client, user, store):
    r = post_item(client, user, store["id"])
    assert r.status_code == 201
    item = r.get_json()
    assert item["store"] == {"id": store["id"], "name": store["name"]}
    assert (item["tags"], r.headers["Location"]) == ([], f"/item/{item['id']}")
    assert r.headers["ETag"] == f'"i{item["id"]}v1"'
    assert client.get(f"/item/{item['id']}").get_json() == item


def test_post_into_another_owners_store_is_403_and_stores_nothing(client, user, other_user, store):
    assert_problem(post_item(client, other_user, store["id"]), 403)
    assert count_rows(client, Item.__table__) == 0


def test_post_into_a_missing_store_is_422_on_store_id_and_stores_nothing(client, user, store):
    problem = assert_problem(post_item(client, user, store["id"] + 1000), 422)
    assert [e["field"] for e in problem["errors"]] == ["store_id"]
    assert count_rows(client, Item.__table__) == 0


def test_an_administrator_posts_into_any_store_but_not_a_missing_one(client, user, admin, store):
    r = post_item(client, admin, store["id"])
    assert r.status_code == 201 and r.get_json()["store_id"] == store["id"]
    assert_problem(post_item(client, admin, store["id"] + 1000), 422)
    assert count_rows(client, Item.__table__) == 1


def test_put_tells_404_from_403_from_412_and_changes_nothing(client, user, other_user, item):
    url = f"/item/{item['id']}"
    assert_problem(client.put(url + "0", json={"price": "1.00"}, headers=user.headers), 404)
    assert_problem(client.put(url, json={"price": "1.00"}, headers=other_user.headers), 403)
    stale = {**user.headers, "If-Match": '"i0v1", "W/x"'}  # names no version of this item
    assert_problem(client.put(url, json={"price": "1.00"}, headers=stale), 412)
    stale = {**user.headers, "If-Match": f'"i{item["id"]}v7"'}
    assert_problem(client.put(url, json={"price": "1.00"}, headers=stale), 412)
    # Another's If-Match is checked after ownership, as before: 403, not 412.
    stale = {**other_user.headers, "If-Match": f'"i{item["id"]}v7"'}
    assert_problem(client.put(url, json={"price": "1.00"}, headers=stale), 403)
    assert client.get(url).headers["ETag"] == f'"i{item["id"]}v1"'


@pytest.mark.parametrize("suffix", ["", "ld", "xml"])
def test_put_with_if_match_of_any_representation_changes_the_item(client, user, item, suffix):
    url = f"/item/{item['id']}"
    headers = {**user.headers, "If-Match": f'"i{item["id"]}v1{suffix}"'}
    r = client.put(url, json={"name": "Stool"}, headers=headers)
    assert r.status_code == 200
    assert (r.get_json()["name"], r.get_json()["price"]) == ("Stool", item["price"])
    assert r.headers["ETag"] == f'"i{item["id"]}v2"'
    star = {**user.headers, "If-Match": "*"}
    assert client.put(url, json={"price": "2.00"}, headers=star).status_code == 200
    several = {**user.headers, "If-Match": f'"i{item["id"]}v1", "i{item["id"]}v3"'}
    assert client.put(url, json={"price": "3.00"}, headers=several).status_code == 200
    assert client.get(url).get_json()["price"] == 3.0


def test_an_administrator_changes_any_item_with_its_tags_in_the_answer(
    client, user, admin, store, item
):
    tag = create_tag(client, user, store["id"])
    assert client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers).status_code in (
        200,
        201,
    )
    r = client.put(f"/item/{item['id']}", json={"price": "9.00"}, headers=admin.headers)
    assert r.status_code == 200
    assert [t["id"] for t in r.get_json()["tags"]] == [tag["id"]]
    assert r.get_json() == client.get(f"/item/{item['id']}").get_json()
    assert r.headers["ETag"] == client.get(f"/item/{item['id']}").headers["ETag"]


# -- PostgreSQL: round trips ---------------------------------------------------------------


class Wire:
    """libpq's trace of every connection the app opens from now on, one file each.

    libpq buffers the trace: it is flushed by stopping and restarting it."""

    def __init__(self, app: Flask, folder: Path) -> None:
        from psycopg import pq

        self.flags = pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE
        self.folder, self.traced = folder, []
        engine = app.extensions["engine"]
        event.listen(engine, "connect", self._trace)
        engine.dispose()  # the connections opened so far (thread's own too) are not traced

    def _trace(self, dbapi_conn: Any, _record: Any) -> None:
        out = open(self.folder / f"conn{len(self.traced)}.trace", "w+")  # noqa: SIM115
        self.traced.append((dbapi_conn, out))
        self._start(dbapi_conn, out)

    def _start(self, dbapi_conn: Any, out: Any) -> None:
        dbapi_conn.pgconn.trace(out.fileno())
        dbapi_conn.pgconn.set_trace_flags(self.flags)

    def _flush(self) -> list[int]:
        for dbapi_conn, out in self.traced:
            if not dbapi_conn.closed:
                dbapi_conn.pgconn.untrace()
                self._start(dbapi_conn, out)
        return [out.seek(0, 2) for _, out in self.traced]

    @contextmanager
    def messages(self) -> Iterator[list[list[str]]]:
        """Each connection's messages (direction, type, text) while the block runs."""
        start = self._flush()
        found: list[list[str]] = []
        yield found
        self._flush()
        for n, (_, out) in enumerate(self.traced):
            out.seek(start[n] if n < len(start) else 0)
            found.append([line for line in out.read().splitlines() if line[:1] in "FB"])


def round_trips(messages: list[list[str]]) -> int:
    """Times a connection sent something and then waited for the server's answer."""
    trips = 0
    for lines in messages:
        for before, after in itertools.pairwise(lines):
            trips += before.startswith("F") and after.startswith("B")
    return trips


def sent_queries(messages: list[list[str]]) -> list[str]:
    """The simple-protocol queries sent (psycopg's BEGIN and COMMIT are)."""
    return [
        line.split("\t")[3].strip() for lines in messages for line in lines if "\tQuery\t" in line
    ]


@pytest.fixture
def wire(app, database_url, tmp_path):  # type: ignore[no-untyped-def]
    if not database_url.startswith("postgresql"):
        pytest.skip("round trips are PostgreSQL's")
    return Wire(app, tmp_path)


@contextmanager
def as_caller(app: Flask, method: str, caller: Caller, **headers: str) -> Iterator[None]:
    """A request's context in which `caller`'s token was checked (without the check's read)."""
    with app.test_request_context("/item", method=method, headers=headers):
        g.caller = caller
        try:
            yield
        finally:
            app.do_teardown_appcontext()


def test_a_post_is_one_round_trip_and_a_refusal_two(app, client, user, other_user, store, wire):
    owner, stranger = Caller(user.id, False), Caller(other_user.id, False)
    for _ in range(7):  # past psycopg's prepare threshold: the statement as it runs for good
        with as_caller(app, "POST", owner):
            create_owned_item("Lamp", 3, store["id"])
            db.commit()
    with wire.messages() as sent, as_caller(app, "POST", owner):
        row = create_owned_item("Lamp", 3, store["id"])
        db.commit()
    assert row.store_name == store["name"]
    assert (round_trips(sent), sent_queries(sent)) == (1, [])  # no BEGIN, no COMMIT
    with wire.messages() as sent, as_caller(app, "POST", stranger), pytest.raises(Problem) as e:
        create_owned_item("Lamp", 3, store["id"])
    assert (e.value.status, round_trips(sent)) == (403, 2)
    assert count_rows(client, Item.__table__) == 8


def test_a_put_is_one_round_trip(app, client, user, store, item, wire):
    owner = Caller(user.id, False)
    for n in range(7):  # with the version guard (If-Match), then as the measured one, without
        with as_caller(app, "PUT", owner, **{"If-Match": f'"i{item["id"]}v{2 * n + 1}"'}):
            change_item(item["id"], {"price": n})
            db.commit()
        with as_caller(app, "PUT", owner):
            change_item(item["id"], {"price": n})
            db.commit()
    with wire.messages() as sent, as_caller(app, "PUT", owner):
        data, etag = change_item(item["id"], {"name": "Stool"})
        db.commit()
    assert (data["name"], etag) == ("Stool", f'"i{item["id"]}v16"')
    assert (round_trips(sent), sent_queries(sent)) == (1, [])


def test_whole_requests_send_no_begin_or_commit(app, client, user, store, item, wire):
    """The token's check may read (the revocation of its family); the write adds one trip."""
    body = {"name": "Lamp", "price": "3.50", "store_id": store["id"]}
    for _ in range(7):
        assert client.post("/item", json=body, headers=user.headers).status_code == 201
        change = client.put(f"/item/{item['id']}", json={"price": "2.00"}, headers=user.headers)
        assert change.status_code == 200
    for request in (
        lambda: client.post("/item", json=body, headers=user.headers),
        lambda: client.put(f"/item/{item['id']}", json={"price": "1.00"}, headers=user.headers),
    ):
        with wire.messages() as sent:
            assert request().status_code in (200, 201)  # type: ignore[no-untyped-call]
        assert sent_queries(sent) == [] and round_trips(sent) <= 2


def test_a_put_waiting_on_a_tag_link_answers_with_the_new_tag(app, client, user, store, item):
    """The change waits for the item's lock; its answer is read after it, not from before."""
    if app.extensions["engine"].dialect.name != "postgresql":
        pytest.skip("SQLite writers take turns before they read anything")
    tag = create_tag(client, user, store["id"])
    answers: list[Any] = []
    with app.extensions["engine"].connect() as other:
        other.execute(
            text("UPDATE items SET version = version + 1 WHERE id = :i"), {"i": item["id"]}
        )
        other.execute(
            text("INSERT INTO item_tags (item_id, tag_id) VALUES (:i, :t)"),
            {"i": item["id"], "t": tag["id"]},
        )
        put = threading.Thread(
            target=lambda: answers.append(
                client.put(f"/item/{item['id']}", json={"price": "2.00"}, headers=user.headers)
            )
        )
        put.start()
        time.sleep(0.5)
        assert not answers  # waiting for the lock
        other.commit()
    put.join(10)
    (r,) = answers
    assert r.status_code == 200 and r.headers["ETag"] == f'"i{item["id"]}v3"'
    assert [t["id"] for t in r.get_json()["tags"]] == [tag["id"]]


def test_put_with_a_stale_if_match_loses_to_the_write_it_waited_for(app, client, user, item):
    if app.extensions["engine"].dialect.name != "postgresql":
        pytest.skip("SQLite writers take turns before they read anything")
    answers: list[Any] = []
    stale = {**user.headers, "If-Match": f'"i{item["id"]}v1"'}
    with app.extensions["engine"].connect() as other:
        other.execute(
            text("UPDATE items SET version = version + 1 WHERE id = :i"), {"i": item["id"]}
        )
        put = threading.Thread(
            target=lambda: answers.append(
                client.put(f"/item/{item['id']}", json={"price": "2.00"}, headers=stale)
            )
        )
        put.start()
        time.sleep(0.5)
        other.commit()
    put.join(10)
    assert_problem(answers[0], 412)
