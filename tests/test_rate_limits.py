"""Rate limits (http/limits.py): /login and /register per client address, one general limit per
token across routes, 429 problem+json with Retry-After and RateLimit-*, counters shared through
Redis by several instances, and an API that keeps serving when Redis is gone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from storeapi.app import create_app
from storeapi.auth.tokens import encode_token
from storeapi.serving import shared_rate_limit_file
from storeapi.settings import SettingsError
from tests.conftest import PASSWORD, assert_problem, test_settings
from tests.live import live_server

ROOT = Path(__file__).resolve().parent.parent

REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to share counters through"
)
WRONG = {"email": "nobody@example.com", "password": "not the password"}


def at(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


@pytest.fixture
def prefix() -> str:
    """A Redis key prefix of this test's own, so parallel runs never share counters."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_app(make_app: Callable[..., Flask], prefix: str) -> Callable[..., Flask]:
    """conftest's `make_app`, with rate limits on and small limits."""

    def make(**overrides: object) -> Flask:
        small_limits: dict[str, object] = {
            "rate_limits_enabled": True,
            "rate_limit_prefix": prefix,
            "login_rate_limit": "3 per minute",
            "register_rate_limit": "3 per minute",
            "default_rate_limit": "5 per minute",
        }
        return make_app(**{**small_limits, **overrides})

    return make


