"""Rate limits: one budget per caller across all routes, and budgets of their own for the
routes that hand out or renew logins.

- The general limit (Flask-Limiter's application limit) is one budget per user: every token
  whose signature is valid counts against its user's budget, so neither `/refresh` nor logging
  in again buys a fresh one. Anonymous callers, and tokens that do not verify, are counted by
  client address, so made-up tokens do not buy fresh budgets either.
- `/login` is limited per client address; the admin panel's login form spends that same
  budget, and one per account too (the email tried). `/register` is limited per address,
  `/refresh` per user (else per address). The routes that send mail (`/password-reset`,
  `/verify-email/resend`) share one budget per address; a reset request also spends one of
  the address it targets, and a resend one of the account (whose address it mails). These
  routes do not spend the general budget.

Where the counters live decides what a budget is the budget of, so it is chosen once here:
Redis when `REDIS_URL` is set (all instances share it; if Redis cannot be reached the API keeps
serving and counts in memory until it is back); else the SQLite file `RATE_LIMIT_FILE`, which
every worker of one machine shares (`storeapi serve` makes one; see http/shared_counters.py);
else this process's memory. A breach is a 429 problem with `Retry-After`; every limited
response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, Response, g, request

from storeapi.auth.guards import verified_claims
from storeapi.http.problems import Problem, problem_response
from storeapi.names import folded
from storeapi.settings import Settings, SettingsError

if TYPE_CHECKING:
    from flask_limiter import Limiter

# Stored pictures too: immutable files that clients cache for good, and a page of fifty
# thumbnails would otherwise spend a twelfth of a minute's default budget.
UNLIMITED = frozenset({"root.healthz", "root.readyz", "images.media_file", "metrics.metrics"})
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
ADMIN_LOGIN = "admin.login_view"


def client_address() -> str:
    return "addr:" + (request.remote_addr or "unknown")


def token_owner(token: str) -> str | None:
    """The user a genuine token (access or refresh) was issued to; None when it is forged,
    expired or garbled. The one place the limits read a token."""
    try:
        sub = verified_claims(token).get("sub")
    except Problem:
        return None
    return None if sub is None else str(sub)


def user_or_address() -> str:
    """The key of a per-user budget: the bearer token's user when it verifies, else the address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    owner = token_owner(token) if scheme.lower() == "bearer" and token else None
    return client_address() if owner is None else "user:" + owner


def account_tried() -> str:
    """The admin login's per-account key: the email tried, normalised as the login looks it up
    (hashed: any string a client sends, of any length, makes a key of one shape)."""
    email = request.form.get("email", "").strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def target_email() -> str:
    """The key of a per-target budget: the address in the body, folded as users are looked up
    (hashed, like `account_tried`)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, dict) or hasattr(data, "get") else None
    key = folded(email.strip()) if isinstance(email, str) else ""
    return "email:" + hashlib.sha256(key.encode()).hexdigest()[:32]


# Routes with a budget of their own instead of the general one: the setting that holds its
# limit, and whom it counts. The scope names the budget, so that two routes can share one.
OWN_LIMITS: dict[str, tuple[str, Callable[[], str], str]] = {
    "users.login": ("login_rate_limit", client_address, "login"),
    "users.register": ("register_rate_limit", client_address, "register"),
    "users.refresh": ("refresh_rate_limit", user_or_address, "refresh"),
    "account.request_password_reset": ("mail_rate_limit", client_address, "mail"),
    "account.resend_verification": ("mail_rate_limit", client_address, "mail"),
}
# A second budget, spent besides the route's own: the mails sent to one mailbox, so that no
# one floods it from many hosts (reset mails per target address, verification mails per account).
ALSO_LIMITED: dict[str, tuple[str, Callable[[], str], str]] = {
    "account.request_password_reset": (
        "password_reset_email_rate_limit",
        target_email,
        "password-reset-email",
    ),
    "account.resend_verification": ("mail_rate_limit", user_or_address, "mail-account"),
}


def breached_budget() -> str | None:
    """The budget a request refused with 429 exceeded (for /metrics): "global" for the general
    limit, else a scope of OWN_LIMITS or ALSO_LIMITED, or "admin-account"."""
    return g.get("breached_budget")


def _outside_general_limit() -> bool:
    endpoint = request.endpoint
    return request.method == "OPTIONS" or endpoint in UNLIMITED or endpoint in OWN_LIMITS


def _storage_uri(settings: Settings) -> str:
    if settings.redis_url:
        return settings.redis_url
    if settings.rate_limit_file:
        from storeapi.http.shared_counters import storage_uri

        return storage_uri(settings.rate_limit_file)
    return "memory://"


def _validated(settings: Settings) -> None:
    from limits import parse_many

    budgets = (*OWN_LIMITS.values(), *ALSO_LIMITED.values())
    for name in ("default_rate_limit", *(setting for setting, _, _ in budgets)):
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
    them (with wrapt and deprecated; bench/README.md) for nothing."""
    if not settings.rate_limits_enabled:
        return None
    from flask_limiter import Limiter, RateLimitExceeded

    _validated(settings)
    limiter = Limiter(
        user_or_address,
        application_limits=[settings.default_rate_limit],
        application_limits_exempt_when=_outside_general_limit,
        storage_uri=_storage_uri(settings),
        storage_options=REDIS_TIMEOUTS if settings.redis_url else {},
        key_prefix=settings.rate_limit_prefix,
        strategy="fixed-window",
        headers_enabled=False,  # written below: IETF RateLimit-* names, Retry-After on 429 only
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.init_app(app)
    for limits in (OWN_LIMITS, ALSO_LIMITED):
        for endpoint, (setting, key, scope) in limits.items():
            view = limiter.shared_limit(getattr(settings, setting), scope, key_func=key)
            app.view_functions[endpoint] = view(app.view_functions[endpoint])

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Response:
        scope = exc.limit.scope
        g.breached_budget = scope if isinstance(scope, str) else "other"
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


def limit_admin_login(panel: Flask, settings: Settings) -> None:
    """The panel's login form: each attempt (POST) spends the API's per-address login budget
    and a budget of the account tried, so neither many addresses nor two login pages multiply
    the guesses at one password. Its static files do not spend the general budget."""
    limiter: Limiter | None = panel.extensions.get("rate_limiter")
    if limiter is None:
        return
    _, _, scope = OWN_LIMITS["users.login"]
    view = panel.view_functions[ADMIN_LOGIN]
    for key, budget in ((client_address, scope), (account_tried, "admin-account")):
        limit = limiter.shared_limit(
            settings.login_rate_limit, budget, key_func=key, methods=["POST"]
        )
        view = limit(view)
    panel.view_functions[ADMIN_LOGIN] = view
    panel.view_functions["admin.static"] = limiter.exempt(panel.view_functions["admin.static"])
