"""create_app(settings): the only place that wires extensions and blueprints."""

from __future__ import annotations

from flask import Flask

from storeapi import db
from storeapi.auth import passwords, tokens
from storeapi.http.hooks import init_hooks
from storeapi.http.problems import init_problems
from storeapi.http.representations import NotModified
from storeapi.resources import items, root, stores, tags, users
from storeapi.settings import Settings

BLUEPRINTS = (root.bp, users.bp, stores.bp, items.bp, tags.bp)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=settings.jwt_secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
        IDEMPOTENCY_HOURS=settings.idempotency_hours,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
    )
    app.extensions["settings"] = settings
    app.url_map.strict_slashes = False
    db.init_db(app, settings.database_url)
    init_problems(app)
    app.register_error_handler(NotModified, lambda exc: exc.response())
    tokens.configure(app, settings)
    passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
    init_hooks(app, settings)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    return app
