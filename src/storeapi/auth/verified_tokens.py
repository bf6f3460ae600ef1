"""One signature check per access token per process: a small cache of verified tokens.

flask-jwt-extended decodes the bearer token on every request: PyJWT parses it once unverified
(to pick the key) and once verified, checks each base64url character in a Python generator and
computes the HMAC, about 100 µs of a write's CPU. What that establishes about a given token
string under a given key never changes: the signature, the algorithm, and the shapes of the
claims. So a token is verified in full once, and what the verification yielded (header and
claims) is kept, keyed by the exact token string, in a bounded LRU map of each application.

What still runs on every request, cached or not:

- the time checks PyJWT makes, in its order and with its comparisons and the configured leeway:
  `iat` and `nbf` not in the future, `exp` not passed; an expired token is refused (and dropped
  from the cache), never served from it;
- everything flask-jwt-extended does after decoding: the token type (access or refresh), the
  revocation callback (`tokens._is_revoked`: the family's one query and the claim shapes), the
  custom checks, `get_jwt()`/`get_jwt_header()`; the guards check freshness.

What may be cached: access tokens only (a refresh token is used once, then rotated), signed with
HS256, whose claims have the shapes we issue (`well_formed`, integer times, scalar values),
verified with the application's own key, no CSRF value, no audience or issuer, and the default
key callback. Anything else takes the library's path unchanged. An entry keeps the key object it
was verified with and serves only while the application's key is that very object (an identity
test: no secret is compared, so nothing leaks through its timing); another key, or a key changed
in the configuration, means a full verification again.

Why a lookup by the token string is safe: finding an entry hashes the whole string (SipHash,
seeded per process) and compares it only with entries of the same hash, so its timing cannot be
steered towards guessing a token; and a hit only spares work for someone who already holds that
exact token, which the full verification accepted.

Why an override of `JWTManager._decode_jwt_from_config`: flask-jwt-extended 4.7 has no public
hook for decoding (`decode_key_loader` picks the key, `token_verification_loader` runs after
decoding), and `verify_jwt_in_request` always decodes through `decode_token`, which calls that
method. Overriding it keeps the rest of the library's flow, its exceptions and so every error
response, as they are; rewriting `verify_jwt_in_request` would mean copying its header parsing
and writing its private `g` attributes. tests/test_token_cache.py checks the override is used.
For the same reason the library's name `view_decorators.get_unverified_jwt_headers` is pointed
at `cached_header`, which answers from the entry of a cached token and asks the library for any
other.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt as pyjwt
from flask import Flask, current_app
from flask_jwt_extended import JWTManager, utils, view_decorators
from flask_jwt_extended.config import config
from flask_jwt_extended.default_callbacks import default_decode_key_callback

ALGORITHM = "HS256"
MAX_TOKENS = 2048  # ~1.5 KB each with the token string: at most ~3 MB per application
_EXTENSION = "storeapi.verified_tokens"
_SCALARS = (str, int, float, bool, type(None))
_library_header = utils.get_unverified_jwt_headers  # the library's own (never replaced)


def well_formed(payload: dict[str, Any]) -> bool:
    """Claims of the shapes we issue; a signed token with others (say `fresh: "yes"`) is refused
    by the revocation check rather than left to crash the library's checks that run after it."""
    fresh = payload.get("fresh")
    return (
        payload.get("type") in ("access", "refresh")
        and isinstance(payload.get("fam"), str)
        and isinstance(payload.get("jti"), str)
        and isinstance(fresh, bool | int | float)
    )


@dataclass(frozen=True, slots=True)
class Verified:
    """What a full verification of one token established."""

    key: object  # the decode key it was verified with, compared by identity
    header: dict[str, Any]
    claims: dict[str, Any]


class VerifiedTokens:
    """A bounded, thread-safe LRU map from a token string to its `Verified` entry."""

    def __init__(self, maxsize: int = MAX_TOKENS) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[str, Verified] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Verified | None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is not None:
                self._entries.move_to_end(token)
            return entry

    def put(self, token: str, entry: Verified) -> None:
        with self._lock:
            self._entries[token] = entry
            self._entries.move_to_end(token)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def discard(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token, None)

    def __contains__(self, token: object) -> bool:
        return token in self._entries

    def __len__(self) -> int:
        return len(self._entries)


