"""Operations plumbing (http/hooks.py, resources/root.py): X-Request-ID, one JSON log line per
request, /healthz and /readyz, CORS with configured origins, security headers."""

from __future__ import annotations

import json
import os
import re

import pytest
from flask import Flask

from storeapi.app import create_app
from tests.conftest import assert_problem, test_settings

SHOP = "https://shop.example"
EVIL = "https://evil.example"
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


def dead_database_app(url: str) -> Flask:
    return create_app(test_settings(url))


# --- X-Request-ID -------------------------------------------------------------------------


def test_a_supplied_request_id_is_echoed(client):
    r = client.get("/store", headers={"X-Request-ID": "checkout-42.a:b_c"})
    assert r.headers["X-Request-ID"] == "checkout-42.a:b_c"


def test_a_request_id_is_generated_when_missing_and_differs_per_request(client):
    first, second = client.get("/").headers["X-Request-ID"], client.get("/").headers["X-Request-ID"]
    assert GENERATED_ID.match(first) and GENERATED_ID.match(second)
    assert first != second


def test_generated_request_ids_are_unique_across_threads_and_forked_workers():
    from concurrent.futures import ThreadPoolExecutor

    from storeapi.http.hooks import _request_ids

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda _: _request_ids.next(), range(20_000)))
    assert len(set(ids)) == len(ids)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a worker forked from a process that had made ids already
        os.write(write, _request_ids.next().encode())
        os._exit(0)
    os.waitpid(child, 0)
    child_id = os.read(read, 64).decode()
    assert GENERATED_ID.match(child_id) and child_id[:16] != ids[0][:16]


@pytest.mark.parametrize("bad", ["x" * 129, "has space", "semi;colon", "<script>"])
def test_a_malformed_request_id_is_replaced(client, bad):
    r = client.get("/store", headers={"X-Request-ID": bad})
    assert GENERATED_ID.match(r.headers["X-Request-ID"])


def test_a_request_id_ending_in_a_line_break_is_replaced(client):
    """Response headers are appended without werkzeug's line-break check: a supplied id must
    match as a whole (`$` alone also matches before a final newline)."""
    r = client.get("/store", environ_overrides={"HTTP_X_REQUEST_ID": "rid\n"})
    assert r.status_code == 200
    assert GENERATED_ID.match(r.headers["X-Request-ID"])


def test_errors_carry_the_request_id_too(client, user):
    for r in (
        client.get("/no/such/thing", headers={"X-Request-ID": "rid-404"}),
        client.delete("/store", headers={"X-Request-ID": "rid-405"}),
        client.post(
            "/store",
            data="{",
            content_type="application/json",
            headers={**user.headers, "X-Request-ID": "rid-400"},
        ),
    ):
        assert r.mimetype == "application/problem+json"
        assert r.headers["X-Request-ID"] == f"rid-{r.status_code}"


