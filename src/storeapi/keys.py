"""One key per purpose, derived from the configured secret (HKDF-SHA256, RFC 5869).

A key used for two jobs lets a value made for one be accepted by the other (a cursor's MAC as
a session signature, say); deriving each purpose's key keeps them apart while the deployment
still configures a single secret. HKDF is a few lines of `hmac`, so no library is added for it;
tests/security/test_keys.py holds it to the RFC's test vectors.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

# A fixed salt: the secret is already high-entropy (settings refuse short ones); the salt only
# separates this application's keys from any other HKDF use of the same secret.
SALT = b"storeapi key derivation v1"


def hkdf_sha256(secret: bytes, info: bytes, length: int = 32, salt: bytes = SALT) -> bytes:
    """RFC 5869's extract-then-expand with HMAC-SHA256."""
    if not 0 < length <= 255 * 32:
        raise ValueError("HKDF-SHA256 derives 1 to 8160 bytes")
    prk = hmac.new(salt or bytes(32), secret, hashlib.sha256).digest()
    okm, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
    return okm[:length]


@dataclass(frozen=True)
class Keys:
    """The application's keys, one per job; none is the configured secret itself."""

    jwt: bytes  # signs access and refresh tokens (HS256)
    session: str  # Flask's SECRET_KEY: the admin panel's session cookie and its CSRF tokens
    admin_password: bytes  # ties an admin session to the password it was opened with
    cursor: bytes  # signs pagination cursors
    idempotency: bytes  # keys the fingerprint of a request stored with its Idempotency-Key
    mail_token: bytes  # hashes the single-use tokens of mailed links before they are stored

    @classmethod
    def derive(cls, secret: str) -> Keys:
        def key(purpose: str) -> bytes:
            return hkdf_sha256(secret.encode(), purpose.encode())

        return cls(
            jwt=key("jwt-hs256"),
            session=key("flask-session").hex(),
            admin_password=key("admin-password-fingerprint"),
            cursor=key("pagination-cursor"),
            idempotency=key("idempotency-fingerprint"),
            mail_token=key("mail-link-token"),
        )
