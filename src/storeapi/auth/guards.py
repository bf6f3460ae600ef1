"""Who may call: the bearer token checked before a handler runs, and the owner check inside it.

A token is verified with PyJWT, or found in the cache of verified tokens (`verified_tokens`);
either way its times, its type, its login (the token family: one query, or on PostgreSQL the
cache of live logins, `live_logins`) and, where asked, its freshness are checked on every
request. Every refusal is a 401 problem with an RFC 6750 challenge; its type says why
(docs/authentication.md).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import jwt
from flask import current_app, g, request
from sqlalchemy import bindparam, select

from storeapi import db
from storeapi.auth.live_logins import Login, live_logins
from storeapi.auth.verified_tokens import Verified, verified_tokens
from storeapi.db.replicas import replicas_of
from storeapi.http.problems import Problem
from storeapi.models import TokenFamily, User, utcnow

ALGORITHM = "HS256"
# Every token we issue has an `exp` (one without would never expire) and a `sub`. We issue no
# audience, and a token signed with our key can only come from us: an `aud` is not checked.
_DECODE_OPTIONS: Any = {"require": ["exp", "sub"], "verify_aud": False}
_CREDENTIALS = re.compile(r",\s*")  # Authorization may hold several, comma-separated


@dataclass(frozen=True)
class Caller:
    id: int
    is_admin: bool
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    email_verified: bool = True


@dataclass(frozen=True)
class Guard:
    fresh: bool = False
    refresh: bool = False
    admin: bool = False
    # REQUIRE_VERIFIED_EMAIL refuses writes by unverified accounts, except where this is set
    # (the caller's own account: resending the mail, changing the password, deleting it).
    unverified_ok: bool = False

    def check(self) -> Caller:
        claims = verified_claims(bearer_token())
        if (claims.get("type", "access") == "refresh") != self.refresh:
            raise invalid_token()
        # Freshness is checked after the login: a revoked token is reported as revoked, and an
        # odd `fresh` claim has been refused before it reaches a comparison.
        caller = g.caller = _live_caller(claims)
        if self.fresh and not _is_fresh(claims.get("fresh", False)):
            raise unauthorized("fresh-token-required", "This needs a fresh token: log in again")
        if self.admin and not caller.is_admin:
            raise Problem(403, "Only administrators may do this")
        if not (caller.email_verified or self.unverified_ok) and _verification_required():
            raise Problem(
                403, "Verify your email address before making changes", type="email-not-verified"
            )
        return caller


def _verification_required() -> bool:
    return request.method not in READS and current_app.extensions["settings"].require_verified_email


READS = frozenset({"GET", "HEAD", "OPTIONS"})


TOKEN = Guard()
FRESH = Guard(fresh=True)
REFRESH = Guard(refresh=True, unverified_ok=True)
ADMIN = Guard(admin=True)
ADMIN_FRESH = Guard(admin=True, fresh=True)
ACCOUNT = Guard(unverified_ok=True)  # the caller's own account (REQUIRE_VERIFIED_EMAIL aside)
ACCOUNT_FRESH = Guard(fresh=True, unverified_ok=True)


def current_caller() -> Caller:
    return g.caller


def token_user() -> str | None:
    """The user id in the request's bearer token when it verifies, else None; no database
    read (which replica a read may use is decided before the guard reads anything)."""
    try:
        sub = verified_claims(bearer_token()).get("sub")
    except Problem:
        return None
    return sub if isinstance(sub, str) else None


def writing_user() -> str | None:
    """Whose write this request is: the token's caller, or the user who just logged in."""
    caller: Caller | None = g.get("caller")
    return str(caller.id) if caller is not None else g.get("signed_in")


def require_owner(owner_id: int | None) -> None:
    """403 unless the caller owns the object's store or is an administrator."""
    caller = current_caller()
    if not (caller.is_admin or (owner_id is not None and caller.id == owner_id)):
        raise Problem(403, "Only the store's owner or an administrator may do this")


def unauthorized(kind: str, detail: str) -> Problem:
    """A 401 with its `WWW-Authenticate: Bearer` challenge; no error code when the client sent
    no Bearer credentials at all (RFC 6750 §3.1)."""
    challenge = 'Bearer realm="storeapi"'
    if kind != "missing-token":
        challenge += ', error="invalid_token"'
    return Problem(401, detail, type=kind, headers={"WWW-Authenticate": challenge})


def invalid_token() -> Problem:
    return unauthorized("invalid-token", "The token is not valid")


def bearer_token() -> str:
    """The token of the request's one Bearer credential, its scheme in any case (RFC 7235)."""
    header = request.headers.get("Authorization", "").strip().strip(",")
    bearers = [
        parts
        for parts in (credential.split() for credential in _CREDENTIALS.split(header))
        if parts and parts[0].lower() == "bearer"
    ]
    if len(bearers) != 1:
        raise unauthorized("missing-token", "An access token is required (Authorization: Bearer …)")
    if len(bearers[0]) != 2:
        raise invalid_token()
    return bearers[0][1]


