"""The verified-token cache (storeapi.auth.verified_tokens): an access token's signature is
checked once per process, and everything that can change is still checked on every request:
expiry, freshness, token type, the key, the family's revocation and the caller's rights.

Each test first makes sure the token is in the cache, so the refusal it then asserts comes from
the cached path, not from a full verification.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections.abc import Iterator

import jwt as pyjwt
import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import update

from storeapi.app import create_app
from storeapi.auth import guards
from storeapi.auth.guards import TOKEN, Caller
from storeapi.auth.verified_tokens import MAX_TOKENS, Verified, VerifiedTokens, verified_tokens
from storeapi.models import User
from tests.conftest import JWT_KEY, SECRET, create_store, once_seen, test_settings
from tests.test_tokens import assert_unauthorized, b64, bearer, can_write, claims, mint_access


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens the guards verified in full with PyJWT (one signature check each), in order."""
    calls: list[str] = []

    class CountingJWT:
        def __getattr__(self, name: str) -> object:
            return getattr(pyjwt, name)

        def decode(self, token, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(token)
            return pyjwt.decode(token, *args, **kwargs)

    monkeypatch.setattr(guards, "jwt", CountingJWT())
    return calls


@pytest.fixture
def own_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """Another application on the same database, whose configuration a test may change."""
    other = create_app(test_settings(database_url))
    other.config["TESTING"] = True
    yield other
    other.extensions["engine"].dispose()


def cached(client: FlaskClient, token: str) -> bool:
    return token in verified_tokens(client.application)


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()) + 0.05)


# --- one verification per token ---------------------------------------------------------------


def test_an_access_token_is_verified_once_then_served_from_the_cache(client, user, full_checks):
    for _ in range(3):
        assert can_write(client, user.access)
    assert full_checks == [user.access]
    assert cached(client, user.access)


def test_a_request_gets_the_same_claims_and_caller_from_the_cache(app, client, user, full_checks):
    """What a handler sees is what a full decode gives, and no handler can change it."""
    seen = []
    for _ in range(3):  # a full verification, then the cache twice
        with app.test_request_context("/store", method="POST", headers=user.headers):
            caller = TOKEN.check()
            assert caller == Caller(user.id, False, email_verified=False) == g.caller
            seen.append(dict(caller.claims))
            with pytest.raises(TypeError):
                caller.claims["sub"] = "changed by a handler"  # type: ignore[index]
    assert full_checks == [user.access] and cached(client, user.access)
    assert seen == [claims(user.access)] * 3


# --- what is still checked on every request ---------------------------------------------------


def test_a_cached_token_loses_freshness_then_expires_on_time(client, user, full_checks):
    first, second = create_store(client, user, "first"), create_store(client, user, "second")
    token = mint_access(
        client, user, fresh=dt.timedelta(seconds=1), lifetime=dt.timedelta(seconds=3)
    )
    fresh_until, expires = claims(token)["fresh"], claims(token)["exp"]
    assert client.delete(f"/store/{first['id']}", headers=bearer(token)).status_code == 204
    assert cached(client, token)

    wait_until(fresh_until)
    r = client.delete(f"/store/{second['id']}", headers=bearer(token))
    assert_unauthorized(r, "fresh-token-required")
    assert can_write(client, token)  # no longer fresh, still valid

    wait_until(expires)
    body = assert_unauthorized(client.post("/logout", headers=bearer(token)), "token-expired")
    assert "expired" in body["detail"]
    assert full_checks.count(token) == 1  # refused by the cached path, which then dropped it
    assert not cached(client, token)
    r = client.post("/logout", headers=bearer(token))
    assert_unauthorized(r, "token-expired")
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="storeapi", error="invalid_token"'


def test_expiry_of_a_cached_token_uses_the_configured_leeway(own_app, user, full_checks):
    own = own_app.test_client()
    own_app.config["JWT_DECODE_LEEWAY"] = 30
    late = mint_access(own, user, lifetime=dt.timedelta(seconds=-2))  # within the leeway
    assert can_write(own, late) and cached(own, late)
    own_app.config["JWT_DECODE_LEEWAY"] = dt.timedelta(seconds=30)  # PyJWT takes either
    assert can_write(own, late)
    own_app.config["JWT_DECODE_LEEWAY"] = 0
    assert_unauthorized(own.post("/logout", headers=bearer(late)), "token-expired")
    assert full_checks == [late] and not cached(own, late)


@pytest.mark.parametrize("claim", ["iat", "nbf"])
def test_a_cached_token_not_yet_valid_without_the_leeway_is_refused(
    own_app, user, full_checks, claim
):
    own = own_app.test_client()
    own_app.config["JWT_DECODE_LEEWAY"] = 30
    early = pyjwt.encode({**claims(user.access), claim: int(time.time()) + 20}, JWT_KEY, "HS256")
    assert can_write(own, early) and cached(own, early)
    own_app.config["JWT_DECODE_LEEWAY"] = 0
    assert_unauthorized(own.post("/logout", headers=bearer(early)), "invalid-token")
    own_app.config["JWT_DECODE_LEEWAY"] = 30
    assert can_write(own, early)  # still the same token, valid again with the leeway
    assert full_checks == [early]


