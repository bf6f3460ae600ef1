"""Single-use tokens for mail links (password reset, address verification).

The token is 256 random bits; only its HMAC-SHA256 under the `mail_token` key
(storeapi/keys.py) is stored, so a copy of the database opens no account. Each is bound to its
purpose, its user, an expiry, and a `binding`: a hash of the user's password hash and email
when it was issued, so a token dies as soon as either changes.
Using one is a conditional UPDATE (`used_at IS NULL AND expires_at > now`): of any number of
concurrent confirms exactly one changes the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import insert, update

from storeapi import db
from storeapi.models import LinkToken, User, utcnow
from storeapi.names import folded

RESET = "password-reset"
VERIFY = "verify-email"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{43}$"  # secrets.token_urlsafe(32)


def _digest(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def binding(password_hash: str, email: str) -> str:
    """What a token is tied to: it stops working when the password or the address changes."""
    return hashlib.sha256(f"{password_hash}\0{folded(email)}".encode()).hexdigest()


def issue(conn: Any, key: bytes, user: Any, purpose: str, lifetime: dt.timedelta) -> str:
    """A new token for `user` (a row with id, email, password_hash); returns the plain text,
    which only the mail ever holds. `conn` is any SQLAlchemy connection or session, `key` the
    deployment's `mail_token` key."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    conn.execute(
        insert(LinkToken).values(
            token_hash=_digest(key, token),
            purpose=purpose,
            user_id=user.id,
            binding=binding(user.password_hash, user.email),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def consume(token: str, purpose: str) -> User | None:
    """Use a token in the request's transaction: its user, or None when it is unknown, of
    another purpose, used, expired, or issued before the password or email changed."""
    now = utcnow()
    row = db.execute(
        update(LinkToken)
        .where(
            LinkToken.token_hash == _digest(current_app.extensions["keys"].mail_token, token),
            LinkToken.purpose == purpose,
            LinkToken.used_at.is_(None),
            LinkToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(LinkToken.user_id, LinkToken.binding)
    ).first()
    if row is None:
        return None
    user = db.session().get(User, row.user_id)
    if user is None or not hmac.compare_digest(
        binding(user.password_hash, user.email), row.binding
    ):
        return None
    return user