def test_a_request_refused_by_the_rate_limiter_keeps_its_request_id(make_app):
    client = make_app(rate_limits_enabled=True, default_rate_limit="1 per minute").test_client()
    client.get("/store", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    r = client.get(
        "/store", headers={"X-Request-ID": "rid-limited"}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert_problem(r, 429)
    assert r.headers["X-Request-ID"] == "rid-limited"


# --- the access log -----------------------------------------------------------------------


def log_lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def test_one_json_log_line_per_request(make_app, capsys, user):
    client = make_app(log_requests=True).test_client()
    capsys.readouterr()
    client.get("/store?limit=5", headers={"X-Request-ID": "rid-log-1"})
    client.post("/store", json={"name": "Logged"}, headers={**user.headers, "X-Request-ID": "b"})
    r = client.get("/nowhere")
    lines = log_lines(capsys.readouterr().err)
    assert len(lines) == 3
    listing, created, missing = lines
    assert listing["method"] == "GET" and listing["path"] == "/store"
    assert listing["status"] == 200 and listing["request_id"] == "rid-log-1"
    assert isinstance(listing["duration_ms"], float) and 0 <= listing["duration_ms"] < 10_000
    assert listing["user_id"] is None
    assert (created["method"], created["status"], created["user_id"]) == ("POST", 201, user.id)
    assert missing["status"] == 404 and missing["request_id"] == r.headers["X-Request-ID"]


def test_no_log_lines_when_request_logging_is_off(make_app, capsys):
    client = make_app(log_requests=False).test_client()
    capsys.readouterr()
    client.get("/store")
    assert log_lines(capsys.readouterr().err) == []


# --- health checks ------------------------------------------------------------------------


def test_healthz_answers_without_caching(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok"}
    assert r.headers["Cache-Control"] == "no-store"
    assert client.head("/healthz").status_code == 200


def test_readyz_is_ready_when_the_database_answers(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ready"}
    assert r.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "url",
    ["postgresql://postgres@127.0.0.1:1/x", "sqlite:////nonexistent-dir/storeapi/x.db"],
    ids=["postgresql-closed-port", "sqlite-unopenable-file"],
)
def test_readyz_is_503_when_the_database_is_unreachable_and_healthz_stays_up(url):
    app = dead_database_app(url)
    client = app.test_client()
    r = client.get("/readyz")
    body = assert_problem(r, 503)
    assert body["detail"] == "The database is unreachable"
    assert int(r.headers["Retry-After"]) > 0
    assert "postgres" not in r.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200
    r = client.get("/store")  # a data route answers 503 too, never 500
    assert_problem(r, 503)
    app.extensions["engine"].dispose()


# --- CORS ---------------------------------------------------------------------------------


def preflight(client, origin: str, method: str = "POST"):  # type: ignore[no-untyped-def]
    return client.options(
        "/store",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key",
        },
    )


def listed(header: str | None) -> set[str]:
    return {h.strip().lower() for h in (header or "").split(",") if h.strip()}


def test_cors_allows_a_configured_origin(make_app):
    client = make_app(cors_origins=(SHOP, "https://admin.shop.example")).test_client()
    r = client.get("/store", headers={"Origin": SHOP})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Access-Control-Allow-Credentials" not in r.headers
    exposed = listed(r.headers.get("Access-Control-Expose-Headers"))
    assert {"etag", "location", "link", "x-request-id", "retry-after"} <= exposed
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= exposed
    assert "origin" in listed(r.headers.get("Vary"))
    assert "accept" in listed(r.headers.get("Vary"))


def test_cors_preflight_for_a_configured_origin(make_app):
    client = make_app(cors_origins=(SHOP,)).test_client()
    r = preflight(client, SHOP)
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == SHOP
    assert "post" in listed(r.headers.get("Access-Control-Allow-Methods"))
    allowed = listed(r.headers.get("Access-Control-Allow-Headers"))
    assert {"authorization", "content-type", "idempotency-key"} <= allowed
    assert int(r.headers["Access-Control-Max-Age"]) > 0


def test_cors_refuses_other_origins_including_their_preflight(make_app):
    client = make_app(cors_origins=(SHOP,)).test_client()
    for r in (client.get("/store", headers={"Origin": EVIL}), preflight(client, EVIL)):
        assert "Access-Control-Allow-Origin" not in r.headers
        assert "Access-Control-Allow-Methods" not in r.headers
        assert "origin" in listed(r.headers.get("Vary"))  # a cache must not mix the two


def test_cors_is_off_when_no_origins_are_configured(client):
    for r in (client.get("/store", headers={"Origin": SHOP}), preflight(client, SHOP)):
        assert "Access-Control-Allow-Origin" not in r.headers


def test_errors_are_readable_cross_origin(make_app):
    client = make_app(cors_origins=(SHOP,)).test_client()
    r = client.post("/store", json={"name": "x"}, headers={"Origin": SHOP})
    assert_problem(r, 401)
    assert r.headers["Access-Control-Allow-Origin"] == SHOP
    assert "x-request-id" in listed(r.headers.get("Access-Control-Expose-Headers"))


# --- security headers ---------------------------------------------------------------------


def assert_security_headers(response, csp_default: str) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert f"default-src {csp_default}" in csp
    assert "frame-ancestors 'none'" in csp


def test_json_and_problem_responses_carry_a_restrictive_policy(client, user):
    responses = [
        client.get("/store"),
        client.post("/store", json={"name": "Headers"}, headers=user.headers),
        client.get("/nowhere"),
        client.post("/store", json={"name": 1}, headers=user.headers),
        client.get("/healthz"),
    ]
    assert [r.status_code for r in responses] == [200, 201, 404, 422, 200]
    for r in responses:
        assert_security_headers(r, "'none'")


def test_not_modified_carries_the_headers_too(client):
    etag = client.get("/store").headers["ETag"]
    r = client.get("/store", headers={"If-None-Match": etag})
    assert r.status_code == 304
    assert_security_headers(r, "'none'")


def test_the_html_docs_page_gets_a_page_policy(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert_security_headers(r, "'self'")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_the_request_id_is_unique_under_many_requests(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(50)}
    assert len(ids) == 50
    assert all(GENERATED_ID.match(i) for i in ids)


def test_client_address_comes_from_x_forwarded_for_only_behind_trusted_proxies(database_url):
    seen = []
    for proxies in (0, 1):
        app = create_app(test_settings(database_url, trusted_proxies=proxies))

        @app.get("/_whoami")
        def whoami():  # type: ignore[no-untyped-def]
            from flask import request

            return {"remote": request.remote_addr}

        r = app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.9"})
        seen.append(r.get_json()["remote"])
    assert seen == ["127.0.0.1", "203.0.113.9"]
