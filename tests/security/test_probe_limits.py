"""What an independent, black-box probe of `storeapi serve` found, tried again the same way:
against a real server with two workers, over TCP, with production rate limits switched on.

1. Rate limits were counted per worker: without Redis, a budget of N was N per worker, and the
   admin panel's login form had a counter of its own on top of /login's.
2. `POST /refresh` gave the new access token a full budget of its own.
3. Oversized URLs and header blocks were answered by the server with an empty body, neither a
   problem document nor the security headers. (What the server still refuses itself, before the
   app sees the request, is pinned in tests/test_request_head_limits.py.)

The mail routes' budgets (issue 17) are tried the same way: one per client address, and one
per target address that holds across client addresses and workers.

Requests that must spread over both workers go on new connections, and each answer says which
worker gave it: the first 16 characters of its X-Request-ID are drawn per process.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import PASSWORD, Account
from tests.live import LiveServer, live_server

LOGIN_LIMIT = 4
REGISTER_LIMIT = 4
REFRESH_LIMIT = 3
GENERAL_LIMIT = 20
MAIL_LIMIT = 3
RESET_EMAIL_LIMIT = 2
MAX_URL_BYTES = 4096
MAX_HEADER_BYTES = 8192
WRONG = {"email": "nobody@example.com", "password": "not the password"}


@pytest.fixture
def server(database_url: str, client) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """Two workers, rate limits on, no Redis, one proxy trusted (so a test can pick addresses
    with X-Forwarded-For); the `client` fixture empties the database afterwards."""
    env = {
        "RATE_LIMITS_ENABLED": "true",
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "REGISTER_RATE_LIMIT": f"{REGISTER_LIMIT} per minute",
        "REFRESH_RATE_LIMIT": f"{REFRESH_LIMIT} per minute",
        "DEFAULT_RATE_LIMIT": f"{GENERAL_LIMIT} per minute",
        "MAIL_RATE_LIMIT": f"{MAIL_LIMIT} per minute",
        "PASSWORD_RESET_EMAIL_RATE_LIMIT": f"{RESET_EMAIL_LIMIT} per minute",
        "MAX_URL_BYTES": MAX_URL_BYTES,
        "MAX_HEADER_BYTES": MAX_HEADER_BYTES,
        "TRUSTED_PROXIES": 1,
    }
    with live_server(database_url, workers=2, **env) as base:
        yield base


def worker(response: httpx.Response) -> str:
    return response.headers["X-Request-ID"][:16]


def from_address(address: str, **headers: str) -> dict[str, str]:
    return {"X-Forwarded-For": address, **headers}


def bearer(token: str, address: str = "198.51.100.1") -> dict[str, str]:
    return from_address(address, Authorization=f"Bearer {token}")


def assert_problem_document(response: httpx.Response, status: int) -> dict:
    """A problem+json answer carrying the API's security headers."""
    assert response.status_code == status, (response.status_code, response.text[:200])
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-ID"]
    return body


def spread(send: Callable[[int], httpx.Response], count: int) -> list[httpx.Response]:
    """`send(n)` for n = 0, 1, ... at least `count` times, and on until both workers have
    answered: which worker accepts a new connection is the kernel's choice, so a dozen can
    all land on one."""
    answers: list[httpx.Response] = []
    while len(answers) < count or len({worker(r) for r in answers}) < 2:
        assert len(answers) < 200, "two hundred connections all went to one worker"
        answers.append(send(len(answers)))
    return answers


def test_the_login_budget_is_the_deployments_whatever_the_workers(server):
    def send(_: int) -> httpx.Response:
        return httpx.post(f"{server}/login", json=WRONG, headers=from_address("192.0.2.1"))

    answers = spread(send, 12)
    statuses = [r.status_code for r in answers]
    assert statuses == [401] * LOGIN_LIMIT + [429] * (len(answers) - LOGIN_LIMIT)
    assert [r.headers["RateLimit-Remaining"] for r in answers[:LOGIN_LIMIT]] == ["3", "2", "1", "0"]
    assert_problem_document(answers[-1], 429)


def test_the_register_budget_is_the_deployments_whatever_the_workers(server):
    def send(n: int) -> httpx.Response:
        account = {"email": f"u{n}@example.com", "password": PASSWORD}
        return httpx.post(f"{server}/register", json=account, headers=from_address("192.0.2.2"))

    answers = spread(send, 12)
    statuses = [r.status_code for r in answers]
    assert statuses == [201] * REGISTER_LIMIT + [429] * (len(answers) - REGISTER_LIMIT)


def test_reset_mails_to_one_address_are_limited_from_any_address_and_worker(server, user):
    """Asked from a new client address each time: only the target's budget can run out."""

    def send(n: int) -> httpx.Response:
        body = {"email": user.email}
        return httpx.post(
            f"{server}/password-reset", json=body, headers=from_address(f"10.9.0.{n}")
        )

    answers = spread(send, 6)
    statuses = [r.status_code for r in answers]
    assert statuses == [202] * RESET_EMAIL_LIMIT + [429] * (len(answers) - RESET_EMAIL_LIMIT)
    body = assert_problem_document(answers[-1], 429)
    assert body["type"].endswith("/rate-limited") and int(answers[-1].headers["Retry-After"]) >= 1
    other = {"email": "someone-else@example.com"}
    r = httpx.post(f"{server}/password-reset", json=other, headers=from_address("10.9.1.1"))
    assert r.status_code == 202


