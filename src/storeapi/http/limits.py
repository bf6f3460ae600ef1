"""Rate limits: /login and /register per client address, one general limit per token.

The general limit is one budget per caller across all routes (Flask-Limiter's application
limit): keyed by a hash of the bearer token when its signature is valid, else by the client
address, so made-up tokens do not buy fresh budgets. /login and /register have their own
per-address limits instead. Counters live in Redis when `REDIS_URL` is set, so several
instances enforce one limit; when Redis cannot be reached the API keeps serving and counts in
memory until it is back. A breach is a 429 problem with `Retry-After`; every limited response
carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import TYPE_CHECKING

from flask import Flask, Response, request
from flask_jwt_extended import decode_token

from storeapi.http.problems import Problem, problem_response
from storeapi.settings import Settings, SettingsError

if TYPE_CHECKING:
    from flask_limiter import Limiter

LIMITED_BY_ADDRESS = {
    "users.login": "login_rate_limit",
    "users.register": "register_rate_limit",
    "account.request_password_reset": "mail_rate_limit",
    "account.resend_verification": "mail_rate_limit",
}
# Reset mails are also limited per target address, so no one floods a mailbox from many hosts.
LIMITED_BY_TARGET_EMAIL = {"account.request_password_reset": "password_reset_email_rate_limit"}
UNLIMITED = frozenset({"root.healthz", "root.readyz"})
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def client_address() -> str:
    return request.remote_addr or "unknown"


def token_or_address() -> str:
    """The general limit's key: the bearer token (hashed) when genuine, else the address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        try:
            decode_token(token)
        except Exception:
            pass  # forged, expired or garbled: counted against the address
        else:
            return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "addr:" + client_address()


def target_email() -> str:
    """The key of a per-target limit: the address in the body (hashed, case-folded)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, dict) or hasattr(data, "get") else None
    folded = email.strip().lower() if isinstance(email, str) else ""
    return "email:" + hashlib.sha256(folded.encode()).hexdigest()[:32]


def _outside_general_limit() -> bool:
    return (
        request.method == "OPTIONS"
        or request.endpoint in UNLIMITED
        or (request.endpoint in LIMITED_BY_ADDRESS)
    )


def _validated(settings: Settings) -> None:
    from limits import parse_many

    for name in (
        "default_rate_limit",
        *LIMITED_BY_ADDRESS.values(),
        *LIMITED_BY_TARGET_EMAIL.values(),
    ):
        value = getattr(settings, name)
        try:
            parse_many(value)
        except ValueError:
            raise SettingsError(
                f"{name.upper()} must look like '10 per minute', got {value!r}"
            ) from None


def init_limits(app: Flask, settings: Settings) -> Limiter | None:
    """Rate-limit every route of `app`; call after its blueprints are registered.

    Flask-Limiter and `limits` are imported only when limits are on: off, a worker would hold
    them (some 2 MB with wrapt and deprecated) for nothing."""
    if not settings.rate_limits_enabled:
        return None
    from flask_limiter import Limiter, RateLimitExceeded

    _validated(settings)
    limiter = Limiter(
        token_or_address,
        application_limits=[settings.default_rate_limit],
        application_limits_exempt_when=_outside_general_limit,
        storage_uri=settings.redis_url or "memory://",
        storage_options=REDIS_TIMEOUTS if settings.redis_url else {},
        key_prefix=settings.rate_limit_prefix,
        strategy="fixed-window",
        headers_enabled=False,  # written below: IETF RateLimit-* names, Retry-After on 429 only
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.init_app(app)
    for endpoint, setting in LIMITED_BY_ADDRESS.items():
        view = limiter.limit(getattr(settings, setting), key_func=client_address)
        app.view_functions[endpoint] = view(app.view_functions[endpoint])
    for endpoint, setting in LIMITED_BY_TARGET_EMAIL.items():
        view = limiter.limit(getattr(settings, setting), key_func=target_email)
        app.view_functions[endpoint] = view(app.view_functions[endpoint])

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Response:
        window = exc.limit.limit.get_expiry()
        return problem_response(
            Problem(
                429,
                f"Too many requests: the limit here is {exc.limit.limit}; try again later",
                type="rate-limited",
                headers={"Retry-After": str(window)},
            )
        )

    @app.after_request
    def _rate_limit_headers(response: Response) -> Response:
        current = limiter.current_limit
        if current is None:
            return response
        try:
            reset_at, remaining = current.window
        except Exception:  # the storage failed after the check: answer without the headers
            return response
        reset_in = max(0, math.ceil(reset_at - time.time()))
        headers = response.headers
        headers["RateLimit-Limit"] = str(current.limit.amount)
        headers["RateLimit-Remaining"] = str(remaining)
        headers["RateLimit-Reset"] = str(reset_in)
        headers["RateLimit-Policy"] = f"{current.limit.amount};w={current.limit.get_expiry()}"
        if response.status_code == 429:
            headers["Retry-After"] = str(max(1, reset_in))
        return response

    app.extensions["rate_limiter"] = limiter
    return limiter
