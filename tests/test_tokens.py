"""Token life: claims, rotation, re-use detection, revocation, and every way a token is refused.

Each refusal has a control beside it: the same token made the same way, minus the one defect,
is accepted, so a 401 here is caused by the defect under test and nothing else.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
import uuid

import jwt as pyjwt
import pytest
from sqlalchemy import select

from storeapi.app import create_app
from storeapi.auth.tokens import encode_token
from storeapi.models import TokenFamily
from tests.conftest import (
    JWT_KEY,
    PASSWORD,
    Account,
    assert_problem,
    create_store,
    test_settings,
)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims(token: str) -> dict:
    return pyjwt.decode(token, JWT_KEY, algorithms=["HS256"], options={"verify_exp": False})


def family_row(client, family: str):
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(TokenFamily).where(TokenFamily.id == family)).one()


def assert_unauthorized(response, kind: str) -> dict:
    body = assert_problem(response, 401)
    assert body["type"].endswith(f"/{kind}"), body
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="storeapi"')
    assert response.headers["Cache-Control"] == "no-store"
    assert "Traceback" not in response.get_data(True)
    return body


def can_write(client, token: str) -> bool:
    """True when the token is accepted on a 🔒 endpoint (a store is created)."""
    r = client.post("/store", json={"name": f"s-{uuid.uuid4().hex[:8]}"}, headers=bearer(token))
    if r.status_code == 201:
        return True
    assert_problem(r, 401)
    return False


def mint_access(
    client, account, fresh: bool | dt.timedelta = False, lifetime=dt.timedelta(minutes=15)
) -> str:
    """An access token of the account's real login, made as the API makes them."""
    fam = claims(account.access)["fam"]
    with client.application.app_context():
        return encode_token(str(account.id), "access", lifetime, fresh, fam=fam)


def mint_refresh(client, account, lifetime=dt.timedelta(days=1), **extra: str) -> str:
    """A refresh token of the account's real login (its family and current jti, unless
    `extra` says otherwise), made as the API makes them."""
    current = claims(account.refresh)
    extra = {"fam": current["fam"], "jti": current["jti"], **extra}
    with client.application.app_context():
        return encode_token(str(account.id), "refresh", lifetime, **extra)


def _pair(tokens: dict) -> dict[str, str]:
    return {"access": tokens["access_token"], "refresh": tokens["refresh_token"]}


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# --- what the tokens carry ------------------------------------------------------------------


def test_login_tokens_carry_their_family_and_the_family_stores_the_refresh_jti(client, user):
    access, refresh = claims(user.access), claims(user.refresh)
    assert access["type"] == "access" and refresh["type"] == "refresh"
    assert access["sub"] == refresh["sub"] == str(user.id)
    assert access["fam"] == refresh["fam"]
    assert access["jti"] != refresh["jti"]
    assert access["exp"] - access["iat"] == 15 * 60
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600
    assert access["fresh"] > time.time()  # fresh until a moment 15 minutes ahead
    assert access["fresh"] - access["iat"] == pytest.approx(15 * 60, abs=2)
    row = family_row(client, access["fam"])
    assert row.user_id == user.id and row.revoked_at is None
    assert row.refresh_jti == refresh["jti"]  # the jti the family expects is the token's


def test_tokens_keep_the_header_and_claims_clients_know(client, user):
    """The header and claim names (in their order) our tokens have always had; only the
    values differ from one token to the next."""
    refreshed = client.post("/refresh", headers=bearer(user.refresh)).get_json()
    names = ["fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp", "fam"]
    for token in (user.access, user.refresh, refreshed["access_token"]):
        assert pyjwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
        payload = claims(token)
        assert list(payload) == names
        assert payload["iat"] == payload["nbf"] and type(payload["exp"]) is int
        assert isinstance(payload["csrf"], str) and payload["csrf"] != payload["jti"]


def test_refresh_rotates_the_jti_the_family_stores(client, user):
    old = claims(user.refresh)
    r = client.post("/refresh", headers=bearer(user.refresh))
    assert r.status_code == 200
    pair = r.get_json()
    access, refresh = claims(pair["access_token"]), claims(pair["refresh_token"])
    assert access["fresh"] is False
    assert access["fam"] == refresh["fam"] == old["fam"]
    assert refresh["jti"] != old["jti"]
    assert family_row(client, old["fam"]).refresh_jti == refresh["jti"]


