"""The panel's Flask app: it shares the API app's state, with Flask-Admin's views as its routes."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, g, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from storeapi import db
from storeapi.admin.access import SESSION_HOURS, HomeView
from storeapi.admin.mail import MailOutboxAdmin
from storeapi.admin.views import (
    BookAdmin,
    FrameworkAdmin,
    ItemAdmin,
    StoreAdmin,
    TagAdmin,
    UserAdmin,
)
from storeapi.http.limits import limit_admin_login
from storeapi.models import Book, Framework, Item, MailOutbox, Store, Tag, User
from storeapi.settings import Settings

# Flask-Admin's templates carry a few fixed inline handlers (the delete confirmation, the
# filter and bulk-action menus); the panel's CSP allows exactly those, by hash, and no other
# inline script.
INLINE_HANDLERS = (
    "return faHelpers.safeConfirm('Are you sure you want to delete this record?');",
    "return modelActions.execute('delete');",
    "return false;",
    "javascript:void(0)",
)


def _csp_hash(source: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()}'"


ADMIN_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    f"script-src 'self' 'unsafe-hashes' {' '.join(map(_csp_hash, INLINE_HANDLERS))}; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def admin_csp(settings: Settings) -> str:
    """The panel's CSP; with MEDIA_REDIRECT its thumbnails end at the bucket's own URLs, which
    `img-src` must then allow too (a redirect's target is checked as well)."""
    if not settings.media_redirect:
        return ADMIN_CSP
    bucket = "https://*.amazonaws.com"
    if settings.s3_endpoint_url:
        parts = urlsplit(settings.s3_endpoint_url)
        bucket = f"{parts.scheme}://{parts.netloc}"
    return ADMIN_CSP.replace("img-src 'self' data:", f"img-src 'self' data: {bucket}")


# The app-wide registries of hooks, per blueprint name (None: the whole app).
HOOKS = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "url_value_preprocessors",
    "url_default_functions",
    "template_context_processors",
)


def _admin_headers(csp: str) -> Callable[[Response], Response]:
    def add(response: Response) -> Response:
        """Panel pages: their own CSP, and never cached (they show users' data)."""
        if request.path.startswith("/admin") and response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = csp
            response.headers["Cache-Control"] = "no-store"
        return response

    return add


def app_sharing_state_with(api: Flask) -> Flask:
    """A Flask app with no routes that answers as `api` does.

    The same objects, not copies, where there is state: configuration, extensions (the
    engine, the rate limiter and its counters, the token manager) and session interface; and
    the same app-wide hooks, teardowns and error handlers, in the same order.
    """
    app = type(api)(api.import_name, static_folder=None)  # the same root: templates/admin
    app.config = api.config
    app.extensions = api.extensions
    app.session_interface = api.session_interface
    app.request_class, app.response_class = api.request_class, api.response_class
    app.json = api.json
    app.url_map.strict_slashes = api.url_map.strict_slashes
    app.url_map.converters.update(api.url_map.converters)
    for name in HOOKS:
        getattr(app, name)[None] = list(getattr(api, name)[None])
    app.teardown_appcontext_funcs = list(api.teardown_appcontext_funcs)
    for code, handlers in api.error_handler_spec[None].items():
        app.error_handler_spec[None][code].update(handlers)
    return app


def make_panel(api: Flask, settings: Settings) -> Flask:
    """The panel at /admin: an app of its own that shares the API app's state."""
    app = app_sharing_state_with(api)
    app.config.update(
        # The API sends `Referrer-Policy: no-referrer`, so the HTTPS referrer check of
        # Flask-WTF would refuse every form; the token and the SameSite cookie remain.
        WTF_CSRF_SSL_STRICT=False,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    admin = Admin(
        app,
        name="storeapi admin",
        url="/admin",
        index_view=HomeView(name="Home", url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/storeapi_master.html", fluid=True),
    )
    admin.add_view(UserAdmin(User, "Users", "users"))
    admin.add_view(StoreAdmin(Store, "Stores", "stores"))
    admin.add_view(ItemAdmin(Item, "Items", "items"))
    admin.add_view(TagAdmin(Tag, "Tags", "tags"))
    admin.add_view(BookAdmin(Book, "Books", "books"))
    admin.add_view(FrameworkAdmin(Framework, "Frameworks", "frameworks"))
    admin.add_view(MailOutboxAdmin(MailOutbox, "Mail", "mail"))
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.before_request(db.use_primary)  # its pages show what it just wrote: no replica
    app.after_request(_admin_headers(admin_csp(settings)))
    app.context_processor(lambda: {"current_admin": g.get("admin_user")})
    limit_admin_login(app, settings)
    return app