def verified_claims(token: str) -> Mapping[str, Any]:
    """The claims of a token signed with the application's key and within its times: the
    cached ones if it was verified before, else PyJWT's (kept if it is an access token)."""
    config = current_app.config
    key, leeway = config["JWT_SECRET_KEY"], config["JWT_DECODE_LEEWAY"]
    if isinstance(leeway, timedelta):
        leeway = leeway.total_seconds()
    cache = verified_tokens(current_app)
    entry = cache.get(token)
    if entry is not None and entry.key is key:
        claims, now = entry.claims, time.time()
        if max(claims.get("iat", 0), claims.get("nbf", 0)) > now + leeway:
            raise invalid_token()
        if claims["exp"] <= now - leeway:
            cache.discard(token)
            raise _expired()
        return claims
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], leeway=leeway, options=_DECODE_OPTIONS
        )
    except jwt.ExpiredSignatureError:
        raise _expired() from None
    except jwt.InvalidTokenError:
        raise invalid_token() from None
    if not _cacheable(claims):
        return claims
    entry = Verified.of(key, claims)
    cache.put(token, entry)
    return entry.claims


def _expired() -> Problem:
    return unauthorized("token-expired", "The token has expired")


_SCALARS = (str, int, float, bool, type(None))


def _cacheable(claims: dict[str, Any]) -> bool:
    """An access token (a refresh token is used once, then rotated) of the shapes we issue,
    with integer times (compared as PyJWT compares them) and only scalar values (shared)."""
    times = [claims["exp"], *(claims[name] for name in ("iat", "nbf") if name in claims)]
    return (
        claims.get("type", "access") == "access"
        and well_formed(claims)
        and all(type(t) is int for t in times)
        and all(isinstance(v, _SCALARS) for v in claims.values())
    )


def well_formed(claims: Mapping[str, Any]) -> bool:
    """Claims of the shapes we issue: a signed token with others (say `fresh: "yes"`) is a 401
    rather than a crash in a comparison."""
    return (
        claims.get("type", "access") in ("access", "refresh")
        and isinstance(claims.get("sub"), str)
        and isinstance(claims.get("fam"), str)
        and isinstance(claims.get("jti"), str)
        and isinstance(claims.get("fresh", False), bool | int | float)
    )


# A prepared read: outside a write it runs in autocommit, so on SQLite a writer does not take
# the write lock (and make the other writers queue) while its token is being checked.
# A login ends at its family's `expires_at` (LOGIN_MAX_DAYS after the login), however often it
# was refreshed since.
LIVE_FAMILY_OWNER = db.Prepared(
    select(User.id, User.is_admin, User.email_verified_at, TokenFamily.expires_at)
    .join(TokenFamily, TokenFamily.user_id == User.id)
    .where(
        TokenFamily.id == bindparam("family"),
        TokenFamily.revoked_at.is_(None),
        TokenFamily.expires_at > bindparam("now"),
    )
)


def _live_caller(claims: Mapping[str, Any]) -> Caller:
    """Is the token's login live, and who is the caller (admin rights read fresh)? Revocation
    lives in the database, read there or in this process's cache of live logins, which the
    database keeps true (auth/live_logins.py): every process sees a logout within 100 ms."""
    if not well_formed(claims):
        raise invalid_token()
    family = claims["fam"]
    cache = live_logins(current_app)
    ticket = None
    if cache is not None:
        login = cache.get(family)
        if login is not None and login.expires_at > time.time():
            return _caller(login, claims)
        ticket = cache.ticket() if _reads_primary() else None
    row = LIVE_FAMILY_OWNER.first({"family": family, "now": utcnow()})
    if row is None:
        raise revoked()
    login = Login(
        row.id, row.is_admin, row.email_verified_at is not None, row.expires_at.timestamp()
    )
    if ticket is not None:
        cache.put(family, ticket, login)  # type: ignore[union-attr]
    return _caller(login, claims)


def _caller(login: Login, claims: Mapping[str, Any]) -> Caller:
    if str(login.user_id) != claims["sub"]:
        raise revoked()
    return Caller(login.user_id, login.is_admin, claims, login.email_verified)


def revoked() -> Problem:
    return unauthorized("token-revoked", "The token has been revoked")


def _reads_primary() -> bool:
    """A replica may not have replayed a revocation the listener heard from the primary: what
    it answers may be used, never cached."""
    replicas = replicas_of()
    return replicas is None or replicas.read_from() is None


def _is_fresh(fresh: bool | float) -> bool:
    """`fresh` is True, or the moment until which the token counts as fresh."""
    return fresh is True or (not isinstance(fresh, bool) and fresh >= time.time())
