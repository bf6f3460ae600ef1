"""Issuing JWTs, and token families kept in the database.

Each login opens a family. Access and refresh tokens carry its id (`fam`); the family holds the
one refresh token id that may be used next. Logout revokes the family; a refresh rotates it; a
rotated (older) refresh token presented again is treated as stolen and revokes the family.
Because families live in the database, every process sees a revocation: the guards check it on
every request, the process that revoked at once and the others within 100 ms (auth/live_logins.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import jwt
from flask import Flask, current_app, g
from sqlalchemy import insert, update

from storeapi import db
from storeapi.auth.guards import ALGORITHM, unauthorized
from storeapi.auth.live_logins import forget_after_commit, init_live_logins
from storeapi.auth.verified_tokens import init_verified_tokens
from storeapi.models import TokenFamily, utcnow
from storeapi.settings import Settings


def configure(app: Flask, settings: Settings) -> None:
    app.config.update(
        JWT_SECRET_KEY=app.extensions["keys"].jwt,  # derived: see storeapi/keys.py
        JWT_ACCESS_TOKEN_EXPIRES=dt.timedelta(minutes=settings.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=dt.timedelta(days=settings.refresh_token_days),
        JWT_DECODE_LEEWAY=0,  # seconds (or a timedelta) of clock skew forgiven
        PROPAGATE_EXCEPTIONS=False,
    )
    app.config["FRESH_MINUTES"] = settings.fresh_minutes
    app.config["LOGIN_MAX_DAYS"] = settings.login_max_days
    init_verified_tokens(app)
    init_live_logins(app, settings.login_cache_enabled)


def encode_token(
    subject: str,
    kind: str,
    lifetime: dt.timedelta,
    fresh: bool | dt.timedelta = False,
    **claims: str,
) -> str:
    """A signed token; its claims, and their order, are those our tokens have always had."""
    now = dt.datetime.now(dt.UTC)
    payload: dict[str, Any] = {
        "fresh": (now + fresh).timestamp() if isinstance(fresh, dt.timedelta) else fresh,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "type": kind,
        "sub": subject,
        "nbf": now,
        "csrf": str(uuid.uuid4()),  # unused (no cookies), but tokens have always carried one
        "exp": now + lifetime,
        **claims,
    }
    return jwt.encode(payload, current_app.config["JWT_SECRET_KEY"], ALGORITHM)


def _issue(user_id: int, family: str, refresh_jti: str, fresh: bool) -> dict[str, str]:
    config, subject = current_app.config, str(user_id)
    fresh_for = dt.timedelta(minutes=config["FRESH_MINUTES"]) if fresh else False
    access = encode_token(
        subject, "access", config["JWT_ACCESS_TOKEN_EXPIRES"], fresh_for, fam=family
    )
    refresh = encode_token(
        subject, "refresh", config["JWT_REFRESH_TOKEN_EXPIRES"], fam=family, jti=refresh_jti
    )
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer"}


def open_family(user_id: int) -> dict[str, str]:
    """Tokens for a successful login: a fresh access token and a refresh token."""
    family, refresh_jti = str(uuid.uuid4()), str(uuid.uuid4())
    db.session().execute(
        insert(TokenFamily).values(
            id=family,
            user_id=user_id,
            refresh_jti=refresh_jti,
            created_at=utcnow(),
            expires_at=utcnow() + dt.timedelta(days=current_app.config["LOGIN_MAX_DAYS"]),
        )
    )
    g.signed_in = str(user_id)  # the login's write is this user's (db/replicas.py)
    return _issue(user_id, family, refresh_jti, fresh=True)


def rotate(payload: Mapping[str, Any]) -> dict[str, str]:
    """Swap a refresh token for a new pair; a stale one revokes its whole family."""
    family, new_jti = payload["fam"], str(uuid.uuid4())
    session = db.session()
    rotated = session.execute(
        update(TokenFamily)
        .where(
            TokenFamily.id == family,
            TokenFamily.refresh_jti == payload["jti"],
            TokenFamily.revoked_at.is_(None),
            TokenFamily.expires_at > utcnow(),  # a refresh never extends the login
        )
        .values(refresh_jti=new_jti)
    ).rowcount
    if rotated != 1:
        revoke_family(family)
        db.commit()
        raise unauthorized(
            "refresh-token-reused",
            "This refresh token was already used; all tokens of this login are revoked",
        )
    return _issue(int(payload["sub"]), family, new_jti, fresh=False)


def revoke_family(family: str) -> None:
    db.session().execute(
        update(TokenFamily)
        .where(TokenFamily.id == family, TokenFamily.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    forget_after_commit(family=family)


def revoke_user_logins(user_id: int, keep_family: str | None = None) -> None:
    """End every login of a user at once (a password changed), except `keep_family`."""
    where = [TokenFamily.user_id == user_id, TokenFamily.revoked_at.is_(None)]
    if keep_family is not None:
        where.append(TokenFamily.id != keep_family)
    db.session().execute(update(TokenFamily).where(*where).values(revoked_at=utcnow()))
    forget_after_commit(user_id=user_id)