def assert_rate_limited(response, limit: int) -> dict:  # type: ignore[no-untyped-def]
    body = assert_problem(response, 429)
    assert body["type"].endswith("/rate-limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["RateLimit-Limit"] == str(limit)
    assert response.headers["RateLimit-Remaining"] == "0"
    assert 0 <= int(response.headers["RateLimit-Reset"]) <= 60
    return body


def login(client: FlaskClient, address: str, credentials: dict = WRONG):  # type: ignore[no-untyped-def]
    return client.post("/login", json=credentials, **at(address))


def test_login_is_limited_per_client_address(make_app, user):
    client = make_app().test_client()
    for remaining in (2, 1, 0):
        r = login(client, "10.0.0.1")
        assert_problem(r, 401)
        assert r.headers["RateLimit-Limit"] == "3"
        assert r.headers["RateLimit-Remaining"] == str(remaining)
        assert r.headers["RateLimit-Policy"] == "3;w=60"
        assert "Retry-After" not in r.headers
    right = {"email": user.email, "password": PASSWORD}
    assert_rate_limited(login(client, "10.0.0.1", right), 3)
    r = login(client, "10.0.0.2", right)
    assert r.status_code == 200, r.get_json()
    assert r.headers["RateLimit-Remaining"] == "2"


def test_register_is_limited_per_client_address_and_a_refused_one_creates_nothing(make_app):
    client = make_app().test_client()
    for n in range(3):
        r = client.post("/register", json={"email": f"u{n}@example.com", "password": PASSWORD})
        assert r.status_code == 201, r.get_json()
    r = client.post("/register", json={"email": "u3@example.com", "password": PASSWORD})
    assert_rate_limited(r, 3)
    r = login(client, "10.0.0.9", {"email": "u3@example.com", "password": PASSWORD})
    assert_problem(r, 401)
    r = client.post(
        "/register", json={"email": "u3@example.com", "password": PASSWORD}, **at("10.0.0.2")
    )
    assert r.status_code == 201


def test_login_register_and_the_general_limit_are_separate_budgets(make_app, user):
    client = make_app().test_client()
    for _ in range(3):
        login(client, "10.0.0.1")
    assert_rate_limited(login(client, "10.0.0.1"), 3)
    r = client.post("/register", json={"email": "new@example.com", "password": PASSWORD})
    assert r.status_code == 201
    r = client.get("/store", **at("10.0.0.1"))
    assert r.status_code == 200
    assert r.headers["RateLimit-Limit"] == "5"
    assert r.headers["RateLimit-Remaining"] == "4"


def test_general_limit_is_one_budget_per_token_across_routes(make_app, user, other_user):
    client = make_app().test_client()
    r = client.post("/store", json={"name": "Corner"}, headers=user.headers)
    assert r.status_code == 201
    assert r.headers["RateLimit-Remaining"] == "4"
    for path in ("/store", "/item", "/", "/store/999999"):
        r = client.get(path, headers=user.headers)
        assert r.status_code in (200, 404)
    assert r.headers["RateLimit-Remaining"] == "0"
    body = assert_rate_limited(client.get("/store", headers=user.headers), 5)
    assert "5 per 1 minute" in body["detail"]
    assert_rate_limited(client.post("/store", json={"name": "Other"}, headers=user.headers), 5)
    assert [s["name"] for s in client.get("/store", **at("10.0.0.7")).get_json()["stores"]] == [
        "Corner"
    ]
    r = client.get("/store", headers=other_user.headers)
    assert r.status_code == 200
    assert r.headers["RateLimit-Remaining"] == "4"
    r = client.get("/store")  # anonymous, same address: a budget of its own
    assert r.status_code == 200
    assert r.headers["RateLimit-Remaining"] == "4"


def test_made_up_tokens_count_against_the_address(make_app):
    app = make_app()
    client = app.test_client()
    for _ in range(5):
        assert client.get("/store", **at("10.0.0.3")).status_code == 200
    with app.app_context():
        foreign = encode_token(
            "1", "access", dt.timedelta(minutes=5)
        )  # right shape, but not from a login of this API
    for token in ("garbage", f"{uuid.uuid4().hex}.x.y", foreign + "x"):
        r = client.get("/store", headers={"Authorization": f"Bearer {token}"}, **at("10.0.0.3"))
        assert_rate_limited(r, 5)


def test_health_checks_and_preflights_are_not_limited(make_app):
    client = make_app(default_rate_limit="1 per minute").test_client()
    for _ in range(4):
        for path in ("/healthz", "/readyz"):
            r = client.get(path)
            assert r.status_code == 200
            assert "RateLimit-Limit" not in r.headers
        assert client.options("/store").status_code == 200
    assert client.get("/store").status_code == 200
    assert_rate_limited(client.get("/store"), 1)


def test_rate_limits_can_be_switched_off(make_app):
    client = make_app(rate_limits_enabled=False).test_client()
    for _ in range(12):
        r = login(client, "10.0.0.1")
        assert_problem(r, 401)
        assert "RateLimit-Limit" not in r.headers


def test_a_worker_without_limits_does_not_load_flask_limiter(database_url):
    """Switched off, the limiter's packages are never imported (some 2 MB per worker); on,
    the same process limits."""
    script = f"""
import sys
from storeapi.app import create_app
from storeapi.auth.tokens import encode_token
from storeapi.serving import shared_rate_limit_file
from tests.conftest import test_settings
off = create_app(test_settings({database_url!r}, rate_limits_enabled=False))
print(off.test_client().get("/store").status_code, "flask_limiter" in sys.modules)
limited = dict(rate_limits_enabled=True, default_rate_limit="1 per minute")
on = create_app(test_settings({database_url!r}, **limited))
print([on.test_client().get("/store").status_code for _ in range(2)], "limits" in sys.modules)
for app in (off, on):
    app.extensions["engine"].dispose()
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines() == ["200 False", "[200, 429] True"], done.stderr


@pytest.mark.parametrize(
    "setting",
    ["login_rate_limit", "register_rate_limit", "refresh_rate_limit", "default_rate_limit"],
)
def test_a_malformed_limit_is_refused_at_start(database_url, setting):
    settings = test_settings(database_url, rate_limits_enabled=True, **{setting: "lots"})
    with pytest.raises(SettingsError, match=setting.upper()):
        create_app(settings)


def test_two_apps_on_one_counters_file_share_their_budgets(make_app, user, tmp_path):
    """What two workers of `storeapi serve` do without Redis (tests/security has it live)."""
    shared = str(tmp_path / "counters.sqlite")
    first = make_app(rate_limit_file=shared).test_client()
    second = make_app(rate_limit_file=shared).test_client()
    alone = make_app().test_client()  # no file, no Redis: its own memory
    assert [login(c, "10.0.0.1").status_code for c in (first, second, first)] == [401] * 3
    assert_rate_limited(login(second, "10.0.0.1"), 3)
    assert_problem(login(alone, "10.0.0.1"), 401)
    for client in (first, second, first, second, first):
        assert client.get("/item", headers=user.headers).status_code == 200
    assert_rate_limited(second.get("/store", headers=user.headers), 5)


def test_serve_makes_a_counters_file_only_when_nothing_else_is_set(database_url, monkeypatch):
    monkeypatch.delenv("RATE_LIMIT_FILE", raising=False)
    with shared_rate_limit_file(test_settings(database_url, rate_limits_enabled=True)):
        made = Path(os.environ["RATE_LIMIT_FILE"])
        assert made.parent.is_dir() and made.parent.stat().st_mode & 0o777 == 0o700
    assert not made.parent.exists()
    assert "RATE_LIMIT_FILE" not in os.environ
    for overrides in (
        {"redis_url": "redis://127.0.0.1:1/0"},
        {"rate_limit_file": "/srv/counters.sqlite"},
        {"rate_limits_enabled": False},
    ):
        values = {"rate_limits_enabled": True, **overrides}
        with shared_rate_limit_file(test_settings(database_url, **values)):
            assert "RATE_LIMIT_FILE" not in os.environ


def test_unreachable_redis_does_not_stop_the_api_and_limits_hold_in_memory(make_app, user):
    client = make_app(redis_url="redis://127.0.0.1:1/0").test_client()
    r = client.get("/store", headers=user.headers)
    assert r.status_code == 200
    right = {"email": user.email, "password": PASSWORD}
    for _ in range(3):
        assert login(client, "10.0.0.1", right).status_code == 200
    assert_rate_limited(login(client, "10.0.0.1", right), 3)


@needs_redis
def test_two_instances_share_counters_through_redis(make_app, user, prefix):
    first = make_app(redis_url=REDIS_URL).test_client()
    second = make_app(redis_url=REDIS_URL).test_client()
    elsewhere = make_app(redis_url=REDIS_URL, rate_limit_prefix=prefix + "-other").test_client()
    assert_problem(login(first, "10.0.0.1"), 401)
    assert_problem(login(second, "10.0.0.1"), 401)
    r = login(first, "10.0.0.1")
    assert r.headers["RateLimit-Remaining"] == "0"
    assert_rate_limited(login(second, "10.0.0.1"), 3)
    assert_rate_limited(login(first, "10.0.0.1"), 3)
    assert_problem(login(elsewhere, "10.0.0.1"), 401)  # another prefix: other counters
    for client in (first, second, first, second, first):
        assert client.get("/item", headers=user.headers).status_code == 200
    assert_rate_limited(second.get("/store", headers=user.headers), 5)
    assert_rate_limited(first.get("/store", headers=user.headers), 5)


@needs_redis
def test_two_server_processes_share_login_limits_through_redis(database_url, prefix):
    env = {
        "REDIS_URL": REDIS_URL,
        "RATE_LIMITS_ENABLED": "true",
        "RATE_LIMIT_PREFIX": prefix,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    with live_server(database_url, **env) as one, live_server(database_url, **env) as two:
        answers = [httpx.post(f"{base}/login", json=WRONG) for base in (one, two, one)]
        assert [r.status_code for r in answers] == [401, 401, 401]
        assert [r.headers["RateLimit-Remaining"] for r in answers] == ["2", "1", "0"]
        for base in (two, one):
            r = httpx.post(f"{base}/login", json=WRONG)
            assert r.status_code == 429
            assert r.headers["Content-Type"] == "application/problem+json"
            assert int(r.headers["Retry-After"]) >= 1
