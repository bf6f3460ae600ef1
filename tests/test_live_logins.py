"""The cache of live logins (auth/live_logins.py): on PostgreSQL a revoked login is refused on
the next request however it was revoked, every request reads the database while the listener
is down or silent, and a second server refuses a token within 100 ms of a logout on the first."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import jwt
import pytest
from sqlalchemy import create_engine, delete, event, text, update

from storeapi.auth.live_logins import Login, live_logins
from storeapi.models import TokenFamily, User, utcnow
from tests.conftest import PASSWORD, Account, non_fresh, reset_database
from tests.live import live_server

REVOCATION_BOUND = 0.1  # seconds: a revoked token is refused by every process within this


@pytest.fixture
def live(app, database_url):  # type: ignore[no-untyped-def]
    cache = live_logins(app)
    if not database_url.startswith("postgresql"):
        assert cache is None  # SQLite reads the login on every request: in-process, cheap
        pytest.skip("the cache of live logins is PostgreSQL's")
    assert cache is not None
    return cache


def family(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["fam"]


def wait_for(condition: Callable[[], object], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def warm(client, live, account: Account) -> None:  # type: ignore[no-untyped-def]
    """Requests until the account's login is cached (the listener confirmed first)."""

    def cached() -> bool:
        assert client.get("/user/me", headers=account.headers).status_code == 200
        return family(account.access) in live

    wait_for(cached)


@contextmanager
def statements(engine) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every statement the app's engine runs meanwhile (Prepared reads included)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def reads_login(seen: list[str]) -> bool:
    return any("token_families" in s for s in seen)


def refused_within(client, account: Account, seconds: float, status: int = 401) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while (r := client.get("/user/me", headers=account.headers)).status_code != status:
        assert r.status_code == 200 and time.monotonic() < deadline, r.status_code


def test_the_cache_can_be_switched_off(make_app):
    app = make_app(login_cache_enabled=False)
    assert live_logins(app) is None


def test_a_hit_makes_no_database_statement(client, live, user):
    engine = client.application.extensions["engine"]
    warm(client, live, user)
    with statements(engine) as hit:
        assert client.get("/user/me", headers=user.headers).status_code == 200
    assert not reads_login(hit)
    live.forget(family=family(user.access))
    with statements(engine) as miss:
        assert client.get("/user/me", headers=user.headers).status_code == 200
    assert reads_login(miss) and len(miss) == len(hit) + 1


def test_a_hit_still_checks_the_subject_and_the_end_of_the_login(client, live, user, other_user):
    warm(client, live, user)
    fam = family(user.access)
    ticket = live.ticket()
    assert ticket is not None
    live.put(fam, ticket, Login(other_user.id, False, True, time.time() + 60))
    assert client.get("/user/me", headers=user.headers).status_code == 401  # not its user
    live.put(fam, live.generation, Login(user.id, False, True, time.time() - 1))
    with statements(client.application.extensions["engine"]) as seen:
        assert client.get("/user/me", headers=user.headers).status_code == 200
    assert reads_login(seen)  # past its end in the cache: the database was asked


# --- however a login ends, the next request is refused ---------------------------------------


def _logout(client, account: Account) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/logout", headers=account.headers).status_code == 204


def _refresh_reused(client, account: Account) -> None:  # type: ignore[no-untyped-def]
    refresh = {"Authorization": f"Bearer {account.refresh}"}
    assert client.post("/refresh", headers=refresh).status_code == 200
    assert client.post("/refresh", headers=refresh).status_code == 401


def _password_changed(client, account: Account) -> None:  # type: ignore[no-untyped-def]
    other = make_account_login(client, account)
    body = {"current_password": PASSWORD, "new_password": "another horse battery"}
    assert client.put("/user/me/password", json=body, headers=other.headers).status_code == 204


def _user_deleted(client, account: Account) -> None:  # type: ignore[no-untyped-def]
    other = make_account_login(client, account)
    assert client.delete("/user/me", headers=other.headers).status_code == 204


def make_account_login(client, account: Account) -> Account:  # type: ignore[no-untyped-def]
    """A second login of the same user."""
    r = client.post("/login", json={"email": account.email, "password": PASSWORD})
    assert r.status_code == 200
    tokens = r.get_json()
    return Account(account.id, account.email, tokens["access_token"], tokens["refresh_token"])


