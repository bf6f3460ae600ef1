"""API2:2023 Broken Authentication.

Tokens are HS256 JWTs checked for signature, algorithm, expiry, kind (access/refresh), and
against the token family stored in the database (logout and refresh re-use revoke it). Login
is rate-limited per client address, answers unknown emails and wrong passwords alike, and
passwords are stored only as argon2id hashes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import jwt as pyjwt
import pytest
from sqlalchemy import select

from storeapi.app import create_app
from storeapi.models import User
from tests.conftest import JWT_KEY, PASSWORD, assert_problem, test_settings


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims_of(token: str) -> dict:
    return pyjwt.decode(token, JWT_KEY, algorithms=["HS256"], options={"verify_exp": False})


def forgeries(token: str) -> dict[str, str]:
    """Ways to make a token the server must refuse, from a genuine one."""
    head, payload, signature = token.split(".")
    claims = claims_of(token)
    now = int(dt.datetime.now(dt.UTC).timestamp())
    return {
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg none keeping the signature": f"{b64({'alg': 'none'})}.{payload}.{signature}",
        "another key": pyjwt.encode(claims, "x" * 48, "HS256"),
        "alg confusion RS256 header": f"{b64({'alg': 'RS256'})}.{payload}.{signature}",
        "HS512 with the right key": pyjwt.encode(claims, JWT_KEY, "HS512"),
        "payload swapped": f"{head}.{b64({**claims, 'sub': '999'})}.{signature}",
        "expired": pyjwt.encode({**claims, "exp": now - 60, "iat": now - 960}, JWT_KEY, "HS256"),
        "not yet valid": pyjwt.encode({**claims, "nbf": now + 3600}, JWT_KEY, "HS256"),
        "refresh kind": pyjwt.encode({**claims, "type": "refresh"}, JWT_KEY, "HS256"),
        "no family": pyjwt.encode(
            {k: v for k, v in claims.items() if k != "fam"}, JWT_KEY, "HS256"
        ),
        "truncated": token[:-5],
    }


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_every_forged_token_is_refused_and_changes_nothing(client, user) -> None:
    for name, forged in forgeries(user.access).items():
        r = client.post("/store", json={"name": f"By {name}"}, headers=_bearer(forged))
        body = assert_problem(r, 401)
        assert r.headers["WWW-Authenticate"].startswith("Bearer"), name
        assert "traceback" not in json.dumps(body).lower()
    assert client.get("/store").get_json()["stores"] == []
    # the genuine token still works
    assert client.post("/store", json={"name": "Genuine"}, headers=user.headers).status_code == 201


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_revokes_the_access_token_and_its_refresh_token(client, user) -> None:
    assert client.post("/logout", headers=user.headers).status_code == 204
    assert_problem(client.post("/store", json={"name": "x"}, headers=user.headers), 401)
    assert_problem(client.post("/refresh", headers=_bearer(user.refresh)), 401)


def test_refresh_token_reuse_revokes_the_whole_login(client, user) -> None:
    first = client.post("/refresh", headers=_bearer(user.refresh))
    assert first.status_code == 200
    newer = first.get_json()
    reused = client.post("/refresh", headers=_bearer(user.refresh))  # a stolen, older copy
    assert assert_problem(reused, 401)["type"].endswith("/refresh-token-reused")
    # the thief's replay took down every token of that login, the legitimate user's too
    assert_problem(client.post("/refresh", headers=_bearer(newer["refresh_token"])), 401)
    assert_problem(client.post("/logout", headers=_bearer(newer["access_token"])), 401)
    assert_problem(client.post("/logout", headers=user.headers), 401)


def test_an_access_token_is_not_a_refresh_token_and_vice_versa(client, user) -> None:
    assert_problem(client.post("/refresh", headers=user.headers), 401)
    assert_problem(client.post("/store", json={"name": "x"}, headers=_bearer(user.refresh)), 401)


def test_unknown_email_and_wrong_password_are_indistinguishable(client, user) -> None:
    wrong_password = client.post("/login", json={"email": user.email, "password": "nope nope"})
    unknown_email = client.post("/login", json={"email": "nobody@example.com", "password": "x"})
    a, b = assert_problem(wrong_password, 401), assert_problem(unknown_email, 401)
    assert {k: v for k, v in a.items() if k != "instance"} == {
        k: v for k, v in b.items() if k != "instance"
    }


def test_passwords_are_stored_only_as_argon2id_hashes(client, user) -> None:
    engine = client.application.extensions["engine"]
    with engine.connect() as conn:
        stored = conn.execute(select(User.password_hash).where(User.id == user.id)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_token_responses_are_never_cached(client, user) -> None:
    r = client.post("/login", json={"email": user.email, "password": PASSWORD})
    assert r.headers["Cache-Control"] == "no-store"
    r = client.post("/refresh", headers=_bearer(user.refresh))
    assert r.headers["Cache-Control"] == "no-store"


@pytest.fixture
def limited_client(database_url, client):  # type: ignore[no-untyped-def]
    """The same database, with the production rate limits switched on (counted in memory)."""
    app = create_app(
        test_settings(database_url, rate_limits_enabled=True, login_rate_limit="5 per minute")
    )
    yield app.test_client()
    app.extensions["engine"].dispose()


def test_password_guessing_hits_the_login_rate_limit(limited_client, user) -> None:
    guesses = [
        limited_client.post("/login", json={"email": user.email, "password": f"guess {i}"})
        for i in range(6)
    ]
    assert [r.status_code for r in guesses] == [401] * 5 + [429]
    assert int(guesses[-1].headers["Retry-After"]) > 0
    assert_problem(guesses[-1], 429)
    # within the window even the right password is refused: guessing cannot just continue
    right = limited_client.post("/login", json={"email": user.email, "password": PASSWORD})
    assert right.status_code == 429
    # another address has its own budget
    other = limited_client.post(
        "/login",
        json={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other.status_code == 200
