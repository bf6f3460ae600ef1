"""JWTs with flask-jwt-extended, and token families kept in the database.

Each login opens a family. Access and refresh tokens carry its id (`fam`); the family holds the
one refresh token id that may be used next. Logout revokes the family; a refresh rotates it; a
rotated (older) refresh token presented again is treated as stolen and revokes the family.
Because families live in the database, every process sees a revocation at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask, Response, current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import bindparam, insert, select, update

from storeapi import db
from storeapi.auth.guards import Caller
from storeapi.auth.verified_tokens import CachingJWTManager, well_formed
from storeapi.http.problems import Problem, problem_response
from storeapi.models import TokenFamily, User, utcnow
from storeapi.settings import Settings

jwt = CachingJWTManager()  # verifies each access token's signature once per process


def configure(app: Flask, settings: Settings) -> None:
    app.config.update(
        JWT_SECRET_KEY=settings.jwt_secret_key,
        JWT_ALGORITHM="HS256",
        JWT_DECODE_ALGORITHMS=["HS256"],
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ACCESS_TOKEN_EXPIRES=dt.timedelta(minutes=settings.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=dt.timedelta(days=settings.refresh_token_days),
        JWT_ERROR_MESSAGE_KEY="detail",
        PROPAGATE_EXCEPTIONS=False,
    )
    app.config["FRESH_MINUTES"] = settings.fresh_minutes
    app.config["LOGIN_MAX_DAYS"] = settings.login_max_days
    jwt.init_app(app)


def unauthorized(detail: str, kind: str = "invalid-token", error: str | None = None) -> Problem:
    """A 401 problem with its RFC 6750 `WWW-Authenticate: Bearer` challenge."""
    challenge = 'Bearer realm="storeapi"'
    if error is not None:
        challenge += f', error="{error}"'
    return Problem(401, detail, type=kind, headers={"WWW-Authenticate": challenge})


def _unauthorized(detail: str, kind: str = "invalid-token", error: str | None = None) -> Response:
    return problem_response(unauthorized(detail, kind, error))


@jwt.unauthorized_loader
def _missing(reason: str) -> Response:
    # RFC 6750 §3.1: no error code when the client sent no Bearer credentials at all.
    return _unauthorized("An access token is required (Authorization: Bearer …)", "missing-token")


@jwt.invalid_token_loader
def _invalid(reason: str) -> Response:
    return _unauthorized("The token is not valid", error="invalid_token")


@jwt.expired_token_loader
def _expired(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
    return _unauthorized("The token has expired", "token-expired", "invalid_token")


@jwt.revoked_token_loader
def _revoked(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
    return _unauthorized("The token has been revoked", "token-revoked", "invalid_token")


@jwt.needs_fresh_token_loader
def _not_fresh(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
    return _unauthorized(
        "This needs a fresh token: log in again", "fresh-token-required", "invalid_token"
    )


@jwt.user_lookup_error_loader
def _no_user(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
    return _unauthorized("The token has been revoked", "token-revoked", "invalid_token")


@jwt.token_verification_failed_loader
def _failed(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
    return _unauthorized("The token is not valid", error="invalid_token")


# A prepared read: outside a write it runs in autocommit, so on SQLite a writer does not take
# the write lock (and make the other writers queue) while its token is being checked.
# A login ends at its family's `expires_at` (LOGIN_MAX_DAYS after the login), however often it
# was refreshed since.
LIVE_FAMILY_OWNER = db.Prepared(
    select(User.id, User.is_admin, User.email_verified_at)
    .join(TokenFamily, TokenFamily.user_id == User.id)
    .where(
        TokenFamily.id == bindparam("family"),
        TokenFamily.revoked_at.is_(None),
        TokenFamily.expires_at > bindparam("now"),
    )
)


@jwt.token_in_blocklist_loader
def _is_revoked(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
    """One query: is the family live, and who is the caller (admin rights are read fresh)."""
    if not well_formed(payload):
        raise unauthorized("The token is not valid", error="invalid_token")
    row = LIVE_FAMILY_OWNER.first({"family": payload["fam"], "now": utcnow()})
    if row is None or str(row.id) != payload.get("sub"):
        return True
    g.caller = Caller(row.id, row.is_admin, row.email_verified_at is not None)
    return False


def _issue(user_id: int, family: str, refresh_jti: str, fresh: bool) -> dict[str, str]:
    fresh_for: bool | dt.timedelta = (
        dt.timedelta(minutes=current_app.config["FRESH_MINUTES"]) if fresh else False
    )
    claims = {"fam": family}
    access = create_access_token(str(user_id), fresh=fresh_for, additional_claims=claims)
    refresh = create_refresh_token(str(user_id), additional_claims={**claims, "jti": refresh_jti})
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
    return _issue(user_id, family, refresh_jti, fresh=True)


def rotate(payload: dict[str, Any]) -> dict[str, str]:
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
            "This refresh token was already used; all tokens of this login are revoked",
            "refresh-token-reused",
            "invalid_token",
        )
    return _issue(int(payload["sub"]), family, new_jti, fresh=False)


def revoke_family(family: str) -> None:
    db.session().execute(
        update(TokenFamily)
        .where(TokenFamily.id == family, TokenFamily.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_logins(user_id: int, keep_family: str | None = None) -> None:
    """End every login of a user at once (a password changed), except `keep_family`."""
    where = [TokenFamily.user_id == user_id, TokenFamily.revoked_at.is_(None)]
    if keep_family is not None:
        where.append(TokenFamily.id != keep_family)
    db.session().execute(update(TokenFamily).where(*where).values(revoked_at=utcnow()))