def verified_tokens(app: Flask) -> VerifiedTokens:
    return app.extensions[_EXTENSION]


class CachingJWTManager(JWTManager):
    """flask-jwt-extended's manager, decoding each cacheable token once per application."""

    def init_app(self, app: Flask, add_context_processor: bool = False) -> None:
        super().init_app(app, add_context_processor)
        app.extensions[_EXTENSION] = VerifiedTokens()
        view_decorators.get_unverified_jwt_headers = cached_header

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: str | None = None, allow_expired: bool = False
    ) -> dict[str, Any]:
        tokens = current_app.extensions.get(_EXTENSION)
        if tokens is None or not self._cache_applies(csrf_value):
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        key = config.decode_key
        entry = tokens.get(encoded_token)
        if entry is not None and entry.key is key:
            try:
                _check_times(entry, config.leeway, allow_expired)
            except pyjwt.ExpiredSignatureError:
                tokens.discard(encoded_token)
                raise
            return dict(entry.claims)  # the request's own copy: `get_jwt()` may be changed
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if not allow_expired:
            entry = _cacheable(encoded_token, key, claims)
            if entry is not None:
                tokens.put(encoded_token, entry)
        return claims

    def _cache_applies(self, csrf_value: str | None) -> bool:
        return (
            csrf_value is None
            and self._decode_key_callback is default_decode_key_callback
            and config.decode_audience is None
            and config.decode_issuer is None
            and ALGORITHM in config.decode_algorithms
        )


def cached_header(encoded_token: str) -> dict[str, Any]:
    """The token's header, as `get_unverified_jwt_headers` parses it, from the cache when the
    token is there: a header is a function of the token string alone. (flask-jwt-extended
    parses it again after decoding, on every request: a fifth of the token check.)"""
    tokens = current_app.extensions.get(_EXTENSION)
    entry = tokens.get(encoded_token) if tokens is not None else None
    if entry is None:
        return _library_header(encoded_token)
    return dict(entry.header)


def _cacheable(token: str, key: object, claims: dict[str, Any]) -> Verified | None:
    """The entry for a token the library has just verified, or None if it is not one to keep."""
    header = pyjwt.get_unverified_header(token)  # its signature was verified
    times = [claims.get("exp"), *(claims[c] for c in ("iat", "nbf") if c in claims)]
    if (
        header.get("alg") != ALGORITHM
        or claims.get("type") != "access"
        or not well_formed(claims)
        or not all(type(t) is int for t in times)
        or not all(isinstance(v, _SCALARS) for v in (*header.values(), *claims.values()))
    ):
        return None
    return Verified(key, _sharing_strings(header), _sharing_strings(claims))


def _sharing_strings(values: dict[str, Any]) -> dict[str, Any]:
    """A copy whose names and short strings ("type", "access", "HS256", user ids) are interned:
    entries share them rather than each holding its own (1.0 KB an entry instead of 1.8)."""
    return {
        sys.intern(name): sys.intern(v) if type(v) is str and len(v) < 20 else v
        for name, v in values.items()
    }


def _check_times(entry: Verified, leeway: float | timedelta, allow_expired: bool) -> None:
    """PyJWT's time checks (`_validate_iat`, `_validate_nbf`, `_validate_exp`), same order."""
    if isinstance(leeway, timedelta):
        leeway = leeway.total_seconds()
    claims, now = entry.claims, time.time()
    if "iat" in claims and claims["iat"] > now + leeway:
        raise pyjwt.ImmatureSignatureError("The token is not yet valid (iat)")
    if "nbf" in claims and claims["nbf"] > now + leeway:
        raise pyjwt.ImmatureSignatureError("The token is not yet valid (nbf)")
    if not allow_expired and claims["exp"] <= now - leeway:
        error = pyjwt.ExpiredSignatureError("Signature has expired")
        # as the library attaches them, for its expired-token loader
        error.jwt_header = dict(entry.header)  # type: ignore[attr-defined]
        error.jwt_data = dict(entry.claims)  # type: ignore[attr-defined]
        raise error
