"""API8:2023 Security Misconfiguration.

Checked on a real `storeapi serve` process started as in production (STOREAPI_ENV=production,
a real secret, CORS for one origin): debug is off, every answer - success, error, HTML docs -
carries the security headers, no error shows a stack trace, CORS never pairs credentials with a
wildcard, and the production configuration refuses a missing or default secret.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storeapi.app import create_app
from storeapi.settings import DEV_SECRET, Settings, SettingsError
from tests.conftest import test_settings
from tests.live import live_server
from tests.pgserver import fresh_database

ORIGIN = "https://shop.example"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
LEAKS = ("Traceback", 'File "', "werkzeug", "sqlalchemy", "psycopg", "/site-packages/")


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    pg = os.environ.get("TEST_DATABASE_URL")
    env = {
        "STOREAPI_ENV": "production",
        "JWT_SECRET_KEY": "a-production-secret-" + "7" * 40,
        "CORS_ORIGINS": ORIGIN,
        "RATE_LIMITS_ENABLED": "true",
        "LOGIN_RATE_LIMIT": "100 per minute",
        "REGISTER_RATE_LIMIT": "100 per minute",
    }
    with (
        fresh_database(pg, tmp_path_factory.mktemp("prod")) as url,
        live_server(url, **env) as base,
        httpx.Client(base_url=base, timeout=10) as http,
    ):
        yield http


def answers(http: httpx.Client) -> dict[str, httpx.Response]:
    email = "prod@example.com"
    http.post("/register", json={"email": email, "password": "long enough pw"})
    token = http.post("/login", json={"email": email, "password": "long enough pw"}).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    etag = http.get("/store").headers["ETag"]
    return {
        "200": http.get("/store"),
        "304": http.get("/store", headers={"If-None-Match": etag}),
        "201": http.post("/store", json={"name": "Prod Shop"}, headers=auth),
        "400": http.post(
            "/store", content=b"{", headers={**auth, "Content-Type": "application/json"}
        ),
        "401": http.post("/store", json={"name": "x"}),
        "404": http.get("/no/such/thing"),
        "405": http.request("TRACE", "/store"),
        "406": http.get("/store", headers={"Accept": "text/csv"}),
        "415": http.post(
            "/store", content=b"name=x", headers={**auth, "Content-Type": "text/plain"}
        ),
        "422": http.get("/store?limit=0"),
        "docs": http.get("/docs"),
    }


def test_every_kind_of_answer_carries_the_security_headers(production) -> None:
    for name, r in answers(production).items():
        for header, value in SECURITY_HEADERS.items():
            assert r.headers.get(header) == value, (name, header)
        assert r.headers.get("content-security-policy"), name
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], name
        server = r.headers.get("server", "")
        assert not any(ch.isdigit() for ch in server), server  # no version on display


def test_no_answer_shows_a_stack_trace_or_debugger(production) -> None:
    for name, r in answers(production).items():
        if name.isdigit() and int(name) >= 400:
            assert r.headers["content-type"] == "application/problem+json", name
            for leak in LEAKS:
                assert leak not in r.text, (name, leak)
    for path in ("/console", "/__debug__", "/admin/console"):
        assert production.get(path).status_code in (302, 404), path


def test_cors_allows_the_configured_origin_without_credentials(production) -> None:
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    r = production.options("/store", headers=preflight)
    assert r.headers.get("access-control-allow-origin") == ORIGIN
    assert r.headers.get("access-control-allow-credentials") is None
    evil = production.options("/store", headers={**preflight, "Origin": "https://evil.example"})
    assert evil.headers.get("access-control-allow-origin") is None
    r = production.get("/store", headers={"Origin": "https://evil.example"})
    assert r.headers.get("access-control-allow-origin") is None


def test_a_wildcard_origin_is_never_paired_with_credentials(database_url, client) -> None:
    app = create_app(test_settings(database_url, cors_origins=("*",)))
    r = app.test_client().get("/store", headers={"Origin": "https://any.example"})
    assert r.headers.get("Access-Control-Allow-Credentials") is None
    app.extensions["engine"].dispose()


@pytest.mark.parametrize("secret", ["", DEV_SECRET, "short"])
def test_production_refuses_a_missing_default_or_short_secret(secret: str) -> None:
    with pytest.raises(SettingsError):
        Settings(env="production", jwt_secret_key=secret).validated()


def test_debug_is_off_in_the_app_the_server_runs(tmp_path: Path) -> None:
    app = create_app(
        Settings(
            env="production",
            database_url=f"sqlite:///{tmp_path / 'x.db'}",
            jwt_secret_key="p" * 40,
        ).validated()
    )
    assert app.debug is False and app.config["PROPAGATE_EXCEPTIONS"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    app.extensions["engine"].dispose()