# --- expired, tampered, forged -------------------------------------------------------------


def test_expired_access_token_is_refused(client, user):
    expired = mint_access(client, user, lifetime=dt.timedelta(seconds=-5))
    body = assert_unauthorized(client.post("/logout", headers=bearer(expired)), "token-expired")
    assert "expired" in body["detail"]
    assert (
        'error="invalid_token"'
        in client.post("/logout", headers=bearer(expired)).headers["WWW-Authenticate"]
    )
    assert can_write(client, mint_access(client, user, lifetime=dt.timedelta(minutes=1)))


def test_expired_refresh_token_is_refused(client, user):
    expired = mint_refresh(client, user, lifetime=dt.timedelta(seconds=-5))
    valid = mint_refresh(client, user)
    assert_unauthorized(client.post("/refresh", headers=bearer(expired)), "token-expired")
    assert client.post("/refresh", headers=bearer(valid)).status_code == 200


def test_token_with_a_tampered_signature_is_refused(client, user):
    head, payload, signature = user.access.split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    tampered = f"{head}.{payload}.{signature[:middle]}{flipped}{signature[middle + 1 :]}"
    assert_unauthorized(client.post("/logout", headers=bearer(tampered)), "invalid-token")
    assert can_write(client, user.access)


def test_token_with_a_tampered_payload_is_refused(client, user, other_user):
    head, _, signature = user.access.split(".")
    forged_claims = {**claims(user.access), "sub": str(other_user.id)}
    forged = f"{head}.{b64(forged_claims)}.{signature}"
    assert_unauthorized(client.post("/logout", headers=bearer(forged)), "invalid-token")
    assert can_write(client, other_user.access)


@pytest.mark.parametrize("keep_signature", [False, True])
def test_alg_none_token_is_refused(client, user, keep_signature):
    _, payload, signature = user.access.split(".")
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    if keep_signature:
        unsigned += signature
    assert_unauthorized(client.post("/logout", headers=bearer(unsigned)), "invalid-token")
    assert can_write(client, user.access)


def test_token_signed_with_another_key_is_refused(client, user):
    payload = claims(user.access)
    foreign = pyjwt.encode(payload, "another-secret-that-is-long-enough-0123456789", "HS256")
    assert_unauthorized(client.post("/logout", headers=bearer(foreign)), "invalid-token")
    same_key = pyjwt.encode(payload, JWT_KEY, "HS256")
    assert client.post("/logout", headers=bearer(same_key)).status_code == 204


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_token_with_another_algorithm_is_refused_even_with_the_right_key(client, user):
    payload = claims(user.access)
    hs512 = pyjwt.encode(payload, JWT_KEY, "HS512")
    assert_unauthorized(client.post("/logout", headers=bearer(hs512)), "invalid-token")
    assert can_write(client, user.access)


@pytest.mark.parametrize(
    "authorization, kind",
    [
        ("Bearer", "invalid-token"),
        ("Bearer ", "invalid-token"),
        ("Bearer a.b.c extra", "invalid-token"),
        ("Basic dXNlcjpwYXNz", "missing-token"),
        ("Bearer not-a-jwt", "invalid-token"),
        ("Bearer a.b.c", "invalid-token"),
        ("Bearer " + "x" * 5000, "invalid-token"),
    ],
)
def test_malformed_authorization_headers_are_refused(client, authorization, kind):
    r = client.post("/store", json={"name": "x"}, headers={"Authorization": authorization})
    assert_unauthorized(r, kind)
    assert client.get("/store").get_json()["stores"] == []


def test_missing_token_challenge_carries_no_error_code(client):
    r = client.post("/store", json={"name": "x"})
    assert_unauthorized(r, "missing-token")
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="storeapi"'
    r = client.post("/store", json={"name": "x"}, headers={"Authorization": "Bearer"})
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="storeapi", error="invalid_token"'


# --- the wrong kind of token ----------------------------------------------------------------