@pytest.mark.parametrize(
    "revoke", [_logout, _refresh_reused, _password_changed, _user_deleted], ids=lambda f: f.__name__
)
def test_a_login_ended_through_the_api_is_refused_on_the_next_request(client, live, user, revoke):
    warm(client, live, user)
    revoke(client, user)
    assert family(user.access) not in live
    assert client.get("/user/me", headers=user.headers).status_code == 401


def _revoked_by_hand(conn, account: Account) -> None:  # type: ignore[no-untyped-def]
    fam = family(account.access)
    conn.execute(update(TokenFamily).where(TokenFamily.id == fam).values(revoked_at=utcnow()))


def _shortened_by_hand(conn, account: Account) -> None:  # type: ignore[no-untyped-def]
    fam = family(account.access)
    conn.execute(update(TokenFamily).where(TokenFamily.id == fam).values(expires_at=utcnow()))


def _deleted_by_hand(conn, account: Account) -> None:  # type: ignore[no-untyped-def]
    conn.execute(delete(User).where(User.id == account.id))


def _truncated_by_hand(conn, account: Account) -> None:  # type: ignore[no-untyped-def]
    conn.execute(text("TRUNCATE token_families"))


@pytest.mark.parametrize(
    "revoke",
    [_revoked_by_hand, _shortened_by_hand, _deleted_by_hand, _truncated_by_hand],
    ids=lambda f: f.__name__,
)
def test_a_login_ended_by_hand_is_refused_within_the_bound(client, live, user, revoke):
    warm(client, live, user)
    with client.application.extensions["engine"].begin() as conn:
        revoke(conn, user)
    refused_within(client, user, REVOCATION_BOUND)


def test_admin_rights_taken_by_hand_are_refused_within_the_bound(client, live, admin, user):
    warm(client, live, admin)
    assert client.get(f"/user/{user.id}", headers=admin.headers).status_code == 200
    with client.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == admin.id).values(is_admin=False))
    deadline = time.monotonic() + REVOCATION_BOUND
    while (status := client.get(f"/user/{user.id}", headers=admin.headers).status_code) == 200:
        assert time.monotonic() < deadline
    assert status == 403


def test_another_schemas_changes_are_not_ours(client, live, user):
    """Same channel, another schema's payload: at most an extra drop, never a missed one."""
    warm(client, live, user)
    engine = client.application.extensions["engine"]
    with engine.begin() as conn:
        conn.execute(
            text("SELECT pg_notify('storeapi_logins', :p)"),
            {"p": f"elsewhere {family(user.access)}"},
        )
        conn.execute(text("SELECT pg_notify('storeapi_logins', 'elsewhere all')"))
    time.sleep(0.05)
    assert family(user.access) in live


# --- the listener: fails closed ---------------------------------------------------------------


def _backend_pids(live) -> int:  # type: ignore[no-untyped-def]
    wait_for(lambda: live.listener_pid is not None)
    return live.listener_pid


def test_while_the_listener_is_down_every_request_reads_the_database(
    client, live, user, other_user
):
    engine = client.application.extensions["engine"]
    warm(client, live, user)
    warm(client, live, other_user)
    down_for = live.first_backoff
    live.first_backoff = 1.5  # long enough to act while it is down
    try:
        pid = _backend_pids(live)
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        wait_for(lambda: not live.usable(), 1.0)
        assert len(live) == 0 and live.listener_pid is None
        # Revoked while nobody listens: the database still says so on the next request.
        with engine.begin() as conn:
            _revoked_by_hand(conn, other_user)
        assert client.get("/user/me", headers=other_user.headers).status_code == 401
        for _ in range(2):
            with statements(engine) as seen:
                assert client.get("/user/me", headers=user.headers).status_code == 200
            assert reads_login(seen)
        assert family(user.access) not in live
    finally:
        live.first_backoff = down_for
    # Back: a new connection, an empty cache, filled and used again.
    wait_for(lambda: live.usable() and live.listener_pid not in (None, pid))
    warm(client, live, user)
    with statements(engine) as seen:
        assert client.get("/user/me", headers=user.headers).status_code == 200
    assert not reads_login(seen)