def test_a_cached_token_is_refused_once_its_login_is_logged_out(client, user):
    assert can_write(client, user.access) and cached(client, user.access)
    assert client.post("/logout", headers=user.headers).status_code == 204
    assert_unauthorized(
        client.post("/store", json={"name": "x"}, headers=user.headers), "token-revoked"
    )


def test_admin_rights_are_read_per_request_not_cached_with_the_token(client, user, admin):
    assert client.get(f"/user/{user.id}", headers=admin.headers).status_code == 200
    assert cached(client, admin.access)
    with client.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == admin.id).values(is_admin=False))
    r = once_seen(lambda: client.get(f"/user/{user.id}", headers=admin.headers), 403)
    assert r.status_code == 403


def test_a_cached_access_token_is_still_not_a_refresh_token(client, user):
    assert can_write(client, user.access) and cached(client, user.access)
    assert_unauthorized(client.post("/refresh", headers=user.headers), "invalid-token")
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200


def test_refresh_tokens_are_never_cached(client, user):
    """They are used once, then rotated: caching them would only push access tokens out."""
    assert_unauthorized(
        client.post("/store", json={"name": "x"}, headers=bearer(user.refresh)), "invalid-token"
    )
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200
    assert not cached(client, user.refresh)


# --- a different token string, or a different key, is verified in full -----------------------


def test_tampered_copies_of_a_cached_token_are_refused(client, user, other_user):
    assert can_write(client, user.access) and cached(client, user.access)
    head, payload, signature = user.access.split(".")
    flipped = "A" if signature[10] != "A" else "B"
    forged_claims = {**claims(user.access), "sub": str(other_user.id)}
    copies = [
        f"{head}.{payload}.{signature[:10]}{flipped}{signature[11:]}",  # signature changed
        f"{head}.{b64(forged_claims)}.{signature}",  # claims changed, signature kept
        f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.{signature}",  # alg changed
        pyjwt.encode(claims(user.access), "another-secret-that-is-long-enough-0123456789"),
    ]
    for copy in copies:
        assert_unauthorized(client.post("/logout", headers=bearer(copy)), "invalid-token")
        assert not cached(client, copy)
    assert can_write(client, user.access)


def test_a_cached_token_is_refused_by_an_application_with_another_key(client, user, database_url):
    assert can_write(client, user.access) and cached(client, user.access)
    other = create_app(test_settings(database_url, jwt_secret_key="k" * 40 + "-another-key"))
    try:
        r = other.test_client().post("/logout", headers=user.headers)
        assert_unauthorized(r, "invalid-token")
    finally:
        other.extensions["engine"].dispose()


def test_a_cached_token_is_verified_again_when_the_key_changes(own_app, user, full_checks):
    own = own_app.test_client()
    assert can_write(own, user.access) and cached(own, user.access)
    own_app.config["JWT_SECRET_KEY"] = b"k" * 40 + b"-rotated-key"
    assert_unauthorized(own.post("/logout", headers=user.headers), "invalid-token")
    same_key = bytes(bytearray(JWT_KEY))
    assert same_key == JWT_KEY and same_key is not JWT_KEY
    own_app.config["JWT_SECRET_KEY"] = same_key  # equal, but another object: verified anew
    assert can_write(own, user.access)
    assert full_checks == [user.access] * 3


# --- bounded ----------------------------------------------------------------------------------


def entry(n: int) -> Verified:
    return Verified.of(SECRET, {"n": n})


def test_the_cache_keeps_the_most_recently_used_tokens_up_to_its_size():
    tokens = VerifiedTokens(maxsize=3)
    for name in "abc":
        tokens.put(name, entry(ord(name)))
    assert tokens.get("a") is not None  # "a" is now the most recently used
    tokens.put("d", entry(4))
    assert len(tokens) == 3
    assert "b" not in tokens and all(name in tokens for name in "acd")


def test_each_application_has_a_bounded_cache_and_an_evicted_token_still_works(
    own_app, client, user, other_user, admin, full_checks
):
    assert verified_tokens(client.application).maxsize == MAX_TOKENS
    own = own_app.test_client()
    verified_tokens(own_app).maxsize = 2
    for account in (user, other_user, admin):
        assert can_write(own, account.access)
    assert len(verified_tokens(own_app)) == 2 and not cached(own, user.access)
    assert can_write(own, user.access)  # verified in full again
    assert full_checks == [user.access, other_user.access, admin.access, user.access]


def test_the_cache_stays_bounded_and_consistent_under_concurrent_use():
    tokens = VerifiedTokens(maxsize=16)
    errors: list[BaseException] = []

    def hammer(offset: int) -> None:
        try:
            for i in range(3000):
                name = str((i * 7 + offset) % 40)
                if tokens.get(name) is None:
                    tokens.put(name, entry(i))
                if i % 5 == 0:
                    tokens.discard(name)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, so a race would show
    try:
        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and len(tokens) <= 16
