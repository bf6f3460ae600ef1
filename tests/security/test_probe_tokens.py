"""Findings of the outside security probe on bearer tokens, kept as regressions.

- A token without `exp` never expires: it must be refused, even signed with our key.
- The `Bearer` scheme is case-insensitive (RFC 7235 §2.1): `bearer …` must be accepted.
"""

from __future__ import annotations

import jwt as pyjwt
import pytest

from tests.conftest import JWT_KEY
from tests.test_tokens import assert_unauthorized, bearer, can_write, claims


def without_expiry(token: str) -> str:
    return pyjwt.encode({k: v for k, v in claims(token).items() if k != "exp"}, JWT_KEY, "HS256")


def test_an_access_token_without_an_expiry_is_refused(client, user):
    forever = without_expiry(user.access)
    for r in (
        client.post("/store", json={"name": "x"}, headers=bearer(forever)),
        client.post("/logout", headers=bearer(forever)),
        client.get(f"/user/{user.id}", headers=bearer(forever)),
    ):
        assert_unauthorized(r, "invalid-token")
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="storeapi", error="invalid_token"'
    assert client.get("/store").get_json()["stores"] == []
    assert can_write(client, user.access)  # the real token, with its `exp`, still works


def test_a_refresh_token_without_an_expiry_is_refused(client, user):
    forever = without_expiry(user.refresh)  # the same family and jti: only `exp` missing
    assert_unauthorized(client.post("/refresh", headers=bearer(forever)), "invalid-token")
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR"])
def test_the_bearer_scheme_is_accepted_in_any_case(client, user, scheme):
    r = client.post(
        "/store", json={"name": "x"}, headers={"Authorization": f"{scheme} {user.access}"}
    )
    assert r.status_code == 201, r.get_json()
    r = client.post("/logout", headers={"Authorization": f"{scheme} {user.access}"})
    assert r.status_code == 204
    assert_unauthorized(client.post("/logout", headers=bearer(user.access)), "token-revoked")


@pytest.mark.parametrize(
    "authorization, kind",
    [
        ("bearer not-a-jwt", "invalid-token"),  # a token was sent: it is checked, not ignored
        ("bearer", "invalid-token"),
        ("bearer a.b.c extra", "invalid-token"),
        ("Bearer {token}, bearer {token}", "missing-token"),  # two Bearer credentials
        ("Basic dXNlcjpwYXNz", "missing-token"),
    ],
)
def test_a_lower_case_scheme_with_a_bad_credential_is_still_refused(
    client, user, authorization, kind
):
    header = authorization.format(token=user.access)
    r = client.post("/store", json={"name": "x"}, headers={"Authorization": header})
    assert_unauthorized(r, kind)
    assert client.get("/store").get_json()["stores"] == []