def test_refresh_token_is_not_an_access_token(client, user, admin):
    assert_unauthorized(
        client.post("/store", json={"name": "x"}, headers=bearer(user.refresh)), "invalid-token"
    )
    assert_unauthorized(client.post("/logout", headers=bearer(user.refresh)), "invalid-token")
    assert_unauthorized(
        client.get(f"/user/{user.id}", headers=bearer(admin.refresh)), "invalid-token"
    )
    assert client.get("/store").get_json()["stores"] == []
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200


def test_access_token_is_not_a_refresh_token(client, user):
    assert_unauthorized(client.post("/refresh", headers=bearer(user.access)), "invalid-token")
    # the refused attempt did not burn the real refresh token
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200


# --- claims that do not match a live login ----------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"fam": None},
        {"fam": 5},
        {"jti": None},
        {"jti": ["a"]},
        {"type": "weird"},
        {"type": None},
        {"fresh": "yes"},
        {"fresh": None},
        {"fresh": [1]},
        {"sub": 1},
        {"sub": None},
        {"exp": "soon"},
        {"iat": "then"},
    ],
    ids=repr,
)
@pytest.mark.parametrize("method, path", [("POST", "/logout"), ("DELETE", "/store/{id}")])
def test_token_with_claims_of_the_wrong_shape_is_refused(client, user, change, method, path):
    """Even signed with our key, claims we never issue are a 401, not a crash."""
    store = create_store(client, user)
    payload = {**claims(user.access), **change}
    forged = pyjwt.encode(payload, JWT_KEY, "HS256")
    r = client.open(path.format(id=store["id"]), method=method, headers=bearer(forged))
    assert_unauthorized(r, "invalid-token")
    assert client.get(f"/store/{store['id']}").status_code == 200
    assert can_write(client, user.access)  # the login was not logged out


def test_token_without_a_family_is_refused(client, user):
    payload = {k: v for k, v in claims(user.access).items() if k != "fam"}
    assert_unauthorized(
        client.post("/logout", headers=bearer(pyjwt.encode(payload, JWT_KEY, "HS256"))),
        "invalid-token",
    )
    assert can_write(client, user.access)


def test_refresh_token_without_a_jti_is_refused_without_touching_the_family(client, user):
    payload = {k: v for k, v in claims(user.refresh).items() if k != "jti"}
    forged = pyjwt.encode(payload, JWT_KEY, "HS256")
    assert_unauthorized(client.post("/refresh", headers=bearer(forged)), "invalid-token")
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200


def test_token_of_an_unknown_family_is_refused(client, user):
    payload = {**claims(user.access), "fam": str(uuid.uuid4())}
    assert_unauthorized(
        client.post("/logout", headers=bearer(pyjwt.encode(payload, JWT_KEY, "HS256"))),
        "token-revoked",
    )


def test_token_whose_subject_is_not_the_family_owner_is_refused(client, user, other_user):
    payload = {**claims(user.access), "sub": str(other_user.id)}
    r = client.post("/store", json={"name": "x"}, headers=bearer(pyjwt.encode(payload, JWT_KEY)))
    assert_unauthorized(r, "token-revoked")
    assert client.get("/store").get_json()["stores"] == []


def test_token_of_a_deleted_user_is_refused(client, user, admin):
    assert client.delete(f"/user/{user.id}", headers=admin.headers).status_code == 204
    assert_unauthorized(client.post("/logout", headers=user.headers), "token-revoked")
    assert_unauthorized(client.post("/refresh", headers=bearer(user.refresh)), "token-revoked")
    # a token minted for that id with the old family is refused as well
    assert_unauthorized(
        client.post("/logout", headers=bearer(mint_access(client, user))), "token-revoked"
    )


# --- logout and refresh re-use ----------------------------------------------------------------


