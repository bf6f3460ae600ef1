"""Idempotency-Key on POST (http/idempotency.py): a repeat replays the first response and creates
nothing, also when the repeats race each other against a real server; another body under the
same key is a 422; keys belong to one caller and expire after IDEMPOTENCY_HOURS."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select, update

from storeapi.app import create_app
from storeapi.models import IdempotencyKey, Item, Store
from tests.conftest import (
    PASSWORD,
    assert_problem,
    create_store,
    test_settings,
)
from tests.live import LiveServer, live_server

RACERS = 20


def key() -> str:
    return str(uuid.uuid4())


def with_key(account, idempotency_key: str) -> dict:  # type: ignore[no-untyped-def]
    return {**account.headers, "Idempotency-Key": idempotency_key}


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.extensions["engine"].connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def age_keys(app, hours: float) -> None:  # type: ignore[no-untyped-def]
    """Make every remembered key `hours` old (time passing, without waiting for it)."""
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=hours)
    with app.extensions["engine"].begin() as conn:
        conn.execute(update(IdempotencyKey).values(created_at=created))


def test_a_repeat_replays_the_first_response_and_creates_nothing(client, user):
    k = key()
    first = client.post("/store", json={"name": "Once"}, headers=with_key(user, k))
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    again = client.post("/store", json={"name": "Once"}, headers=with_key(user, k))
    assert again.status_code == 201
    assert again.data == first.data
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(client.application, Store) == 1


def test_without_a_key_a_repeat_is_a_new_request(client, user):
    create_store(client, user, "Twice")
    r = client.post("/store", json={"name": "Twice"}, headers=user.headers)
    assert_problem(r, 409)


def test_the_same_key_with_another_body_is_422_and_creates_nothing(client, user):
    k = key()
    assert client.post("/store", json={"name": "A"}, headers=with_key(user, k)).status_code == 201
    r = client.post("/store", json={"name": "B"}, headers=with_key(user, k))
    body = assert_problem(r, 422)
    assert body["type"].endswith("/idempotency-key-reused")
    assert body["errors"][0]["field"] == "Idempotency-Key"
    r = client.post("/store", data={"name": "A"}, headers=with_key(user, k))  # a form this time
    assert_problem(r, 422)
    assert [s["name"] for s in client.get("/store").get_json()["stores"]] == ["A"]


def test_the_same_key_on_another_path_is_another_request(client, user):
    k = key()
    store = client.post("/store", json={"name": "Path"}, headers=with_key(user, k)).get_json()
    r = client.post(f"/store/{store['id']}/tag", json={"name": "Path"}, headers=with_key(user, k))
    assert_problem(r, 422)


def test_keys_belong_to_one_caller(client, user, other_user):
    k = key()
    mine = client.post("/store", json={"name": "Mine"}, headers=with_key(user, k))
    theirs = client.post("/store", json={"name": "Theirs"}, headers=with_key(other_user, k))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.get_json()["owner_id"] == other_user.id
    assert count(client.application, Store) == 2


def test_anonymous_posts_are_idempotent_too(client):
    k = key()
    body = {"email": "anon@example.com", "password": PASSWORD}
    first = client.post("/register", json=body, headers={"Idempotency-Key": k})
    again = client.post("/register", json=body, headers={"Idempotency-Key": k})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.data == first.data and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_failed_request_is_not_remembered(client, user):
    create_store(client, user, "Taken")
    k = key()
    r = client.post("/store", json={"name": "Taken"}, headers=with_key(user, k))
    assert_problem(r, 409)
    r = client.post("/store", json={"name": 7}, headers=with_key(user, k))
    assert_problem(r, 422)
    r = client.post("/store", json={"name": "Free"}, headers=with_key(user, k))
    assert r.status_code == 201
    assert "Idempotent-Replayed" not in r.headers


@pytest.mark.parametrize("bad", ["", "k" * 256])
def test_a_key_must_be_1_to_255_characters(client, user, bad):
    r = client.post("/store", json={"name": "Keyed"}, headers=with_key(user, bad))
    body = assert_problem(r, 422)
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert count(client.application, Store) == 0
    r = client.post("/store", json={"name": "Keyed"}, headers=with_key(user, "k" * 255))
    assert r.status_code == 201


def test_keys_expire_after_the_configured_hours(client, user, database_url):
    store = create_store(client, user)
    item = {"name": "Lamp", "price": "9.50", "store_id": store["id"]}
    k = key()
    first = client.post("/item", json=item, headers=with_key(user, k))
    assert first.status_code == 201
    age_keys(client.application, 2)
    r = client.post("/item", json=item, headers=with_key(user, k))  # default: 24 hours
    assert r.headers.get("Idempotent-Replayed") == "true"
    short = create_app(test_settings(database_url, idempotency_hours=1)).test_client()
    r = short.post("/item", json=item, headers=with_key(user, k))
    assert r.status_code == 201
    assert "Idempotent-Replayed" not in r.headers
    assert r.get_json()["id"] != first.get_json()["id"]
    age_keys(client.application, 2)
    r = short.post("/item", json={**item, "name": "Other"}, headers=with_key(user, k))
    assert r.status_code == 201  # an expired key may carry another body
    assert count(client.application, Item) == 3
    assert count(client.application, IdempotencyKey) == 1
    short.application.extensions["engine"].dispose()


def test_expired_keys_of_every_caller_are_purged(client, user, other_user, database_url):
    client.post("/store", json={"name": "Old"}, headers=with_key(other_user, key()))
    age_keys(client.application, 25)
    fresh = create_app(test_settings(database_url))  # a new process purges on its first keyed POST
    r = fresh.test_client().post("/store", json={"name": "New"}, headers=with_key(user, key()))
    assert r.status_code == 201
    with fresh.extensions["engine"].connect() as conn:
        scopes = conn.execute(select(IdempotencyKey.scope)).scalars().all()
    assert scopes == [f"user:{user.id}"]
    fresh.extensions["engine"].dispose()


# --- racing repeats against a real server ---------------------------------------------------


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, workers=2, THREADS=RACERS) as base:
        yield base


def race(url: str, bodies: list[dict], headers: dict) -> list[httpx.Response]:
    """POST every body at once, one thread each, released together."""
    start = threading.Barrier(len(bodies))
    answers: list[httpx.Response | BaseException] = [RuntimeError("no answer")] * len(bodies)

    def post(i: int) -> None:
        with httpx.Client(timeout=60) as http:
            start.wait()
            try:
                answers[i] = http.post(url, json=bodies[i], headers=headers)
            except BaseException as exc:
                answers[i] = exc

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers  # type: ignore[return-value]


def assert_one_answer(answers: list[httpx.Response]) -> httpx.Response:
    first = answers[0]
    for r in answers:
        assert (r.status_code, r.content, r.headers.get("Location")) == (
            first.status_code,
            first.content,
            first.headers.get("Location"),
        )
    assert first.status_code == 201, first.text
    replayed = [r for r in answers if r.headers.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == len(answers) - 1
    return first


def test_racing_repeats_create_one_store_and_all_get_its_response(server, client, user):
    k = key()
    answers = race(f"{server}/store", [{"name": "Raced"}] * RACERS, with_key(user, k))
    first = assert_one_answer(answers)
    assert first.headers["Location"] == f"/store/{first.json()['id']}"
    assert count(client.application, Store) == 1
    assert count(client.application, IdempotencyKey) == 1
    r = httpx.post(f"{server}/store", json={"name": "Other"}, headers=with_key(user, k))
    assert r.status_code == 422
    assert r.headers["Content-Type"] == "application/problem+json"


def test_racing_repeats_create_one_item_without_any_other_unique_constraint(server, client, user):
    store = create_store(client, user)
    body = {"name": "Raced item", "price": "3.25", "store_id": store["id"]}
    answers = race(f"{server}/item", [body] * RACERS, with_key(user, key()))
    assert_one_answer(answers)
    assert count(client.application, Item) == 1


def test_racing_different_bodies_under_one_key_let_exactly_one_through(server, client, user):
    bodies = [{"name": f"Racer {i}"} for i in range(RACERS)]
    answers = race(f"{server}/store", bodies, with_key(user, key()))
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] + [422] * (RACERS - 1), statuses
    assert count(client.application, Store) == 1
    winner = next(r for r in answers if r.status_code == 201).json()["name"]
    assert [s["name"] for s in client.get("/store").get_json()["stores"]] == [winner]
