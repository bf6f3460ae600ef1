"""/metrics in-process (telemetry/): what is counted, who may read it, what the database's
gauges say, and that with metrics off nothing of it exists.

Values here live in this test process (no METRICS_DIR), shared by every app the
tests make, so each test compares a scrape after with one before. test_metrics_live.py runs the
real server with its workers.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.samples import Sample
from sqlalchemy import create_engine, text

from storeapi.db.writer_queue import WriterQueue
from storeapi.telemetry.database import MeteredQueuePool, MeteredWriterQueue
from storeapi.telemetry.instruments import gauge_key
from storeapi.telemetry.requests import MeteredRequests
from storeapi.telemetry.store import process_store, read_totals
from tests.conftest import assert_problem, create_item, create_store, make_account, test_settings
from tests.telemetry.scraping import parse, value

TOKEN = "a-metrics-token-of-some-length"


def scrape(client: FlaskClient, **environ: str) -> list[Sample]:
    r = client.get("/metrics", environ_base=environ)
    assert r.status_code == 200, r.get_data(as_text=True)
    return parse(r.get_data(as_text=True))


@pytest.fixture
def metered(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app(metrics_enabled=True).test_client()


def telemetry_hooks(app: Flask) -> list[str]:
    hooks = [
        *app.before_request_funcs.get(None, []),
        *app.after_request_funcs.get(None, []),
        *app.teardown_request_funcs.get(None, []),
    ]
    return [
        h.__qualname__
        for h in hooks
        if h.__module__.startswith(("storeapi.telemetry", "opentelemetry"))
    ]


def test_with_metrics_off_nothing_is_there(client: FlaskClient) -> None:
    app = client.application
    assert_problem(client.get("/metrics"), 404)
    assert telemetry_hooks(app) == []
    assert not isinstance(app.extensions["engine"].pool, MeteredQueuePool)
    own = app.extensions.get("thread_connections")
    assert own is None or own.on_count_change is None


def test_with_metrics_on_the_clock_encloses_everything_else(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(metrics_enabled=True, trusted_proxies=1)
    assert isinstance(app.wsgi_app, MeteredRequests)  # outside the proxy fix and the admin mount
    assert app.after_request_funcs[None][0].__module__ == "storeapi.telemetry.requests"  # runs last
    assert isinstance(app.extensions["engine"].pool, MeteredQueuePool)


def test_the_route_is_outside_the_openapi_document(metered: FlaskClient) -> None:
    spec = metered.get("/openapi.json").get_json()
    assert "/metrics" not in spec["paths"]
    assert metered.get("/metrics").status_code == 200


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1"])
def test_loopback_callers_may_read_without_a_token(make_app, peer: str) -> None:  # type: ignore[no-untyped-def]
    client = make_app(metrics_enabled=True, metrics_token=TOKEN).test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": peer}).status_code == 200


def test_without_a_token_other_callers_are_refused(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(metrics_enabled=True).test_client()
    for peer in ("10.0.0.5", "198.51.100.7", "2001:db8::1", ""):
        r = client.get("/metrics", environ_base={"REMOTE_ADDR": peer})
        assert_problem(r, 403)
        assert b"storeapi_" not in r.data


def test_a_forged_forwarded_address_does_not_make_a_caller_local(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(metrics_enabled=True, metrics_token=TOKEN, trusted_proxies=1).test_client()
    # Straight to the server from elsewhere, claiming to be forwarded for a local client
    forged = {"REMOTE_ADDR": "198.51.100.7"}
    r = client.get("/metrics", environ_base=forged, headers={"X-Forwarded-For": "127.0.0.1"})
    assert_problem(r, 401)
    # Through a proxy on this machine, for a client elsewhere
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    elsewhere = {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}  # the proxy appended the client
    assert_problem(client.get("/metrics", environ_base=proxied, headers=elsewhere), 401)
    with_token = {**elsewhere, "Authorization": f"Bearer {TOKEN}"}
    assert client.get("/metrics", environ_base=proxied, headers=with_token).status_code == 200
    near_miss = {**elsewhere, "Authorization": f"Bearer {TOKEN[:-1]}"}
    assert_problem(client.get("/metrics", environ_base=proxied, headers=near_miss), 401)


def test_it_is_never_rate_limited_and_429s_are_counted_by_budget(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(
        metrics_enabled=True,
        rate_limits_enabled=True,
        default_rate_limit="2 per minute",
        login_rate_limit="1 per minute",
        rate_limit_prefix=f"metrics-{uuid.uuid4().hex}",
    )
    client = app.test_client()
    before = scrape(client)
    for _ in range(5):
        r = client.get("/metrics")
        assert r.status_code == 200 and "RateLimit-Remaining" not in r.headers
    assert [client.get("/item/1").status_code for _ in range(3)] == [404, 404, 429]
    wrong = {"email": "nobody@example.com", "password": "not the password"}
    assert [client.post("/login", json=wrong).status_code for _ in range(2)] == [401, 429]
    after = scrape(client)
    name = "storeapi_rate_limited_total"
    for budget in ("global", "login"):
        assert value(after, name, budget=budget) - value(before, name, budget=budget) == 1


def test_304s_and_idempotent_replays_are_counted(metered: FlaskClient) -> None:
    owner = make_account(metered, "metrics@example.com")
    store = create_store(metered, owner)
    item = create_item(metered, owner, store["id"])
    before = scrape(metered)
    etag = metered.get(f"/item/{item['id']}").headers["ETag"]
    assert metered.get(f"/item/{item['id']}", headers={"If-None-Match": etag}).status_code == 304
    body = {"name": "Lamp", "price": 3, "store_id": store["id"]}
    retry = {**owner.headers, "Idempotency-Key": "metrics-test"}
    assert metered.post("/item", json=body, headers=retry).status_code == 201
    again = metered.post("/item", json=body, headers=retry)
    assert again.headers["Idempotent-Replayed"] == "true"
    after = scrape(metered)

    def added(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert added("storeapi_http_not_modified_total", route="/item/{item_id}") == 1
    assert added("storeapi_idempotent_replays_total", route="/item") == 1
    posts = {"route": "/item", "method": "POST", "status": "2xx"}
    assert added("storeapi_http_requests_total", **posts) == 2
    gets = {"route": "/item/{item_id}", "method": "GET"}
    assert added("storeapi_http_requests_total", status="2xx", **gets) == 1
    assert added("storeapi_http_requests_total", status="3xx", **gets) == 1


def test_the_database_gauges_return_to_rest(metered: FlaskClient) -> None:
    owner = make_account(metered, "gauges@example.com")
    store = create_store(metered, owner)
    for n in range(3):
        create_item(metered, owner, store["id"], name=f"Thing {n}")
        metered.get(f"/store/{store['id']}")
    samples = scrape(metered)
    assert value(samples, "storeapi_db_pool_capacity") >= 15  # this app's, and other tests' apps
    assert value(samples, "storeapi_db_pool_connections_in_use") == 0
    assert value(samples, "storeapi_db_pool_waiting") == 0
    assert value(samples, "storeapi_sqlite_writers_waiting") == 0
    assert value(samples, "storeapi_db_thread_connections") >= 1  # this thread's own
    assert value(samples, "storeapi_http_requests_in_flight") == 1  # the scrape itself
    assert value(samples, "storeapi_database_up") == 1
    dialect = metered.application.extensions["engine"].dialect.name
    assert value(samples, "storeapi_build_info", database=dialect) == 1


def test_the_mail_outbox_is_read_at_scrape_time(metered: FlaskClient) -> None:
    before = scrape(metered)
    r = metered.post(
        "/register", json={"email": "new@example.com", "password": "a long pass phrase"}
    )
    assert r.status_code == 201
    after = scrape(metered)
    pending = "storeapi_mail_outbox_mails"
    assert value(after, pending, status="pending") - value(before, pending, status="pending") == 1
    assert value(after, pending, status="failed") == 0
    assert value(after, "storeapi_mail_oldest_pending_seconds") >= 0


def test_with_the_database_away_the_scrape_still_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from storeapi.app import create_app

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens there once this closes
    app = create_app(
        test_settings(f"postgresql://nobody@127.0.0.1:{port}/none", metrics_enabled=True)
    )
    try:
        samples = scrape(app.test_client())
    finally:
        app.extensions["engine"].dispose()
    assert value(samples, "storeapi_database_up") == 0
    assert value(samples, "storeapi_build_info") == 1


# The pool's and the writers' queue's waiters, with a real pool and a real queue


def current(gauge: str) -> float:
    return read_totals(process_store()).get(gauge_key(gauge), [0.0])[0]


def waiters_while(hold: Callable[[], object], wait: Callable[[], object], gauge: str) -> float:
    """The gauge while a second thread waits behind `hold`, which is released after."""
    release = hold()
    waiter = threading.Thread(target=wait)
    waiter.start()
    deadline = time.monotonic() + 10
    while current(gauge) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    seen = current(gauge)
    release()
    waiter.join(10)
    return seen


def test_threads_waiting_for_the_pool_are_counted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(
        f"sqlite:///{tmp_path}/pool.db", poolclass=MeteredQueuePool, pool_size=1, max_overflow=0
    )
    waiting = "storeapi_db_pool_waiting"
    base = current(waiting)
    try:

        def hold() -> Callable[[], None]:
            conn = engine.connect()
            return conn.close

        def wait() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        assert waiters_while(hold, wait, waiting) == base + 1
        assert current(waiting) == base
    finally:
        engine.dispose()


def test_sqlite_writers_waiting_their_turn_are_counted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    writers = MeteredWriterQueue(str(tmp_path / "app.db"))
    assert isinstance(writers, WriterQueue)
    waiting = "storeapi_sqlite_writers_waiting"
    base = current(waiting)

    def hold() -> Callable[[], None]:
        assert writers.enter()
        return writers.leave

    def wait() -> None:
        if writers.enter():
            writers.leave()

    assert waiters_while(hold, wait, waiting) == base + 1
    assert current(waiting) == base


def test_the_admin_panels_pages_are_counted_by_their_templates(metered: FlaskClient) -> None:
    before = scrape(metered)
    assert metered.get("/admin/items/edit/?id=12345").status_code in (200, 302)
    after = scrape(metered)
    routes = {s.labels["route"] for s in after if s.name == "storeapi_http_requests_total"}
    panel = {r for r in routes if r.startswith("/admin")}
    assert panel and not any("12345" in r for r in routes)
    name = "storeapi_http_requests_total"
    added = sum(value(after, name, route=r) - value(before, name, route=r) for r in panel)
    assert added == 1


def test_openmetrics_is_answered_when_prometheus_asks_for_it(metered: FlaskClient) -> None:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families

    metered.get("/item/1")
    accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
    r = metered.get("/metrics", headers={"Accept": accept})
    assert r.headers["Content-Type"].startswith("application/openmetrics-text")
    names = {f.name for f in text_string_to_metric_families(r.get_data(as_text=True))}
    assert {"storeapi_http_requests", "storeapi_http_request_duration_seconds"} <= names
    assert "storeapi_build" in names  # an info metric in OpenMetrics


def test_a_request_that_failed_is_counted_and_leaves_flight(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(metrics_enabled=True)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_url_rule("/boom", view_func=boom)
    client = app.test_client()
    before = scrape(client)
    assert_problem(client.get("/boom"), 500)
    after = scrape(client)
    assert value(after, "storeapi_http_requests_in_flight") == 1  # the scrape alone
    failed = {"route": "/boom", "method": "GET", "status": "5xx"}
    name = "storeapi_http_requests_total"
    assert value(after, name, **failed) - value(before, name, **failed) == 1


def test_the_middleware_takes_a_request_out_of_flight_whatever_happens() -> None:
    store = process_store()
    in_flight = store.slot(gauge_key("storeapi_http_requests_in_flight"))

    def failing(environ: dict, start_response: object) -> list[bytes]:
        assert current("storeapi_http_requests_in_flight") == before + 1
        raise OSError("the server's side went away")

    before = current("storeapi_http_requests_in_flight")
    with pytest.raises(OSError):
        MeteredRequests(failing, store, in_flight)({}, lambda *_: None)
    assert current("storeapi_http_requests_in_flight") == before


def test_with_both_off_a_worker_loads_neither_library() -> None:
    """In a fresh interpreter, as a server's worker makes its app."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from storeapi.app import create_app\n"
        "from storeapi.settings import Settings\n"
        "create_app(Settings(database_url='sqlite://').validated())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('prometheus', 'opentelemetry'))))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "METRICS_"))}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
