"""create_app(settings): the only place that wires extensions and blueprints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from storeapi import db
from storeapi.admin import init_admin
from storeapi.auth import guards, passwords, tokens
from storeapi.http.hooks import init_hooks
from storeapi.http.limits import init_limits
from storeapi.http.problems import init_problems
from storeapi.http.representations import NotModified
from storeapi.http.responses import Response
from storeapi.http.schemas import MAX_ID
from storeapi.keys import Keys
from storeapi.resources import (
    account,
    account_pages,
    books,
    frameworks,
    images,
    items,
    root,
    stores,
    tags,
    users,
)
from storeapi.settings import Settings
from storeapi.telemetry import init_telemetry


def _digits_up_to(limit: int) -> str:
    """A regex for the numbers 0..limit: out-of-range ids then match no route (404).

    Bounding by regex, not by `max=` alone, matters: werkzeug turns a converter's refusal into
    405 when another method's rule matched the same path (`DELETE /store/9999999999`)."""
    top = str(limit)
    parts = [rf"\d{{1,{len(top) - 1}}}"]
    for i, digit in enumerate(top):
        if digit != "0":
            parts.append(f"{top[:i]}[0-{int(digit) - 1}]" + rf"\d{{{len(top) - i - 1}}}")
    return "(?:" + "|".join([*parts, top]) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: 0 to MAX_ID, so an oversized id is a 404, not a database error."""

    regex = _digits_up_to(MAX_ID)

    def __init__(self, url_map, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(url_map, min=0, max=MAX_ID)


class StoreApi(Flask):
    """Flask, with its per-call coroutine check done once per function.

    Flask asks `inspect.iscoroutinefunction` of every view and hook on every request (its
    cost: bench/README.md); the answer never changes for a function, so it is kept."""

    response_class = Response

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        sync = self._sync.get(func)
        if sync is None:
            sync = self._sync[func] = super().ensure_sync(func)
        return sync


BLUEPRINTS = (
    root.bp,
    users.bp,
    account.bp,
    account_pages.bp,
    stores.bp,
    items.bp,
    images.bp,
    tags.bp,
    books.bp,
    frameworks.bp,
)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = StoreApi(__name__, static_folder=None)
    keys = app.extensions["keys"] = Keys.derive(settings.jwt_secret_key)
    app.config.update(
        SECRET_KEY=keys.session,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
        IDEMPOTENCY_HOURS=settings.idempotency_hours,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
    )
    app.extensions["settings"] = settings
    app.url_map.strict_slashes = False
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["media"] = images.MediaNameConverter
    db.init_db(
        app,
        settings.database_url,
        settings.db_statement_timeout_ms,
        metered=settings.metrics_enabled,
    )
    if settings.database_replica_urls:
        replicas = db.enable_replicas(
            app,
            settings.database_replica_urls,
            max_lag_seconds=settings.replica_max_lag_seconds,
            statement_timeout_ms=settings.db_statement_timeout_ms,
            redis_url=settings.redis_url,
            key_prefix=settings.rate_limit_prefix,
        )
        replicas.reader_id, replicas.writer_id = guards.token_user, guards.writing_user
    init_problems(app)
    app.register_error_handler(NotModified, lambda exc: exc.response())
    tokens.configure(app, settings)
    passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
    # First of the hooks: the request's span and the metrics' last hook enclose the others.
    metered = init_telemetry(app, settings)
    init_hooks(app, settings)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    init_limits(app, settings)
    init_admin(app, settings)  # /admin is an app of its own, inside the proxy fix below
    if settings.trusted_proxies:  # behind N proxies: take the client address from X-Forwarded-*
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.trusted_proxies,
            x_proto=settings.trusted_proxies,
            x_host=settings.trusted_proxies,
        )
    if metered is not None:  # the request's clock starts before anything else runs
        app.wsgi_app = metered(app.wsgi_app)  # type: ignore[method-assign]
    return app