def test_logout_revokes_both_tokens_of_that_login(client, user):
    assert client.post("/logout", headers=user.headers).status_code == 204
    assert_unauthorized(
        client.post("/store", json={"name": "x"}, headers=user.headers), "token-revoked"
    )
    assert_unauthorized(client.post("/refresh", headers=bearer(user.refresh)), "token-revoked")
    assert family_row(client, claims(user.access)["fam"]).revoked_at is not None


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, user):
    second_login = client.post("/login", json={"email": user.email, "password": PASSWORD})
    second_login = Account(user.id, user.email, **_pair(second_login.get_json()))
    r = client.post("/refresh", headers=bearer(user.refresh))
    assert r.status_code == 200
    newest = r.get_json()

    body = assert_unauthorized(
        client.post("/refresh", headers=bearer(user.refresh)), "refresh-token-reused"
    )
    assert "revoked" in body["detail"]
    assert_unauthorized(
        client.post("/refresh", headers=bearer(newest["refresh_token"])), "token-revoked"
    )
    assert not can_write(client, newest["access_token"])
    assert not can_write(client, user.access)
    assert family_row(client, claims(user.access)["fam"]).revoked_at is not None
    # another login of the same user is another family, untouched
    assert can_write(client, second_login.access)
    assert client.post("/refresh", headers=bearer(second_login.refresh)).status_code == 200


def test_reuse_is_decided_by_the_jti_the_family_stores(client, user):
    """A refresh token of the right family but not its current jti counts as re-use."""
    stale = mint_refresh(client, user, jti=str(uuid.uuid4()))
    assert claims(stale)["jti"] != claims(user.refresh)["jti"]
    assert_unauthorized(client.post("/refresh", headers=bearer(stale)), "refresh-token-reused")
    assert_unauthorized(client.post("/refresh", headers=bearer(user.refresh)), "token-revoked")
    assert not can_write(client, user.access)


def test_a_refresh_token_with_the_stored_jti_rotates(client, user):
    copy = mint_refresh(client, user)
    assert client.post("/refresh", headers=bearer(copy)).status_code == 200
    # the original carried the same jti, so it is now a rotated one: re-use
    assert_unauthorized(
        client.post("/refresh", headers=bearer(user.refresh)), "refresh-token-reused"
    )


def test_refresh_chain_keeps_working_while_each_token_is_used_once(client, user):
    refresh = user.refresh
    for _ in range(3):
        r = client.post("/refresh", headers=bearer(refresh))
        assert r.status_code == 200
        refresh = r.get_json()["refresh_token"]
        assert can_write(client, r.get_json()["access_token"])


# --- freshness ------------------------------------------------------------------------------


def test_freshness_runs_out(client, user):
    store = create_store(client, user)
    stale = mint_access(client, user, fresh=dt.timedelta(seconds=-1))
    r = client.delete(f"/store/{store['id']}", headers=bearer(stale))
    body = assert_unauthorized(r, "fresh-token-required")
    assert "fresh" in body["detail"]
    assert client.get(f"/store/{store['id']}").status_code == 200
    fresh = mint_access(client, user, fresh=dt.timedelta(minutes=1))
    assert client.delete(f"/store/{store['id']}", headers=bearer(fresh)).status_code == 204


def test_a_revoked_non_fresh_token_is_reported_as_revoked(client, user):
    store = create_store(client, user)
    refreshed = client.post("/refresh", headers=bearer(user.refresh)).get_json()["access_token"]
    assert client.post("/logout", headers=bearer(refreshed)).status_code == 204
    r = client.delete(f"/store/{store['id']}", headers=bearer(refreshed))
    assert_unauthorized(r, "token-revoked")
    assert client.get(f"/store/{store['id']}").status_code == 200


# --- several processes share revocation -------------------------------------------------------


@pytest.fixture
def second_instance(app, database_url):
    """Another application instance on the same database, like a second API process."""
    other = create_app(test_settings(database_url))
    other.config["TESTING"] = True
    yield other.test_client()
    other.extensions["engine"].dispose()


def test_logout_on_one_instance_is_seen_by_another(client, second_instance, user):
    assert can_write(second_instance, user.access)
    assert client.post("/logout", headers=user.headers).status_code == 204
    assert_unauthorized(
        second_instance.post("/store", json={"name": "x"}, headers=user.headers), "token-revoked"
    )
    assert_unauthorized(
        second_instance.post("/refresh", headers=bearer(user.refresh)), "token-revoked"
    )


def test_refresh_reuse_is_detected_across_instances(client, second_instance, user):
    r = client.post("/refresh", headers=bearer(user.refresh))
    assert r.status_code == 200
    assert_unauthorized(
        second_instance.post("/refresh", headers=bearer(user.refresh)), "refresh-token-reused"
    )
    assert_unauthorized(
        client.post("/refresh", headers=bearer(r.get_json()["refresh_token"])), "token-revoked"
    )
