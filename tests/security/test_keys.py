"""Each purpose has its own key, derived from the configured secret with HKDF (RFC 5869)."""

from __future__ import annotations

from dataclasses import astuple

import jwt as pyjwt
import pytest

from storeapi.keys import Keys, hkdf_sha256
from tests.conftest import JWT_KEY, SECRET, assert_problem


@pytest.mark.parametrize(
    ("ikm", "salt", "info", "length", "okm"),
    [
        (  # RFC 5869, A.1: basic test case with SHA-256
            bytes([0x0B] * 22),
            bytes(range(0x0D)),
            bytes(range(0xF0, 0xFA)),
            42,
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        ),
        (  # A.2: longer inputs and outputs
            bytes(range(0x50)),
            bytes(range(0x60, 0xB0)),
            bytes(range(0xB0, 0x100)),
            82,
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c6"
            "5e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
        ),
        (  # A.3: zero-length salt and info
            bytes([0x0B] * 22),
            b"",
            b"",
            42,
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        ),
    ],
)
def test_hkdf_matches_the_rfc_test_vectors(ikm, salt, info, length, okm):
    assert hkdf_sha256(ikm, info, length, salt=salt).hex() == okm


def test_every_purpose_gets_a_different_key_and_none_is_the_secret():
    secret = "x" * 48
    keys = [k.encode() if isinstance(k, str) else k for k in astuple(Keys.derive(secret))]
    assert len(set(keys)) == len(keys)
    assert secret.encode() not in keys
    assert Keys.derive(secret) == Keys.derive(secret)
    assert Keys.derive(secret).jwt != Keys.derive("y" * 48).jwt


def test_hkdf_refuses_lengths_it_cannot_derive():
    with pytest.raises(ValueError):
        hkdf_sha256(b"k", b"", 0)
    with pytest.raises(ValueError):
        hkdf_sha256(b"k", b"", 255 * 32 + 1)


def test_the_app_uses_a_derived_key_for_each_job(app):
    keys = app.extensions["keys"]
    assert app.config["SECRET_KEY"] == keys.session != SECRET
    assert app.config["JWT_SECRET_KEY"] == keys.jwt != SECRET.encode()


def test_a_token_signed_with_the_configured_secret_itself_is_refused(client, user):
    claims = pyjwt.decode(user.access, JWT_KEY, algorithms=["HS256"])
    raw = pyjwt.encode(claims, SECRET, "HS256")
    r = client.post("/store", json={"name": "x"}, headers={"Authorization": f"Bearer {raw}"})
    assert_problem(r, 401)
    assert client.post("/store", json={"name": "x"}, headers=user.headers).status_code == 201
