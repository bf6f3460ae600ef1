"""Fixtures: one migrated database per backend (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test, and logged-in users."""

from __future__ import annotations

import atexit
import datetime as dt
import importlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, create_engine, event, func, insert, select, text, update

from storeapi.app import create_app
from storeapi.db import normalize_url
from storeapi.keys import Keys
from storeapi.migrate import upgrade
from storeapi.models import Base, Framework, User
from storeapi.settings import Settings

SECRET = "test-secret-key-that-is-long-enough-0123456789"
JWT_KEY = Keys.derive(SECRET).jwt  # what the app signs tokens with (storeapi/keys.py)
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct horse battery"
# Pictures uploaded by tests go here, never into the working tree's ./media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="storeapi-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run the long variants too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long variant: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed test's report carries the logs of the live servers still running (tests/live.py):
    a server that drops a connection says why there, if anywhere."""
    outcome = yield
    report = outcome.get_result()
    live = sys.modules.get("tests.live")
    if report.when == "call" and report.failed and live is not None:
        for server in live.RUNNING:
            report.sections.append((f"live server {server} log (tail)", server.log_tail(80)))


def test_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "jwt_secret_key": SECRET,
        "rate_limits_enabled": False,
        "log_requests": False,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "storage_url": f"file://{MEDIA_ROOT}",
    }
    values.update(overrides)
    return Settings(**values).validated()  # type: ignore[arg-type]


test_settings.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A freshly migrated database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "test.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url
        return
    with migrated_schema(normalize_url(os.environ["TEST_DATABASE_URL"])) as url:
        yield url


@contextmanager
def migrated_schema(base: str, parameters: str = "") -> Iterator[str]:
    """`base`'s PostgreSQL database, in a migrated schema of its own (dropped afterwards): the
    URL as given (the app accepts it as people write it), its query with `parameters`
    (`name=value&…`) too."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base))
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}{parameters}options=-csearch_path%3D{schema},public"
    upgrade(url)
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(test_settings(database_url))
    app.config["TESTING"] = True
    app.extensions.setdefault("test_reseed", []).append(reseed_frameworks)
    yield app
    app.extensions["engine"].dispose()


SEEDED_TABLES = {"frameworks"}  # rows a migration puts in; restored, not emptied


def reseed_frameworks(conn: Connection) -> None:
    """Back to exactly the frameworks that migration 0002 puts in a new database (inserted
    through today's table, which fills in the columns later migrations added)."""
    seed = importlib.import_module("storeapi.migrations.versions.0002_seed_frameworks")
    conn.execute(Framework.__table__.delete())
    now = dt.datetime.now(dt.UTC)
    rows = [{**row, "version": 1, "created_at": now, "updated_at": now} for row in seed.FRAMEWORKS]
    conn.execute(insert(Framework), rows)


def reset_database(app: Flask) -> None:
    engine = app.extensions["engine"]
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in SEEDED_TABLES:
                conn.execute(table.delete())
        for hook in app.extensions.get("test_reseed", []):
            hook(conn)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    yield app.test_client()
    reset_database(app)


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Apps on the test database with some settings changed; emptied and closed after."""
    apps: list[Flask] = []

    def make(**overrides: object) -> Flask:
        app = create_app(test_settings(database_url, **overrides))
        apps.append(app)
        return app

    yield make
    if apps:
        reset_database(apps[0])
    for app in apps:
        app.extensions["engine"].dispose()


def count_rows(client: FlaskClient, table: Any, *where: Any) -> int:
    """Rows in a table, read straight from the database the app writes to."""
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


@dataclass
class Account:
    id: int
    email: str
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


# A change to a login or a user made by SQL by hand, or through another process, reaches
# PostgreSQL's cache of live logins by NOTIFY within this bound (auth/live_logins.py,
# tests/test_live_logins.py); the process that made it through the API sees it on its very next
# request, and SQLite reads the login on every request.
CHANGE_BY_HAND_BOUND = 0.1


def once_seen(call: Callable[[], Any], status: int) -> Any:
    """`call()`'s answer once it has `status`, or its last one when CHANGE_BY_HAND_BOUND has
    passed: for a request after a change made by SQL by hand."""
    deadline = time.monotonic() + CHANGE_BY_HAND_BOUND
    while (answer := call()).status_code != status and time.monotonic() < deadline:
        time.sleep(0.005)
    return answer


def make_account(client: FlaskClient, email: str, *, admin: bool = False) -> Account:
    r = client.post("/register", json={"email": email, "password": PASSWORD})
    assert r.status_code == 201, r.get_json()
    user_id = r.get_json()["id"]
    if admin:
        with client.application.extensions["engine"].begin() as conn:
            conn.execute(update(User).where(User.id == user_id).values(is_admin=True))
    r = client.post("/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.get_json()
    tokens = r.get_json()
    return Account(user_id, email, tokens["access_token"], tokens["refresh_token"])


@pytest.fixture
def user(client: FlaskClient) -> Account:
    return make_account(client, "owner@example.com")


@pytest.fixture
def other_user(client: FlaskClient) -> Account:
    return make_account(client, "other@example.com")


@pytest.fixture
def admin(client: FlaskClient) -> Account:
    return make_account(client, "admin@example.com", admin=True)


def non_fresh(client: FlaskClient, account: Account) -> Account:
    """The same user holding a refreshed (non-fresh) access token."""
    r = client.post("/refresh", headers={"Authorization": f"Bearer {account.refresh}"})
    assert r.status_code == 200, r.get_json()
    tokens = r.get_json()
    return Account(account.id, account.email, tokens["access_token"], tokens["refresh_token"])


def create_store(client: FlaskClient, account: Account, name: str = "Main Street") -> dict:
    r = client.post("/store", json={"name": name}, headers=account.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def create_item(
    client: FlaskClient,
    account: Account,
    store_id: int,
    name: str = "Chair",
    price: str | float = "15.99",
) -> dict:
    r = client.post(
        "/item", json={"name": name, "price": price, "store_id": store_id}, headers=account.headers
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def create_tag(client: FlaskClient, account: Account, store_id: int, name: str = "sale") -> dict:
    r = client.post(f"/store/{store_id}/tag", json={"name": name}, headers=account.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


@pytest.fixture
def store(client: FlaskClient, user: Account) -> dict:
    return create_store(client, user)


@pytest.fixture
def item(client: FlaskClient, user: Account, store: dict) -> dict:
    return create_item(client, user, store["id"])


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, (response.status_code, response.get_data(True))
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["type"].startswith("https://") and body["title"] and body["detail"]
    return body


@contextmanager
def statements(app) -> Iterator[list[tuple[str, object]]]:  # type: ignore[no-untyped-def]
    """Every SQL statement the app sends while the block runs, with its parameters."""
    engine = app.extensions["engine"]
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)
