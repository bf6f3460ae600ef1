"""Oversized request lines and headers (http/hooks.py, settings.py): the app's limits, how they
are checked against the server's, and what the server (granian over hyper) refuses itself before
the app sees a request, as docs/configuration.md describes it. The probe's cases against a
two-worker server are in tests/security/test_probe_limits.py."""

from __future__ import annotations

import socket

import pytest

from storeapi.app import create_app
from storeapi.http.hooks import header_bytes
from storeapi.settings import SERVER_HEAD_BUFFER, SERVER_MAX_URL, SettingsError
from tests.conftest import assert_problem, test_settings
from tests.live import live_server


@pytest.fixture
def small(database_url: str, client):  # type: ignore[no-untyped-def]
    app = create_app(test_settings(database_url, max_url_bytes=100, max_header_bytes=300))
    yield app.test_client()
    app.extensions["engine"].dispose()


def test_the_url_counts_path_question_mark_and_query(small):
    assert small.get("/store?q=" + "a" * 91).status_code == 200  # 100 bytes
    assert_problem(small.get("/store?q=" + "a" * 92), 414)
    assert_problem(small.get("/" + "b" * 100), 414)
    assert_problem(small.get("/" + "%41" * 100), 414)  # counted decoded: 101 bytes


def test_header_bytes_count_names_and_values_of_all_fields(small):
    assert small.get("/store", headers={"X-A": "a" * 100}).status_code == 200
    r = small.get("/store", headers={f"X-{n}": "a" * 60 for n in range(5)})
    body = assert_problem(r, 431)
    assert body["title"] == "Request Header Fields Too Large"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("limit", [300, 4000])
def test_the_header_limit_is_exact_to_the_byte(database_url, client, limit):
    """At the limit a request passes, a byte over it is refused: with a small limit the cheap
    bound is always over and the exact sum decides; with a larger one it decides alone."""
    app = create_app(test_settings(database_url, max_header_bytes=limit))
    browser = app.test_client()
    try:
        pad = limit - header_bytes(browser.get("/store", headers={"X-Pad": ""}).request.environ)
        assert browser.get("/store", headers={"X-Pad": "a" * pad}).status_code == 200
        assert_problem(browser.get("/store", headers={"X-Pad": "a" * (pad + 1)}), 431)
    finally:
        app.extensions["engine"].dispose()


def test_the_admin_panel_is_covered_too(small):
    assert_problem(small.get("/admin/login/?next=" + "a" * 100), 414)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"max_url_bytes": SERVER_MAX_URL}, "MAX_URL_BYTES"),
        ({"max_header_bytes": SERVER_HEAD_BUFFER - 8192}, "MAX_HEADER_BYTES"),
        ({"max_url_bytes": 0}, "max_url_bytes"),
    ],
)
def test_limits_the_server_would_preempt_are_refused_at_start(database_url, overrides, message):
    with pytest.raises(SettingsError, match=message):
        test_settings(database_url, **overrides)


def raw_request(base: str, head: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(head)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"GET /store?q=" + b"a" * SERVER_MAX_URL + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        (
            b"GET /store HTTP/1.1\r\nHost: x\r\nX-A: "
            + b"a" * 2 * SERVER_HEAD_BUFFER
            + b"\r\n\r\n",
            b"431",
        ),
        (b"GET /store HTTP/1.1\r\nHost: x\r\n" + b"X-A: a\r\n" * 100 + b"\r\n", b"431"),
        (b"GET /store HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n", b"400"),
        (b"GET /store HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n", b"400"),
    ],
    ids=["long target", "large head", "101 fields", "DEL in a value", "space in a name"],
)
def test_what_the_server_refuses_itself_has_an_empty_body(database_url, head, status):
    """Pinned so that a granian or hyper upgrade that changes it shows up here, and in the docs.
    (The head buffer is checked after each read, so a head somewhat over it may still get
    through to the app, which refuses it by MAX_HEADER_BYTES: twice the buffer never does.)"""
    with live_server(database_url) as base:
        answer = raw_request(base, head)
        assert answer.startswith(b"HTTP/1.1 " + status + b" "), answer[:200]
        assert b"\r\ncontent-length: 0\r\n" in answer.lower()
        assert b"problem+json" not in answer
        ordinary = raw_request(base, b"GET /store HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert ordinary.startswith(b"HTTP/1.1 200 ")


def test_a_header_value_beyond_ascii_reaches_the_app_empty(database_url, user):
    """granian hands the app such a value as "": a token with one such byte is a missing one."""
    with live_server(database_url) as base:
        head = b"POST /logout HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
        answer = raw_request(base, head + user.access.encode() + b"\xff\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 401 ")
        assert b"missing-token" in answer
