"""Users: registration, login, logout, refresh, admin access to users, `create-admin`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from storeapi.app import create_app
from storeapi.auth import passwords
from storeapi.models import User
from tests.conftest import (
    PASSWORD,
    assert_problem,
    create_store,
    non_fresh,
    once_seen,
    test_settings,
)


def register(client, email: str = "ann@example.com", password: str = PASSWORD, **extra):
    return client.post("/register", json={"email": email, "password": password, **extra})


def login(client, email: str = "ann@example.com", password: str = PASSWORD):
    return client.post("/login", json={"email": email, "password": password})


def stored_user(client, email: str):
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(User).where(User.email == email)).first()


# --- register -----------------------------------------------------------------------------


def test_register_creates_a_user_and_answers_201_with_location(client, admin):
    r = register(client)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert r.headers["Location"] == f"/user/{body['id']}"
    assert body["email"] == "ann@example.com"
    assert body["is_admin"] is False
    assert body["_links"]["self"]["href"] == f"/user/{body['id']}"
    assert r.headers["Cache-Control"] == "no-store"
    r = client.get(r.headers["Location"], headers=admin.headers)
    assert r.status_code == 200
    assert r.get_json() == body


def test_register_response_never_contains_password_material(client):
    r = register(client, password="a very private secret")
    assert r.status_code == 201
    assert set(r.get_json()) == {"id", "email", "is_admin", "created_at", "_links"}
    assert b"private secret" not in r.data and b"argon2" not in r.data


def test_password_is_stored_as_an_argon2id_hash(client):
    assert register(client, password="a very private secret").status_code == 201
    row = stored_user(client, "ann@example.com")
    assert row.password_hash.startswith("$argon2id$")
    assert "private secret" not in row.password_hash


@pytest.mark.parametrize(
    "first, second",
    [
        ("ann@example.com", "ann@example.com"),
        ("ann@example.com", "ANN@Example.COM"),
        ("Ann@Example.com", "ann@example.com"),
        ("ann@example.com", "  ann@example.com  "),
    ],
)
def test_email_is_unique_case_insensitively(client, first, second):
    assert register(client, first).status_code == 201
    body = assert_problem(register(client, second, password="another password"), 409)
    assert body["type"].endswith("/email-taken")
    assert login(client, second, "another password").status_code == 401
    assert login(client, second).status_code == 200


@pytest.mark.parametrize(
    "email", ["", "not-an-email", "ann@", "@example.com", "ann@@example.com", "a" * 250 + "@ex.com"]
)
def test_invalid_email_is_refused_with_422(client, email):
    body = assert_problem(register(client, email), 422)
    assert [e["field"] for e in body["errors"]] == ["email"]
    assert body["errors"][0]["message"]


@pytest.mark.parametrize("length, status", [(0, 422), (7, 422), (8, 201), (128, 201), (129, 422)])
def test_password_must_have_8_to_128_characters(client, length, status):
    r = register(client, password="p" * length)
    assert r.status_code == status, r.get_json()
    if status == 422:
        body = assert_problem(r, 422)
        assert body["errors"] == [{"field": "password", "message": body["errors"][0]["message"]}]
        assert "8" in body["errors"][0]["message"] or "128" in body["errors"][0]["message"]
        assert login(client, password="p" * length).status_code in (401, 422)
    else:
        assert login(client, password="p" * length).status_code == 200


def test_password_length_counts_characters_not_bytes(client):
    assert register(client, password="ü" * 8).status_code == 201
    assert login(client, password="ü" * 8).status_code == 200


def test_password_whitespace_is_kept_verbatim(client):
    assert register(client, password="  spaced secret  ").status_code == 201
    assert_problem(login(client, password="spaced secret"), 401)
    assert login(client, password="  spaced secret  ").status_code == 200


def test_missing_fields_are_each_reported(client):
    body = assert_problem(client.post("/register", json={}), 422)
    assert sorted(e["field"] for e in body["errors"]) == ["email", "password"]


@pytest.mark.parametrize(
    "extra", [{"is_admin": True}, {"id": 999}, {"password_hash": "x"}, {"created_at": "2020"}]
)
def test_unknown_fields_are_refused_so_no_mass_assignment(client, admin, extra):
    field = next(iter(extra))
    body = assert_problem(register(client, **extra), 422)
    assert [e["field"] for e in body["errors"]] == [field]
    assert login(client).status_code == 401  # nothing was created
    r = register(client)
    assert r.status_code == 201
    assert r.get_json()["is_admin"] is False
    assert r.get_json()["id"] != 999
    r = client.get(f"/user/{r.get_json()['id']}", headers=admin.headers)
    assert r.get_json()["is_admin"] is False


def test_register_and_login_accept_form_urlencoded_bodies(client):
    r = client.post("/register", data={"email": "form@example.com", "password": PASSWORD})
    assert r.status_code == 201
    assert r.get_json()["email"] == "form@example.com"
    r = client.post("/login", data={"email": "form@example.com", "password": PASSWORD})
    assert r.status_code == 200
    assert r.get_json()["access_token"]


def test_form_bodies_cannot_mass_assign_either(client):
    data = {"email": "form@example.com", "password": PASSWORD, "is_admin": "true"}
    body = assert_problem(client.post("/register", data=data), 422)
    assert [e["field"] for e in body["errors"]] == ["is_admin"]


def test_register_refuses_other_media_types_and_bad_json(client):
    r = client.post("/register", data="email=a", content_type="text/plain")
    assert_problem(r, 415)
    r = client.post("/register", data='{"email": ', content_type="application/json")
    assert_problem(r, 400)
    r = client.post("/register", json=["ann@example.com", PASSWORD])
    assert_problem(r, 422)


# --- login --------------------------------------------------------------------------------


def test_login_returns_a_fresh_access_token_and_a_refresh_token(client, user):
    r = login(client, user.email)
    assert r.status_code == 200
    body = r.get_json()
    assert body["token_type"] == "Bearer"
    assert body["access_token"] != body["refresh_token"]
    assert r.headers["Cache-Control"] == "no-store"
    store = client.post("/store", json={"name": "Fresh"}, headers=bearer(body["access_token"]))
    assert store.status_code == 201
    r = client.delete(f"/store/{store.get_json()['id']}", headers=bearer(body["access_token"]))
    assert r.status_code == 204  # fresh: allowed on 🔒🔒 endpoints


def test_login_email_is_case_insensitive(client, user):
    assert login(client, user.email.upper()).status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_401(client, user):
    unknown = login(client, "nobody@example.com")
    wrong = login(client, user.email, "wrong password!")
    for r in (unknown, wrong):
        assert_problem(r, 401)
        assert r.headers["Cache-Control"] == "no-store"
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert unknown.get_json() == wrong.get_json()
    assert unknown.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"]


def test_login_validates_its_body(client):
    body = assert_problem(client.post("/login", json={"email": "a@example.com"}), 422)
    assert [e["field"] for e in body["errors"]] == ["password"]
    body = assert_problem(client.post("/login", json={**_creds(), "remember": True}), 422)
    assert [e["field"] for e in body["errors"]] == ["remember"]


def _creds() -> dict[str, str]:
    return {"email": "a@example.com", "password": PASSWORD}


class CountingHasher(PasswordHasher):
    """The real hasher, counting how often a hash is verified."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024)
        self.verified: list[str] = []

    def verify(self, hash, password):  # type: ignore[no-untyped-def, override]
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


