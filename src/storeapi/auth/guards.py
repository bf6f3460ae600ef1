"""Who may call: guards checked before a handler runs, and the owner check inside it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, g, request
from flask_jwt_extended import get_jwt, get_jwt_header, verify_jwt_in_request
from flask_jwt_extended.exceptions import FreshTokenRequired

from storeapi.http.problems import Problem


@dataclass(frozen=True)
class Caller:
    id: int
    is_admin: bool
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
        # Freshness is checked here, after the token's family (and claim shapes) passed the
        # revocation check: a revoked token is reported as revoked, and an odd `fresh` claim
        # never reaches a comparison.
        verify_jwt_in_request(refresh=self.refresh)
        if self.fresh:
            _require_fresh()
        caller: Caller = g.caller
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


def _require_fresh() -> None:
    claims = get_jwt()
    fresh = claims["fresh"]
    if fresh is True or (not isinstance(fresh, bool) and fresh >= time.time()):
        return
    raise FreshTokenRequired("Fresh token required", get_jwt_header(), claims)


TOKEN = Guard()
FRESH = Guard(fresh=True)
REFRESH = Guard(refresh=True, unverified_ok=True)
ADMIN = Guard(admin=True)
ADMIN_FRESH = Guard(admin=True, fresh=True)
ACCOUNT = Guard(unverified_ok=True)  # the caller's own account (REQUIRE_VERIFIED_EMAIL aside)
ACCOUNT_FRESH = Guard(fresh=True, unverified_ok=True)


def current_caller() -> Caller:
    return g.caller


def require_owner(owner_id: int | None) -> None:
    """403 unless the caller owns the object's store or is an administrator."""
    caller = current_caller()
    if not (caller.is_admin or (owner_id is not None and caller.id == owner_id)):
        raise Problem(403, "Only the store's owner or an administrator may do this")
