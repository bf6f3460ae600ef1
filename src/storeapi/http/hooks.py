"""Per-request plumbing: request ids, one JSON log line, security headers, CORS, and the
refusal of oversized URLs and header blocks."""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Callable
from operator import length_hint

import orjson
from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_cors import CORS
from itsdangerous import URLSafeTimedSerializer

from storeapi.http.problems import Problem
from storeapi.http.responses import add_headers
from storeapi.settings import Settings

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
EXPOSED = [
    "ETag",
    "Location",
    "Link",
    "Retry-After",
    "X-Request-ID",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
    "Idempotent-Replayed",
]
ALLOWED = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
    "Accept",
]
API_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'"
)

SESSION_PATHS = "/admin"  # the only pages with a session (the admin panel's login)

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)

access_log = logging.getLogger("storeapi.access")


class _RequestIds:
    """Request ids only need to be unique, not secret: 64 random bits per process (drawn again
    in a forked worker) and a counter. Fresh random bytes per request were 5 % of a 304."""

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self.prefix, self.counter = secrets.token_hex(8), itertools.count()

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter):016x}"  # count() is atomic: no lock needed


_request_ids = _RequestIds()


def new_request_id() -> str:
    """A request's id: the client's `X-Request-ID` when well-formed, else a new one. Asked
    once per request, by `_finish`, which writes it into the response (and the log line)."""
    supplied = request.environ.get("HTTP_X_REQUEST_ID")
    return supplied if supplied and REQUEST_ID.fullmatch(supplied) else _request_ids.next()


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of each line (servers and tests swap it)."""

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def _configure_logging() -> None:
    if not access_log.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
        access_log.propagate = False


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions for the admin panel, and none for the API.

    The API authenticates by token and never reads a session; parsing the Cookie header and
    checking a signature on every API request cost time for nothing (a null session is one
    nothing can be written to). The signer is built once: Flask builds it per request, and
    the key cannot change while the app runs.
    """

    _signer: URLSafeTimedSerializer | None = None

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if not request.path.startswith(SESSION_PATHS):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if self._signer is None:
            self._signer = super().get_signing_serializer(app)
        return self._signer


def header_bytes(wsgi: dict) -> int:
    """The header fields' size as sent: "HTTP_X_NAME" is "X-Name" plus the prefix's 5 bytes."""
    return sum([len(key) + len(value) - 5 for key, value in wsgi.items() if key[:5] == "HTTP_"])


def head_size_check(max_url_bytes: int, max_header_bytes: int) -> Callable[[], None]:
    """A before-request hook refusing a URL or header block over the configured sizes.

    The server (granian) refuses larger ones itself, before the app sees them, with an empty
    body; these limits sit below the server's (settings.SERVER_MAX_URL, SERVER_HEAD_BUFFER), so
    the refusals a client can get from the app are problem documents with the usual headers.
    The URL is measured as the server hands it over: the path percent-decoded, the query as sent.
    """

    def check_head_size() -> None:
        # This runs on every request, so each test starts with a bound that costs little and is
        # never below the exact size, and measures exactly only past it (bench/README.md).
        wsgi = request.environ
        query = wsgi.get("QUERY_STRING", "")
        path = wsgi.get("PATH_INFO", "")
        # The path arrives as latin-1 text of its UTF-8 bytes: decoding never adds characters.
        if len(path) + len(query) + bool(query) > max_url_bytes:  # "?" too
            path = path.encode("latin-1").decode("utf-8", "replace")
            if len(path) + len(query) + bool(query) > max_url_bytes:
                raise Problem(
                    414, f"The URL is longer than {max_url_bytes} bytes", title="URI Too Long"
                )
        # Every key and every str value of the environ, headers among them, counted in C;
        # `length_hint` is 0 for values without a length (the input stream, flags).
        bound = sum(map(len, wsgi)) + sum(map(length_hint, wsgi.values()))
        if bound > max_header_bytes and header_bytes(wsgi) > max_header_bytes:
            raise Problem(
                431,
                f"The request's header fields total more than {max_header_bytes} bytes",
                title="Request Header Fields Too Large",
            )

    return check_head_size


def init_hooks(app: Flask, settings: Settings) -> None:
    app.session_interface = SignedCookieSessions()
    # First of all hooks: an oversized request is refused before anything else reads it.
    app.before_request(head_size_check(settings.max_url_bytes, settings.max_header_bytes))
    if settings.cors_origins:
        CORS(
            app,
            origins=list(settings.cors_origins),
            expose_headers=EXPOSED,
            allow_headers=ALLOWED,
            supports_credentials=False,
            max_age=600,
            vary_header=False,  # added below, on every response: refusals vary by Origin too
        )
    vary_on_origin = bool(settings.cors_origins) and "*" not in settings.cors_origins
    log_requests = settings.log_requests
    if log_requests:
        _configure_logging()

        @app.before_request
        def _start() -> None:
            g.started = time.perf_counter()

    api_headers = (*SECURITY_HEADERS, ("Content-Security-Policy", API_CSP))

    @app.after_request
    def _finish(response: Response) -> Response:
        headers = response.headers
        # Added, not set: no handler writes these, and `set` scans the list for each one; the
        # id is ours or a client's that REQUEST_ID checked, so no value can hold a line break.
        rid = ("X-Request-ID", new_request_id())
        if headers.get("Content-Type", "").startswith("text/html"):  # pages (docs, admin)
            add_headers(response, (*SECURITY_HEADERS, rid))
            headers.setdefault("Content-Security-Policy", PAGE_CSP)  # may bring their own
        else:
            add_headers(response, (*api_headers, rid))
        if vary_on_origin:
            response.vary.add("Origin")
        if log_requests:
            started = g.get("started") or time.perf_counter()
            caller = g.get("caller")
            access_log.info(
                orjson.dumps(
                    {
                        "event": "request",
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "request_id": headers["X-Request-ID"],
                        "remote": request.remote_addr,
                        "user_id": caller.id if caller else None,
                    }
                ).decode()
            )
        return response