def test_verify_password_without_a_hash_still_runs_the_hasher(monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    assert passwords.verify_password(None, "anything at all") is False
    assert hasher.verified == [passwords._DUMMY_HASH]
    assert passwords._DUMMY_HASH.startswith("$argon2id$")
    # even the dummy's own password does not log anybody in
    assert passwords.verify_password(None, "storeapi-dummy-password-for-timing") is False
    good = hasher.hash("right password")
    assert passwords.verify_password(good, "right password") is True
    assert passwords.verify_password(good, "wrong password") is False
    assert passwords.verify_password("not a hash", "wrong password") is False


def test_login_for_an_unknown_email_verifies_a_hash_like_a_wrong_password(
    client, user, monkeypatch
):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    assert login(client, "nobody@example.com").status_code == 401
    assert hasher.verified == [passwords._DUMMY_HASH]
    assert login(client, user.email, "wrong password!").status_code == 401
    assert len(hasher.verified) == 2
    assert hasher.verified[1] == stored_user(client, user.email).password_hash


# --- logout and refresh -------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_revokes_the_access_and_the_refresh_token(client, user):
    r = client.post("/logout", headers=user.headers)
    assert r.status_code == 204
    for r in (
        client.post("/store", json={"name": "After"}, headers=user.headers),
        client.post("/refresh", headers=bearer(user.refresh)),
        client.post("/logout", headers=user.headers),
    ):
        body = assert_problem(r, 401)
        assert body["type"].endswith("/token-revoked")
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/store").status_code == 200


def test_logout_leaves_other_logins_of_the_same_user_alone(client, user):
    second = login(client, user.email).get_json()
    assert client.post("/logout", headers=user.headers).status_code == 204
    r = client.post("/store", json={"name": "Still in"}, headers=bearer(second["access_token"]))
    assert r.status_code == 201
    assert client.post("/refresh", headers=bearer(second["refresh_token"])).status_code == 200


def test_logout_needs_a_token(client):
    r = client.post("/logout")
    body = assert_problem(r, 401)
    assert body["type"].endswith("/missing-token")
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="storeapi"'


def test_refresh_gives_a_non_fresh_access_token_and_rotates_the_refresh_token(client, user):
    r = client.post("/refresh", headers=bearer(user.refresh))
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["refresh_token"] != user.refresh
    assert body["access_token"] != user.access
    store = client.post("/store", json={"name": "S"}, headers=bearer(body["access_token"]))
    assert store.status_code == 201  # 🔒 accepts a non-fresh token
    r = client.delete(f"/store/{store.get_json()['id']}", headers=bearer(body["access_token"]))
    assert assert_problem(r, 401)["type"].endswith("/fresh-token-required")
    assert client.get(f"/store/{store.get_json()['id']}").status_code == 200
    # the rotated refresh token works once more; the old one no longer does
    assert client.post("/refresh", headers=bearer(body["refresh_token"])).status_code == 200


# --- GET and DELETE /user/{id} --------------------------------------------------------------


def test_admin_reads_a_user_without_password_material(client, user, admin):
    r = client.get(f"/user/{user.id}", headers=admin.headers)
    assert r.status_code == 200
    body = r.get_json()
    assert body["id"] == user.id and body["email"] == user.email and body["is_admin"] is False
    assert "password" not in r.get_data(True) and "argon2" not in r.get_data(True)
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["ETag"]


def test_only_admins_read_users(client, user, other_user):
    assert_problem(client.get(f"/user/{user.id}", headers=other_user.headers), 403)
    assert_problem(client.get(f"/user/{user.id}", headers=user.headers), 403)
    r = client.get(f"/user/{user.id}")
    assert_problem(r, 401)
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_user_is_404_for_admins_and_403_for_others(client, user, admin):
    assert_problem(client.get("/user/999999", headers=admin.headers), 404)
    assert_problem(client.delete("/user/999999", headers=admin.headers), 404)
    assert_problem(client.get("/user/999999", headers=user.headers), 403)
    assert_problem(client.get("/user/not-a-number", headers=admin.headers), 404)


def test_admin_deletes_a_user_whose_tokens_then_stop_working(client, user, admin):
    store = create_store(client, user)
    r = client.delete(f"/user/{user.id}", headers=admin.headers)
    assert r.status_code == 204
    assert_problem(client.get(f"/user/{user.id}", headers=admin.headers), 404)
    assert_problem(client.post("/store", json={"name": "x"}, headers=user.headers), 401)
    assert_problem(client.post("/refresh", headers=bearer(user.refresh)), 401)
    assert_problem(login(client, user.email), 401)
    # the store is kept, without an owner
    assert client.get(f"/store/{store['id']}").get_json()["owner_id"] is None
    # and the email can be registered again
    assert register(client, user.email).status_code == 201


def test_deleting_a_user_needs_a_fresh_admin_token(client, user, admin):
    refreshed = non_fresh(client, admin)
    r = client.delete(f"/user/{user.id}", headers=refreshed.headers)
    body = assert_problem(r, 401)
    assert body["type"].endswith("/fresh-token-required")
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(f"/user/{user.id}", headers=refreshed.headers).status_code == 200


def test_users_cannot_delete_users_not_even_themselves(client, user, other_user):
    assert_problem(client.delete(f"/user/{other_user.id}", headers=user.headers), 403)
    assert_problem(client.delete(f"/user/{user.id}", headers=user.headers), 403)
    assert_problem(client.delete(f"/user/{user.id}"), 401)
    assert login(client, user.email).status_code == 200
    assert login(client, other_user.email).status_code == 200


def test_admin_rights_are_read_at_each_request(client, user, admin):
    from sqlalchemy import update

    with client.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == admin.id).values(is_admin=False))
    assert_problem(
        once_seen(lambda: client.get(f"/user/{user.id}", headers=admin.headers), 403), 403
    )


