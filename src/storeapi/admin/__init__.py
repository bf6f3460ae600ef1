"""The admin panel at /admin: Flask-Admin views of every table, for administrators only.

Access is by its own login form (Flask-WTF, CSRF-protected) and the Flask session cookie
(HttpOnly, SameSite=Lax, Secure when SECURE_COOKIES): see `access`. Writes go through the
API's own pydantic input models, so the panel refuses what the API refuses (a price with three
decimals, a duplicate store name), as form errors; edits bump `version` and `updated_at`, so
the API's ETags change; password hashes are never shown: see `views`.

The panel is a Flask app of its own, made on the first request under /admin (see `panel`):
Flask-Admin, WTForms and the views cost each server worker memory (bench/README.md) that a
worker which never serves the panel does not spend. It shares the API app's configuration,
extensions (engine, rate limiter, tokens), session interface, hooks and error handlers, so it
answers as it did when it was part of the API app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.wsgi import get_path_info

from storeapi.settings import Settings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PREFIX = "/admin"


class PanelMount:
    """WSGI middleware: paths under /admin go to the panel, made on the first of them."""

    def __init__(self, api: Flask, settings: Settings, wsgi_app: WSGIApplication) -> None:
        self.api, self.settings, self.wsgi_app = api, settings, wsgi_app
        self._panel: Flask | None = None
        self._lock = threading.Lock()

    def panel(self) -> Flask:
        if self._panel is None:
            with self._lock:  # requests arriving meanwhile wait for the one panel
                if self._panel is None:
                    from storeapi.admin.panel import make_panel

                    self._panel = make_panel(self.api, self.settings)
        return self._panel

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = get_path_info(environ)
        if path == PREFIX or path.startswith(PREFIX + "/"):
            return self.panel().wsgi_app(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_admin(app: Flask, settings: Settings) -> None:
    """Mount the panel at /admin; call after the rate limiter, before any WSGI middleware."""
    mount = PanelMount(app, settings, app.wsgi_app)
    app.wsgi_app = mount  # type: ignore[method-assign]
    app.extensions["admin_panel"] = mount


def panel_app(app: Flask) -> Flask:
    """The panel's Flask app (its URL map, say), made now if no request has made it yet."""
    mount: PanelMount = app.extensions["admin_panel"]
    return mount.panel()