@pytest.mark.skipif(os.geteuid() != 0, reason="stops the listener's server process: needs root")
def test_a_silent_listener_stops_the_cache_within_the_heartbeat_bound(client, live, user):
    """The connection stays open but nothing comes (the backend is stopped, as a dead peer
    behind a silent network would be): the cache is not used, until beats come back."""
    warm(client, live, user)
    pid = _backend_pids(live)
    os.kill(pid, signal.SIGSTOP)
    try:
        stopped = time.monotonic()
        wait_for(lambda: not live.usable(), 3.0)
        assert time.monotonic() - stopped <= 2.5
        with statements(client.application.extensions["engine"]) as seen:
            assert client.get("/user/me", headers=user.headers).status_code == 200
        assert reads_login(seen)
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for(live.usable, 3.0)


def test_a_fill_that_raced_a_revocation_is_not_kept(client, live, user, other_user):
    """The login is read live, then revoked (and heard) before the request stores what it
    read: what it read is used once, never cached."""
    engine = client.application.extensions["engine"]
    warm(client, live, other_user)  # the listener is confirmed
    fam = family(user.access)
    assert fam not in live
    raced = []

    def revoke_meanwhile(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if "token_families" in statement and not raced:
            raced.append(live.generation)
            with engine.begin() as conn:
                _revoked_by_hand(conn, user)
            wait_for(lambda: live.generation != raced[0], 2.0)

    event.listen(engine, "after_cursor_execute", revoke_meanwhile)
    try:
        assert client.get("/user/me", headers=user.headers).status_code == 200
    finally:
        event.remove(engine, "after_cursor_execute", revoke_meanwhile)
    assert raced and fam not in live
    assert client.get("/user/me", headers=user.headers).status_code == 401


def test_a_fresh_login_is_not_refused(client, live, user):
    """Refreshing rotates the family (a NOTIFY too): the new access token works at once."""
    warm(client, live, user)
    fresh = non_fresh(client, user)
    assert client.get("/user/me", headers=fresh.headers).status_code == 200
    assert client.get("/user/me", headers=user.headers).status_code == 200


# --- two servers -------------------------------------------------------------------------------


def _listeners(database_url: str, pids: list[int]) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            names = conn.execute(
                text(
                    "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE :n"
                ),
                {"n": "storeapi-live-logins %"},
            ).scalars()
            return sum(1 for name in names if int(name.split()[-1]) in pids)
    finally:
        engine.dispose()


def test_a_logout_on_one_server_is_refused_by_the_other_within_100_ms(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the cache of live logins is PostgreSQL's")
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    try:
        with live_server(database_url) as a, live_server(database_url) as b:
            one, two = httpx.Client(base_url=a, timeout=10), httpx.Client(base_url=b, timeout=10)
            assert (
                one.post("/register", json={"email": email, "password": PASSWORD}).status_code
                == 201
            )
            r = one.post("/login", json={"email": email, "password": PASSWORD})
            auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
            for _ in range(30):  # both listen, confirmed, and hold the login
                assert one.get("/user/me", headers=auth).status_code == 200
                assert two.get("/user/me", headers=auth).status_code == 200
                time.sleep(0.02)
            for server in (a, b):
                wait_for(lambda s=server: _listeners(database_url, s.worker_pids()) == 1)
            assert one.post("/logout", headers=auth).status_code == 204
            answered = time.monotonic()
            while (status := two.get("/user/me", headers=auth).status_code) == 200:
                assert time.monotonic() - answered < 2.0
            refused = time.monotonic() - answered
            assert status == 401
            print(f"refused by the other server {refused * 1000:.1f} ms after the logout")
            assert refused < REVOCATION_BOUND, refused
    finally:
        reset_database(app)


def test_the_cache_comes_back_after_the_engine_is_disposed(client, live, user):
    """`Engine.dispose()` ends the listener with the pool, but the engine goes on serving: so
    does the cache, with a listener of its own again."""
    warm(client, live, user)
    first = live.listener_pid
    client.application.extensions["engine"].dispose()
    assert not live.usable() and len(live) == 0
    warm(client, live, user)
    assert live.listener_pid not in (None, first)