# --- storeapi create-admin ------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("storeapi")
    assert script.exists(), "the `storeapi` console script is not installed"
    return subprocess.run(
        [str(script), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "ADMIN_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
        STOREAPI_ENV="development",
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_KIB="1024",
        LOG_REQUESTS="false",
    )
    r = _cli("db", "upgrade", env=env)
    assert r.returncode == 0, r.stderr
    return env


def test_create_admin_command_makes_an_administrator(cli_env):
    r = _cli(
        "create-admin",
        "--email",
        "Boss@Example.com",
        env={**cli_env, "ADMIN_PASSWORD": "  boss password  "},
    )
    assert r.returncode == 0, r.stderr
    assert "is an administrator" in r.stdout
    assert "boss password" not in r.stdout + r.stderr

    app = create_app(test_settings(cli_env["DATABASE_URL"]))
    try:
        client = app.test_client()
        assert login(client, "boss@example.com", "boss password").status_code == 401
        r = login(client, "boss@example.com", "  boss password  ")
        assert r.status_code == 200
        token = r.get_json()["access_token"]
        assert register(client, "someone@example.com").status_code == 201
        someone = login(client, "someone@example.com").get_json()
        r = client.get("/user/2", headers=bearer(token))
        assert r.status_code == 200 and r.get_json()["email"] == "someone@example.com"
        assert_problem(client.get("/user/1", headers=bearer(someone["access_token"])), 403)

        # running it for an existing user promotes that user
        r = _cli(
            "create-admin",
            "--email",
            "SOMEONE@example.com",
            env={**cli_env, "ADMIN_PASSWORD": "ignored password"},
        )
        assert r.returncode == 0, r.stderr
        assert client.get("/user/1", headers=bearer(someone["access_token"])).status_code == 200
    finally:
        app.extensions["engine"].dispose()


@pytest.mark.parametrize(
    "email, password", [("not-an-email", "long enough password"), ("boss@example.com", "short")]
)
def test_create_admin_refuses_invalid_input(cli_env, email, password):
    r = _cli("create-admin", "--email", email, env={**cli_env, "ADMIN_PASSWORD": password})
    assert r.returncode != 0
    assert "Error" in r.stderr
    assert "Traceback" not in r.stderr
    app = create_app(test_settings(cli_env["DATABASE_URL"]))
    try:
        assert login(app.test_client(), email, password).status_code in (401, 422)
        with app.extensions["engine"].connect() as conn:
            assert conn.execute(select(User.id)).first() is None
    finally:
        app.extensions["engine"].dispose()