def test_the_mail_budget_per_client_address_is_the_deployments(server, user):
    """A new target each time from one address: only the address's budget can run out, and
    a resend from there spends the same one."""

    def send(n: int) -> httpx.Response:
        body = {"email": f"target{n}@example.com"}
        return httpx.post(f"{server}/password-reset", json=body, headers=from_address("10.9.2.1"))

    answers = spread(send, 6)
    statuses = [r.status_code for r in answers]
    assert statuses == [202] * MAIL_LIMIT + [429] * (len(answers) - MAIL_LIMIT)
    assert_problem_document(answers[-1], 429)
    resend = httpx.post(f"{server}/verify-email/resend", headers=bearer(user.access, "10.9.2.1"))
    assert_problem_document(resend, 429)
    resend = httpx.post(f"{server}/verify-email/resend", headers=bearer(user.access, "10.9.2.2"))
    assert resend.status_code == 202


def csrf_token(browser: httpx.Client) -> str:
    page = browser.get("/admin/login/").text
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def admin_login(browser: httpx.Client, email: str, address: str) -> httpx.Response:
    data = {"csrf_token": csrf_token(browser), "email": email, "password": "wrong password"}
    return browser.post("/admin/login/", data=data, headers=from_address(address))


def test_the_admin_login_spends_the_same_per_address_budget_as_login(server, admin: Account):
    for _ in range(LOGIN_LIMIT - 1):
        assert (
            httpx.post(f"{server}/login", json=WRONG, headers=from_address("192.0.2.3")).status_code
            == 401
        )
    with httpx.Client(base_url=server) as browser:
        assert admin_login(browser, "someone@example.com", "192.0.2.3").status_code == 200
        refused = admin_login(browser, "someone-else@example.com", "192.0.2.3")
        assert_problem_document(refused, 429)
    assert (
        httpx.post(f"{server}/login", json=WRONG, headers=from_address("192.0.2.3")).status_code
        == 429
    )
    r = httpx.post(f"{server}/login", json=WRONG, headers=from_address("192.0.2.4"))
    assert r.status_code == 401  # another address, another budget


def test_the_admin_login_is_limited_per_account_tried(server, admin: Account):
    with httpx.Client(base_url=server) as browser:
        for n in range(LOGIN_LIMIT):  # a new address each time: no per-address budget runs out
            assert (
                admin_login(browser, f"  {admin.email.upper()} ", f"203.0.113.{n}").status_code
                == 200
            )
        assert_problem_document(admin_login(browser, admin.email, "203.0.113.50"), 429)
        assert admin_login(browser, "other@example.com", "203.0.113.51").status_code == 200


def test_refresh_does_not_reset_the_budget_and_neither_does_a_new_login(server, user: Account):
    # One connection, so one worker: what is tried here is the key, not the sharing (above).
    with httpx.Client(base_url=server) as api:
        answers = [api.get("/store", headers=bearer(user.access)) for _ in range(GENERAL_LIMIT)]
        assert [r.status_code for r in answers] == [200] * GENERAL_LIMIT
        assert_problem_document(api.get("/store", headers=bearer(user.access)), 429)
        r = api.post("/refresh", headers=bearer(user.refresh))
        assert r.status_code == 200, r.text
        refreshed = r.json()["access_token"]
        assert refreshed != user.access
        assert_problem_document(api.get("/store", headers=bearer(refreshed)), 429)
        credentials = {"email": user.email, "password": PASSWORD}
        r = api.post("/login", json=credentials, headers=from_address("198.51.100.2"))
        assert r.status_code == 200
        again = r.json()["access_token"]
        assert_problem_document(api.get("/store", headers=bearer(again, "198.51.100.3")), 429)
        r = api.get("/store", headers=from_address("198.51.100.4"))
        assert r.status_code == 200  # anonymous, elsewhere: not that user's budget


def test_refresh_has_a_limit_of_its_own(server, user: Account):
    refresh = user.refresh
    for n in range(REFRESH_LIMIT):
        r = httpx.post(f"{server}/refresh", headers=bearer(refresh, f"198.51.100.{10 + n}"))
        assert r.status_code == 200, r.text
        assert r.headers["RateLimit-Limit"] == str(REFRESH_LIMIT)
        refresh = r.json()["refresh_token"]
    r = httpx.post(f"{server}/refresh", headers=bearer(refresh, "198.51.100.20"))
    body = assert_problem_document(r, 429)
    assert f"{REFRESH_LIMIT} per 1 minute" in body["detail"]
    r = httpx.get(f"{server}/store", headers=bearer(user.access))
    assert r.status_code == 200  # refreshing did not spend the general budget
    assert r.headers["RateLimit-Remaining"] == str(GENERAL_LIMIT - 1)


def test_a_url_over_max_url_bytes_is_a_problem_document(server):
    path = "/store?q="
    at_limit = httpx.get(f"{server}{path}{'a' * (MAX_URL_BYTES - len(path))}")
    assert at_limit.status_code == 200
    over = httpx.get(f"{server}{path}{'a' * (MAX_URL_BYTES - len(path) + 1)}")
    body = assert_problem_document(over, 414)
    assert body["title"] == "URI Too Long"
    assert str(MAX_URL_BYTES) in body["detail"]
    long_path = httpx.get(f"{server}/{'b' * 20_000}")  # far above, still below the server's
    assert_problem_document(long_path, 414)


@pytest.mark.parametrize(
    "headers",
    [{"X-Filler": "a" * MAX_HEADER_BYTES}, {f"X-Filler-{n}": "a" * 500 for n in range(20)}],
    ids=["one large field", "many fields"],
)
def test_header_fields_over_max_header_bytes_are_a_problem_document(server, headers):
    body = assert_problem_document(httpx.get(f"{server}/store", headers=headers), 431)
    assert body["title"] == "Request Header Fields Too Large"
    assert httpx.get(f"{server}/store", headers={"X-Filler": "a" * 4000}).status_code == 200
